"""The organisation's billing version: it grows by one in every transaction that changes what
the next invoice shows, so the next invoice computed once is kept until it does. Existing
organisations start at 0 (no invoice is kept across this migration: the process restarts).

The same SQL serves both supported databases.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
ALTER TABLE "organization" ADD "billing_version" INT NOT NULL DEFAULT 0;
"""

DOWNGRADE = """
ALTER TABLE "organization" DROP COLUMN "billing_version";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXVt32rgW/itavJxkrTTTpElmFvNEUjplhkBXQubKLMfYAnRiZGrJocyc/vcjyTa+yW"
    "BzNa5eEixrS/K35e19k/RvbWKb0CLnjSnq2S8Q1+rg3xrWJ5D9SN07AzV9Og3v8AKqDyxR"
    "WZ8ijS6qDQh1dIOyG0PdIpAVmZAYDppSZPNOag0MEKZw5Oi85D8EGA40IaZIt85BbwyBaA"
    "sgSqA1BIgAMrZnGNjYgD+yv9ac3wKPHxtvLq9v+P0XOKVnvG/TNljnCI92100fzxAdA53X"
    "diiYOnCIvgBigym0pxYEho4BhZYF6Bgix+uDAH2qO/ScD9HF6LMLGVwjyGo4bKB//c2KET"
    "bhF0iCy+mLNkTQMmM8QSZvQJRrdD4VZS1MP4iK/OkHmmFb7gSHladzOrbxojbDg5eOIIYM"
    "Fcibp47LWYRdy/LZGXDNG2lYxRtihMaEQ921OKM5tTeAsKymaZ1uT3ts9jStlpoEAUWEYX"
    "6RYWM+gdhQiXj6ER/Cm8uLq++vfnh3c/UDqyKGuSj5/qvXdQiMRyjg6fRqX8V9nepeDYFx"
    "CKr4n4L1bqw7clyD+glk2ZCTyAY4LoM2KAixDd+ZfYA70b9oFsQjOmaXF2/fLoHy18bD3c"
    "fGwwmrdcq7tNlL7r3+Hf/WpXeP4x3i670gRRAOKaqI8U0eiG+yEb5JAiwkjDbWybgIyHGq"
    "7QB9WDkRg/nmKgfMN1eZMPNbcZiJYfM2CkAcUpR5Htcep7oB3xDIvlB8MCAcdlHQL3PJj8"
    "sl8uMyLT/YR5sPS9NpGvv37A5FEyjHP06Z4IHpk54HP8rDkdxTfgnYvdZ987HXuP/Em58Q"
    "8tkSeDV6TX7nUpTOE6UnSamzaAT81up9BPwS/NntNAWcNqEjR/QY1uv9WeNj0l1qa9ieab"
    "oZxSQoDopibLZ0QjWXrMXoJO0WWO1LLsXp7XPaga/s27MOn+OUistl5nIgfAdzrZDZkqJb"
    "bcGUn7HbsWFCcG1npGP0j7Bri8EroVwL4LJ9CreBMLe7hy9SIzEKWxrtD7YD0Qj/AucC9B"
    "YbmY4NmZXoe1W6ieaODOyvwawKSsM3ztFnC8eFbLKxHwwBSAUaD0zKPLTuerUMybEFpB8g"
    "sV3HON6PwUqQUwIzBjEbBeg8tds1MbsHuvEy0x1Ty5jmxljHI0i0iW5KfCK3PvWHXx6gtZ"
    "i7ctzbyICYwDvRYHXAFyjal3YEvRiu6VuTy0myRMf6SDwS75v3JJMKEl9sUmpk+2OT4iqH"
    "SxYYLqH2BDrn4Jmr0s/A0I0xJNyNCSz0CoFhu5gCe8iuBG8JQBiwquDk4eL0DOjYFHWH7H"
    "1Lu2K32nwfB75WThNpA7uTAXR4I36FwRwwCUFdIuhf2GwCJ7OxTn0SwohFG6d1ANl4+hgR"
    "z/MLX1k73utg8oHw+gxCTBiKDDJ2zRrxXxegA8cXM2dAOIfpmLXj2DNg2QZTWPv45Fl0o0"
    "2hQ2z8fMpQGCDLYuhorCPCWnwGI0ZA+IhtDHmXfAjz7E75Y/QxHxeGXygjeLUZcMKHTcCJ"
    "HsDo1+cAAkSIKx5HVD3jPmx3sJgGp4nB97E3+rp4eO77jvfEar3qFjLZSBCDGlEO9dzjBm"
    "EzF5wQ6LBn+M5/0u94E+fT+alygys3eLkUmj24sbhFqv3DXu1CTtoo0f6Qrj317mp7gXr7"
    "blpf7GlC3haQEym6/ZlFb0stMkJo+Xe7AKJBdQVkEkj+OX+FGpxMLXsOZUGFTFBlpAcE+G"
    "3pQOW9sLHpvJfCsCaIFbDeY28wX+XECtgYNuvN2SxyBS4vSZhXBXCVUJYK0tpPwlAUtppn"
    "I3omHjd7F7Zt2ibMGdDdMhtU9DYbavaAZhdb85rvW8rGtUzRH9/oTQV/Ut7zPA7HReKgRP"
    "AVcTdG0xSPbBpkuhrjMVPPv7QhTAW84UcJ08KI83xk+3VhHyVihAlZzSX6aEN//yNr5ylo"
    "popA+d/SDedUy2ulqiBF3ckbIvUYaaqqcCGTWUU2hdiYay9wvuncClv7Bc6rhNkug26LT6"
    "Ik4Bb9XGYH25xorRyBNi8GBBw4QoRCx4sv6Rh4QTsiuHwuiaDlppOEVv5KhQThREdW7e9E"
    "zCVdz7Mx+a/A44/MGqNK11x1P2yJx+GSFCrao6I91Yn2eG9XAYAXBFVE+DpPlIfVykb4Oh"
    "XnCWRIGuAmdiep7KAY2AHtHiNqzftP7e4fzWbBsNqCrg6CX33c/L3XfOg02tpdt/P41O41"
    "Oj12O12Y0+MT51UuVi3hVIpRjm1liJrVjApo98io++b9bfOhKJsa7+9bnToQ//r4ofnYfX"
    "q4a2r3jU7jp+ZDHSRL+tjrpw4i/R2cVeEXOqGF2owPOl4WOpFwacCodsWm4Fu83yTs2263"
    "HfPA3bZ6CXSfODdPLgTorBLysvDSflHLHiGs6QazKGVq/zLAk6R7hH1RcrS4M0HjUI17je"
    "X+6IyVXDGqZb7oI/xYLwGe+5KTE5evtZnZzguDQ5Kgm41hinBDGMuZMZoTxalOCMPCLLxs"
    "M0W41qexZNipVYQqDrW1OJRaJ7PP+C6FzgRhDyZijKHpWmss+lrRiloCVgB4b2H/duCPtq"
    "WYoFaJlWiVWNac3QLu1V8ztkLeZqwgyy9+tsCEAhkdVWNCVOpusJiPQEK2EIf1WqmQ/Inb"
    "BWrF4xpoGXyPNAfz9hRm+RJHNAvhLWWPtBGuEli7jO4H0ksS3I8ItuzYPolUyhHaJ+wTB8"
    "03CIMBz9Hlq125YS0ycoN9BO2huDRs+wXB/5BgE0ICCGXfSFMW+d9WsxusuVSbjO1w9Vp2"
    "nF65rbJZUV23FfwyRay1Nbgep6wg14+EywEmKzbC8uzMYs6aBJXySq72y0Qz9PbnGygbyH"
    "nt0sQEi1mgd43Hu8b75jIDdKfqHONVC/fGjk2pwDit1cVrLFfuWF0NMRZHa6/U8j7oyOK7"
    "ZDJippERnpYJ4BuevgXYu8/A8/Ya4cWGhSCmQfEZGNoO4EC8sYfDtJ63zYY30PReoMSHlq"
    "3i+dUrp9u9yxWFfLckCvkuiEJmq3dDxlzXKbSgNkqiVtan0mp4koEP0bobicbJlQ5Vah1q"
    "4O1RpLmYyhJul7M7Ray2FC0brwusKt2l4hF3VEr0jpQnM1vtiC9SzKd0dMR+ZO7UFDt0Y/"
    "a593QyU5xWAWYOohTiOngeOvbE28PmmbuE+KZmYiMy+NllLYNnBq93N6V+bL+LPvadUvzu"
    "ADIlRewS5u+mJrYIy7N2ZeUSlawFJ7ZhuI7j+UDU+pK9ri+JQl9QKCdIK/j9rbDnKpQNRV"
    "TaGJFyaMiyfezCqEZJFKYSTNlbSGR5OjmXpiyoy7xiiz12q9dqtOvA/9HH943OEy/w/vdx"
    "46nX1Vqdu4dm47FZB7HLPu41H+5bnUav1e3UQeQiqT4cbMGK7WhFFzPGqcrMvjJlUMPhEH"
    "r7Tclemuy8/yTdN716wpt6hVTOKInKwZTu+8fwWSPrNU2o4FVHTRxCDzlUGLCCU1dlZ5ci"
    "O1vI1v2GW0s2mfPiG/285wVWJVkXhDczo1oO8mHyBY4U4WXpAiG8eRLWVabsQTNlgw38pL"
    "mykd39lmXLRjcTXB3V6IlDWAzI4wve8S/BKS9+6eIMGH1IeTZEYrdbiHiMwDufhEAHecfJ"
    "pCIbu+mmj8eI59aKmg4FJnsryDn4zYuTyM6MCVJ0RcM/AiwCLtBENHd6ropxqBjHUamXZY"
    "9p5MoxOMIjRUr/Wh3RqSJHhKVy1iifwuGF/hZ9CofJ9gl2aZZowpENnLP1YBSptFIJbnmH"
    "8vnnNoidprimqAP/HAqe8ItsM9AXgzMJharKH5XwxWBQpAVHs2lSWvCO+uljPymZ0Z7xow"
    "CNsejAm5MgnAvgBcIpEfMBjO2Z6IRxYO6dSugQ4LgFtq/1OtTEY6R2sVV68D71YO/QzSIB"
    "2JCiemnjl3myxi+zk8Yvk3HX2EyX2hlykJN033Tc1QcDyvaMXQkhlO4W+20B6B0du4apGy"
    "NUhm6pDV3hlMBGofU/UZoKptK8yyPOs6V56hRYm+qSZQpLkvj8+soYy1rt4ymqxazdNGGZ"
    "8RUObAxnkNDEqd7eWd3BMW+6+V+Xn2g+tFMHsCv3w/HOeOV+KKH7Ieod3nO08lhg32m4Mg"
    "pZtpsmQHSlq0bEnHP5a7JhkfotIq4gpq0h0YhyVxzSXbFgQ35ooyTqsyT58B/XYSxraGC3"
    "Ym3ErVgS0Xj/XuuKwz74f37989Nj777JT2EJf+fUwGLGxsVNDmvjImkhhuYGvxVnTPQxpP"
    "yRT/gEWZlZs65dt73tHUK0P7s6pohK7OdM0RIlUaJFlt4/KRh1DwkUnrIDudcwlze3lEuW"
    "YbdtUAMtspjCFiNSk1UtjTiYHyFipWzoQqjeAcdnCe9B/LXNkU0e7vOxIbYV3S05CXDsa6"
    "Oy9cuVrb9Ln84nS5fu1CzKz5Z5caZBjTzHLzvcV24hQgHE1JnXwWysU2BjGDrXbe5G55ku"
    "8dwY6anMGza3wU59yj2kTkbepY18kctGvlhiI1+kbWTxvmjsBdD816OIH05GW2bFuXaP+E"
    "ZarBcmAE7YkCk5FYIgEA1h7txhInYq4r/riL8v8rWQy+s4SdOtlBn52n230/vY/qMO/B+H"
    "c4amjJ48IT3iDhaPs+nxOZGmqqNV7nYlYhQy2WLEBKRL1iMma65UD3/jupuOYxnOwG9mwN"
    "f92XXAZTlXOM+E9NZN8w2DB8wQHQPdVwe9lX7IAfYMp5XGXXWyzvpBJm+oS9TSwf0qmZWP"
    "l31qNzp1wP8m42XliIspLX+3Wr4vVtac4iF1mfGuNe56rV/5lnnifx/fNTp3zXa7+b4OFj"
    "/LMd3FIgBScOO2GNE3nfwOsVkUvAjJt3zOPbd8NaGuFNAi4kTqkIOk0X40aQYXRwKoylve"
    "NcLclCmGbIRCBXBVIniJ9rYLgk0bYhxEtY5rHueFNvL6lirG2DLhZGpT7r9mrKrJUsfjNc"
    "6WZo+HdTX/IKxtJ5An3+zFzoq8v2Qm+V/RYz+VT2e/Pp0Dnpt26I/b7ncfz9hQdMUm7/tF"
    "uFbbC75XeeC9ykb3KgWuPeVYFMwRjxFVcBpv63DnyOEorHPoMMNWls+cDXSCTEGdA2rbpY"
    "Ytc/H24JcsUy4kqQTEyzYmaP4u1qcs9iQIoDy5b/wuUF7sS9Dudn4Kqkegv2t3b5OpBOqo"
    "8szZXt0Dn5TrRFn6hxdyG1v6Bz7XugEdZIxrEmvUv3O2zArVwzpbNT5VHuoBzclX6JCCGn"
    "mEpBIaTMKsvL7OY1ZeX2eblfxewqxkL1UBhP3qFUR3J1kArEcKZcbOz4/dToYuGJIkFUFk"
    "UPA/kWl/hGgvAZeDsVwbTyreCTWON3BbLNdx+x+zr/8HK4pEkw=="
)
