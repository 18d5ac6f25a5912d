"""Activity and unused licenses (R19, issue 15): when each person last signed in and was last
active (both null until then), how many days without activity make an organisation's license
unused (30 unless the organisation chooses), and an index of the license holders by last
activity that the unused licenses are read through.

One migration serves both supported databases: only the type of a moment differs.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
ALTER TABLE "organization" ADD "unused_after_days" INT NOT NULL DEFAULT 30;
ALTER TABLE "resource" ADD "last_signed_in_at" {moment};
ALTER TABLE "resource" ADD "last_active_at" {moment};
CREATE INDEX "idx_resource_organiz_287a7d" ON "resource" (
    "organization_id", "kind", "active", "login_access", "last_active_at", "id"
);
"""

DOWNGRADE = """
DROP INDEX IF EXISTS "idx_resource_organiz_287a7d";
ALTER TABLE "organization" DROP COLUMN "unused_after_days";
ALTER TABLE "resource" DROP COLUMN "last_signed_in_at";
ALTER TABLE "resource" DROP COLUMN "last_active_at";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    moment = "TIMESTAMPTZ" if db.schema_generator.DIALECT == "postgres" else "TIMESTAMP"
    return SQL.format(moment=moment)


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXVt32rgW/itavEyyVppp0iQzi3kilE45Q6ArIXNlliNsAToxMrXkpMyc/vcjyTa+g8"
    "3VuHpJQNaWxLcled+09W9tahnIpOeNGe5bz4jU6uDfGoFTxD8knp2BGpzNgieigMGhKSvD"
    "GdbYotqQMhvqjD8YQZMiXmQgqtt4xrAlOqk1CMCEobENRcl3FOg2MhBhGJrnoD9BQLYFMK"
    "PIHAFMAZ1YrwRYREc/8b/mXDwCDx8bby6vb8TzZzRjZ6Jvw9J555iMd9fNgLxiNgFQ1LYZ"
    "mNlohL8AaoEZsmYmAjokgCHTBGyCsO32QQGcQZudiyE6BH92EIdrjHgNmw/0r795MSYG+o"
    "Ko/3X2rI0wMo0IT7AhGpDlGpvPZFmbsA+yovj1Q023TGdKgsqzOZtYZFGb4yFKx4ggjgoS"
    "zTPbESwijml67PS55o40qOIOMURjoBF0TMFoQe0OICiraVq319ceWn1NqyUmgU8RYphXpF"
    "tETCA+VCp//VgM4c3lxdUPVz++u7n6kVeRw1yU/PDV7ToAxiWU8HT7ta/yOWTQrSExDkCV"
    "/xOwNifQTsfVrx9Dlg85jqyP4zJo/YIA22DN7APcKfyimYiM2YR/vXj7dgmUvzbumx8b9y"
    "e81qno0uKL3F3+Xe/RpftM4B3g6y6QIggHFFXE+CYPxDfZCN/EAZY7jDaBdFIE5CjVdoA+"
    "7D4RgfnmKgfMN1eZMItHUZipbok2CkAcUJR5HtceZlBHbyjibygxGBAMuyjol7n2j8sl+8"
    "dlcv/gL20xLA2yJPbv+ROGpygd/yhljAeGR3rufygPR3JP+SVg99t3rYd+4+6TaH5K6WdT"
    "4tXot8STS1k6j5WexHedRSPgt3b/IxBfwZ+9bkvCaVE2tmWPQb3+nzUxJugwSyPWqwaNMC"
    "Z+sV8UYbMJKdMcuhaj47RbYLW3cylOb5/TNnrh7551+BylVFwuM5f9zXc41wqpLQm61RpM"
    "+Rm7HR0mANeyx5Dgf6ReWwzeFMq1AC7bq3AbCAu9e/ScqiSGYUui/cGyER6TX9Bcgt7mI4"
    "NET9MSPatKL9bckYH91Z9Vfmmw4mz4ujBcpE02/oEjgJhE457vMvftZr+WsXNsAel7RC3H"
    "1o/3ZbAS5MSGGYGYjwJ0HzudmpzdQ6g/v0Lb0DKmuT6BZIyoNoVGik3k1qP+8Ms9MhdzNx"
    "33DtYRoagpG6wO+BJF69IKoRfBNfloejmNl0ACx/Inib5FT2m7QootNr5rZNtj49tVDpMs"
    "0B3KrCmyz8GTEKWfgA71CaLCjAlM/IKAbjmEAWvEv0neUoAJ4FXByf3F6RmAxJB1R3y9JU"
    "2xW21+QHxbq6AJtUGc6RDZohGvwnAO+A7BHCrpn/lsAievE8g8EsqJZRundYD4eAYEU9fy"
    "i154O+5yMMRARH0OIaEcRQ4Z/84b8ZYLgMD2tpkzII3DbMLbsa1XYFo6F1gH5ORJdqPNkE"
    "0t8nTKURhi0+ToaLwjylt8AmNOQMWILYJEl2II8+xOxc8YEDEugr4wTvBiceCkDZuCE+jD"
    "6NUXAAJMqSN/jqx6JmzYznAxDU5jgx8Qd/R1+eOF7TvaE6/1Ak1s8JFgDjVmAuq5yw3KZy"
    "44ocjmv+F775d+L5o4n81PlRlcmcHLJdDswYwlNFLtH760Cxlpw0T7Q7r22G/W9gL19s20"
    "3ranyf22wD6RoNufWvS21FtGAK14bxdA1K+ugIwDKV7nL0hD05lpzVGaUyET1DTSAwL8tn"
    "Sgil742KDopTCsMWIFrPuzN5iv6cQK2Ag2683ZLHIFrigxkEQnw2InRK4W1xYTVqQIwvE2"
    "9iiB9Vv3d+1uo99KymHRR1E1fvGsDhYfB+S+ddf7taU1ms3Ww0MdRL6u4+fdfgxDTBkusA"
    "pSKEu1AGo/S7VeatauRu8q5MJIsbBEJDX4nGzZtoRHXC/qiCFbM7gyX0TcS6PdHyveJXjx"
    "LoUZ74WBQvDCchiQixuzOZBjFmYMXcT1uTaa72hgQXGtTJAC9zcehjcqDiIbav4DjR4x5z"
    "XPSpuNa5n8qJ75KOFGTfih8pjuFyG4KWu2iOE+HPB7ZNMg02gfjT5wLbUbwlTAr3SUMC3M"
    "Ia61eb/OoKNEjPJNVnMoHG/oOXvg7Tz6zVQRKE/O2XBOtd1WqgpS2DGzIVIPoaaqChc20H"
    "RmMUT0ufaM0uTWQnMraO0XNK8SZrt0Xy9eiSmu6/DrMtttbYdr5XBZu5I6sNEYUy7Bu55a"
    "SIDr/qaSy+cpvujcdClOyr8SznU0hdis/R3zXibrudYa8cn3nWGjxqmSNVc9D1oSHu08FF"
    "y/RDaBppZVwW8oaNq0xphoUOc7teSSDLL1LE6uJiHaUk5a5aStjpPWXcoFAF4QVBHh6zzO"
    "WV4rG+HrhHvW32fWMcf6tHs0w7buPnV6f7RSrLDLz9T4dHXgfxqQ1u/91n230dGave7DY6"
    "ff6Pb542ThOhbZy1ysWsKpBKNsy8zYalYzyqfdI6PuWne3rfuibGq8v2t360D+E2byh97j"
    "fbOl3TW6jZ9b98JSHi0ZELefOgj1d3BWBe/smMhrcT5AsszjmcKlIafaFZv8d/F+z07c9n"
    "qdiLnvtt2PofsouHlyIUHnlbAbPJs0wsaFogKAx0n3CPui5Ghx5xuNzTRhok43fmccwIxQ"
    "LTN8H+HLegnwwnAdn7hCen+17GfhmimCYYJwQxjLGeidE8UZpJRjYRQ+bZ0gXOvVWDLs9i"
    "GQh/TWImJ5lKyCYF9f55LNr5fI5tdxsA1MZyaca0W1zDhdBeHexdwec/mLFAY7SqWgzgX1"
    "CE6xWXxix8gU2LnAFgdukBGKSisoKKfSryctlwz8/cjKBprZ1gsW0VBrhYuk0auz9mU+ay"
    "9ldIrHgl9Cx1wvgUa8AcXz0vM84o4pzPAIteJ2mbmtgv+yJZpqBf+pNB/7DKplyJ5i4sJE"
    "9QkyHHONnDUrWlEZbAoA7+Yl3A784bYUE1SSmxIlucmas1vAvfopb1bstxkJcPJvP1tgQo"
    "Ew+qoxIbzrbpCLiCJKtxD86rZSof0nqheohE1roKWLFO82Ee0pzPJF62smJlsK2e9gUiWw"
    "dhlS7e9eKRHVoY0tO6CahirliKd2LYBvMAFDcWhVJOsSirU8oupfg2CN5Ffdsp4x+o76dy"
    "hQQBl/Rxpp4dbbanaDlFEqR/oOk+9kxysrs1U2K6prtkJfZpi3tgbXo5QV5PqRcDmXTdo/"
    "rVPMWBOjUlbJ1XaZ8LGo/dkGygZyXr00NsEiGmiz8dBsvG8tU0B3Ks5xXrVJf2JbjEmMk1"
    "JdtMZy4Y7XFd5aFq69Usr7ALEpLvngxFwio+IsHEBvxDEWwNc+B89NlSqKdRMjwvziMzCy"
    "bCCAeGONRkk5b5sNbyDpPaMUG1q2iOdVr5xs9y5XZM+7JZE97/zInmzxbsSZ69iF8oGFSV"
    "RiwMTxAuGW9yBa16sfJVcyVKllqKGbYllzCEs7eLic3QliFcNRNl4XSOWzS8EjaqhMkTsS"
    "lsxssSOaGSaf0NGV6dSdmSEvGCP8de/KZIa8bBO82pgxROrgaWRbUzcF75MwCYmc7DKPOv"
    "rs8JbBE4fXfZoQP7bfxYB4RinxdIi4kCKTnHvJ4GWG8zwJA1bmBcg6km/pumPbrg1EnbPf"
    "6zn7MPQFN+UYaQXfvxW2XAV7QxGRNkKkDBpp0T5WYVTDJArTFEz5KqTrp7YNqMucuYL/7H"
    "a/3ejUgfdhQO4a3UdR4P4fkMZjv6e1u837VuOhVQeRrwPiJ8Ft97pBRlz+JS4+5Doss4uD"
    "+5Zd+FRSlKrM7CvTqSQ0GiE33j1t0WSff47TfdOnyN2pV0jkDJOoGMzUaws4PmtEvSYJFb"
    "zqpsxDyCGHcgNWcOqq6OxSRGfLvXW/7taSTea8+IZf73mBVUHWBeHNjKhOB/kw8QJHivCy"
    "cIEA3jwB6ypS9qCRsn7W9NRY2VBK9WXRsuEM7qu9Gn15h6yOhH/Bvb3Wv6TWK11cYeteMB"
    "K//gVh4SNwr1elyMbubbgJz8ZuuhmQCRaxtbKmzYDBVwU9B7+5fpK0K2/9EF3Z8E+ASIcL"
    "MjDLHZ6rfBzKx3FU4mXZfRq5YgyO8EbU0i+rI7oU9YiwVMYaZVM4/Ka/RZvCYaJ9/KtxUi"
    "Th0K052XIwDlVaKQS3KXWQAbyLDGXGXSEpQuBdzCgCfrFl+PKiKz0arqgqfioVh8GQDAsO"
    "R9MkpOAd9TMgXlAypz3zrgAUHbhzEgRzATwjNKNyPoCJ9So74RyYAywGZlNgOwXuDHE71O"
    "TPSFwdouTgfcrBxJkOUYqxb8mtGguK6oWNX+aJGr/MDhq/jPtdIzM9Vc9IBzlO9037XT0w"
    "UNrdGSshRKm3ZnxbAMpNeh1VN0KoFN1SK7rSKEH0Qud/wjQVDKV5l2c7z97N45s5sxhMOa"
    "awJIjPq6+UsazTPq6gWkzbTRKWGV9pwCboFVEWXKntWqfZBNPFvefQ+K9DGRWnAePSvzI/"
    "HO+MV+aHEpofwtbhPXsrjwX2nborw5Blm2l8RFeaaqTPOZe9JhuWVLtFyBTEpTUsG1Hmik"
    "OaKxZsyA9tmES9llJe/Md1KeUaEtitPBtxK49ENN6/13ry0kPxX3z/z+ND/64lbqMMPueU"
    "wCLKxsVNDm3jIq4hBuqGeBS/yiJyc3lepS5GVmbWrKvXbS+9Q4D2ZwcShlmK/py5tYRJ1N"
    "aSFt4/Leh1DwgUnil4rqMub64plyzCbtug+lJkMYEtQqQmqzoacTA7QkhL2dCEEPKPH9nc"
    "zWs9iC7bHNHkQZ6PDbGtaLbkOMCRt42K1i9XtP4ubTqfTJiaqVmWny2z4sz8GjlyNM9sYS"
    "s3MWUAEWbP6+B1AhmwCAqM65Ywo4tIl2hsTFpu5k2b2yBTnzIP7SKapWAygQqnEbjIpSNf"
    "LNGRL5I6slwvGl8Amrc8itjh0mjLLDjX7rBIpMV74RvACR8yo6dyI/C3hiB27jAeO+Xx37"
    "XH39vytYDL6xhJk62UGfnaXa/b/9j5ow68D4czhiaUnjwuPeoMFz9n0+tzQk1VR6rc7UnE"
    "MGRphxFjkC45jxivuVI8/E3IbpBEIpyB18xQnPuz6kDs5ULgPJO7NzSMNxwe8IrZBEBPHH"
    "RP+mEbWK8kKTTuqpN1zg+Ku8Idqo4O7lfIrLy/7FOn0a0D8TfuLyuHX0xJ+buV8r1tZc0p"
    "HlCXGe9ao9lv/ypS5sn/A9JsdJutTqf1vg4WH8sx3eUhAFowcVuE6JsOfkfEKApeiGRD6M"
    "opEuZETmi+mhRXCkgRUSJ1yUFcaT+aMIOLIwFUxS3vGmGhyhRDNkShHLgqELxEue18Z9OG"
    "GPtereOax3mhDS3fUvkY2waaziwm7NecVbW00PFojbOl0eNBXc27CGvbAeTxlb3IrCj6i0"
    "eS/xW+9lPZdPZr0zngvWmHfrntPvt4RkLRFUne94twrbYXfK/ywHuVje5VAlxrJrAoGCMe"
    "IargNN7W5c6hy1F458jmim1aPHM20DEyBXUOqC2H6VaaibePvmSpcgFJJSBelpig9bs8n7"
    "LISeBDeXLX+F2ivMhL0Ol1f/arh6Bvdnq38VACdVV55myv7oVPynSiNP3Db3Iba/oHvte6"
    "gWysT2op2qj35GyZFgqDOltVPlUc6gHVyRdk04ISeYikEhJMTK28vs6jVl5fZ6uV4llMre"
    "SLqgDCXvUKoruTKADeI0Npys5/HnrdDFkwIIkLglhn4H8y0v4I0V4CrgBjuTQeF7xjYpxo"
    "4LZYrOP2X2Zf/w/GwaHv"
)
