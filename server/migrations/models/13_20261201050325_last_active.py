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
    "eJztXVtX4zi2/itaeWlYi2KqqILuk34KkK7ONIRaEKp7ZjLLOLaS6OBIacuByszp/360JT"
    "u+J3bIxXHpBRxbW7a/Lcn7rv82JszGDj9tTUmPPWPaaKL/Nqg5weIgde0ENczpNLwCJzxz"
    "4MjG5pQY3qLZgHuuaXniwtB0OBanbMwtl0w9wuAmjRZFhHp45Jpw5geOLBfbmHrEdE5Rb4"
    "yR7AsRj2NniAhHfMxeKWLUwj+Lv84cLqGHX1vvzs4v4PoznnoncG+bWeLmhI62d5s+fSXe"
    "GJnQ2vXQ1MVD8g1xhqaYTR2MLJMiDzsO8saYuOoeHJlT0/VO4RFnlPw5wwKuERYtXPGg//"
    "q3OE2ojb9hHvycPhtDgh07xhNiQwfyvOHNp/Jch3q/yIbw9gPDYs5sQsPG07k3ZnTRWuAB"
    "Z0eYYoEKhu49dwYsojPH8dkZcE09adhEPWKExsZDc+YAo4FaPUB4rmEY3bue8dDuGUYjNQ"
    "gCigjD/FMWozCAxKNy+fYjeIR3Zx8+/fjpp48Xn34STeRjLs78+Je6dQiMIpTwdHuNv+R1"
    "0zNVC4lxCKr8n4L1amy62bgG7RPIikdOIhvguAza4ESIbThndgHuxPxmOJiOvLH4+eH9+y"
    "VQfm3dX/3auj8SrY7hlkxMcjX9u/6lM3UN8A7xVROkDMIhRR0xvigC8UU+whdJgOUKY4xN"
    "Pi4DcpxqM0Dvd52IwXzxqQDMF59yYYZLcZi5xaCPEhCHFFUex42HqWnhdxyLLxQ8DAofuy"
    "zoZ4XWj7Ml68dZev0QH214LMP00thfiysemeBs/OOUCR7YPulpcFAdjhQe8kvA7nVu2w+9"
    "1u0X6H7C+Z+OxKvVa8OVM3l2njh7lFx1Fp2g3zu9XxH8RP+867YlnIx7I1feMWzX+2cDns"
    "mcecyg7NUw7SgmwengVIzNjsk9Y8bXYnSSdgOs9lcuzenNc9rFL+Lbsw6f45Say1XmcrD4"
    "DuZGKbUlRbdag6k+Yzejw4TgMndkUvIfqdeWgzeDci2Aq/Yp3ATCoHcPnzOVxChsabR/YS"
    "4mI/obnkvQO+LJTGplaYm+VeUu0d2Bgf1XMKqCs+GMc83XheEia7CJA4EA9iQa92KVue9c"
    "9Ro5K8cGkL7HnM1c63A/BitBTi2YMYjFU6Du481NQ47ugWk9v5qubeQMc2ts0hHmxsS0M2"
    "wilz71L7/dY2cxdrNxvyEWphxfyQ7rA35CkBHPyr0NwnWveqwRXjDq2BmLjLbYOExfmpxN"
    "kmdMao7kK8G94U5Zq2iG7Tq5yubbr5PLewETNrJm3GMT7J6iJ1A9npBlWmPMweyLHPKCkc"
    "Vm1ENsKH5J5nJEKBJN0dH9h+MTZFJbth2K9Sltut5o930a2KaBJtIHnU0G2IVO/AaDORIr"
    "qjfjkv5ZjCZ09Do2PZ9EDHbVx3ETYfE8fUq4spTjF9GPWj5seBBoLyCkXKAoIBO/RSf+8o"
    "JM5PrL8gmSxnRvLPpx2StymCUE/D49epK3MabY5Yw+HQsUBsRxBDqGuBEXPT6hkSDg8MSM"
    "YrglPMI8/6bwGn0Kz0XxN08QvDABnLT5c3RkBjD67QFARDifydeRTU/A5j8bLIbBceLh+1"
    "Q9fVO+PPgK4ncSrV5Mh9jiSYiAmngA9Vxxg4uRi444dsU7/M1/079BF6fT+bF2G2i3QbUE"
    "wB2Y/UCDN/4jpnYpo3aUaHdINx57V42dQL15s7a/7BlyvS2xTqTodqdGvq/0khFCC9/tEo"
    "gGzTWQSSDhc/6CDTyZOmyOs5wwuaBmke4R4PeVAxXuIp7NhLuUhjVBrIFVr/2G8ZpNrIGN"
    "YbPemM0j1+DCGRtLdHIsnCBytYW2mLK6xRBO9rFDCazXvr/tdFu9dloOi1+Kq/GLa020OO"
    "zT+/bt3de20bq6aj88NFHs5zp+8c3HfCSU4RKzIIOyUhOg8Vmq9VKzVhq9UsjBSLGwRKQ1"
    "+IJs2fCkCYTgKRNHGebqYtMm3csOJ063/bV9n5404ek4d+T5JpL/+vTxi9G7M65aX5pocV"
    "iNCSK7X1O1yaTVbsj08AegJox6Y2dumJNslC/JaCnQafoaIf0/Z2cfP/549v7jxU/nn378"
    "8fyn9wvI05eWYX/Z+Qzwx4Z/mh9qATF8M+waARaZHeg4iyrHWcyoCnwaetg1bHNeRiLOpN"
    "2dNPAxJQ58zJAHrsFGDuIAm3lIypfEmyP5zGBJtyAUX7kJfuChEV85OkyO1DvuRzzQoYv5"
    "UIsXtO+oM28sHKuHMCX9hSw1I1OhI0W87YusmYw5W8Z5HM3RObBhUNDPrpyFb4SpRCjIQc"
    "K0EFmVw3O38RsHjVgQyLHjGI6DxIyLD5Mx4+bojREvD6Kfx6CbOgLlmyfeOKg6qpe6ghSN"
    "p3gjUg+RruoKF7HxZMo8TIWS9oyzZP1SYyvs7Tc8rytmr3gwZuzZwNSeMpLpMigD2u+qu7"
    "bfW+1Re8Ebgwy6qhNe24xtXAirGXGNUUE2P6bRjbYqEM+odGjk4hHhQrdWYXwmRSo2kkse"
    "nyb16DJ0GRFs/0pFXuKJSZzGvxOhbel2ypUHR0FgFbEbgirdctX1sCcIdyxCgb+J96SmY+"
    "Q1CDoKu3bYiFDDtIQ8ILkkM9Z8d6TS8aEvHcGnI/h2Be72I/jUVC4B8IKgjgifF4ncE63y"
    "ET5Pxe4F68w6TseAdoeuxvbtl5u7f7QzXPTLE9QDuiYKjvq0/Uevfd9t3RhXd92Hx5teq9"
    "sTl9Mn1/FGnhVi1RJOpRjlMidnqVnNqIB2h4y6bd9eZjmFl7OpdX3b6TaR/AcxFA93j/dX"
    "beO21W19Bp9x8kyfqvs0UeR+e2dV+M1OCLxM8MGky8LhMrg0EFTbYlPwLd6tg+zy7u4mZo"
    "i/7CT8kt1H4ObRBwm6aES8HHdlUigqAXiSdIewL84cLO5ioXE9A5xH2W6pnGomMaplLqkD"
    "/FgvAR5cSsmBC9L7K3OfwWlaBsMU4RthPBy/egaKU5NzgYVdunRRinCtT2PFsNuFQB7RW8"
    "uI5XGyGoJ9fl5INj9fIpufJ8G2CZ865twoq2Um6WoI9zbG9kjIX7Q02HEqDXUhqIfmhDjl"
    "B3aCTINdCGzIxsZ2JGWhpKCcSb+etFwx8HcjK9t46rIXAqHyawVyZdHrgMoqB1RKGZ2TEf"
    "ALdMz1qtElO9A8rzzPY+6Y0gyPUWtuV5nbOiw3X6KpV1iurpm3y3B3D7sTQhVM3Bpje+as"
    "UQByRS81yg7aPvCqyPdm4I/2pZmgK0ZWqGJk3pjdAO71rx+5Yr3NqSZZfPnZABNKJLjUjQ"
    "nRVfcNhT055nwDIdaqlxqtP3G9QFc/XQMtC/ZLcin0pzErWjHWxhaxs6qD6aKxusjuIee0"
    "HSJkfqaW4RC6oXStG0LrtIRtM9EhkCky8hwi4kZ+mgOPNCqQ5aDs8u8IRQOoMwT1lcHcJa"
    "sKBTv9saH8aTH2TPAPPNgmkCPuCcnVzkqC2FS3b6jyq7cB22K91PwsAm1MzmdFfY3J+NuU"
    "iN7W4HqcsoZcPxAuF/IUBTl05UyoCSrtK1htLY0mK+7OYlc1kItaixIDLGYXumo9XLWu28"
    "vMQlsV5wSvOrQ3dpnnSYzTUl28xXLhTrSFGAov2nqllPeLSRzYx1IQC4mMQ4Yqwu8guQyJ"
    "uS/AU7tbwGnLIZh6wekTNGQuAiDeseEwLedtsuM3SHrPOKfUZPZy5DevnWz3sVC83ccl8X"
    "Yfg3i7fPFuKJg7c0uVcI6S6FruqaQfCJbxIVo31iZOrmWoSstQA7UrjjGjXlY68HJ2p4h1"
    "ZFXVeJ2S6vYjeMTdBxlyR8q/kC92xCupFRM6unIHrNkUBqKNqPjcK5nMRuAfQa8u8TxMm+"
    "hp6LKJKiv8BCYh2EZLbn2F/5yJntGTgFddTYkfm79Fn/pGKbg6wEJIkftS+ft3yU2pipTx"
    "WFmtI69QBrOsmesqG4iufrHT6hdR6EsuygnSGn5/a2y5CteGMiJtjEgbNLJi8FhpVKMkGt"
    "MMTMUs5OvvRhJSV7mejHjtTq/Tumki/6BPb1vdRzih/vdp67F3Z3S6V/ft1kO7iWI/+zTY"
    "t6Rz1w03MRE/kuJDEZV6K+U0mFs6VzBOVWX2rWm72E5+93CIVRZK1qTJr0qQpPuuazuooV"
    "dK5IyS6MjozJ3mBD5rxKKnCTW8aXh1Ysv25ZB9uQFrOHR1zkQlcibk2rpbd2vFBnNRfKOf"
    "96LA6tSHkvDm5jlkg7yfeIEDRXhZuEAIb5E0Eh0pu8dI2UQsdr6LIxKtvdrH4UYar3Ry3H"
    "+4aEJtb0IheJFj6SYI9txSm8dBNOt0im0V8iDamvaEUAI9i3mOPIbEM7nsBTwLKQ/Hhvvv"
    "i9FhwVg9RWJZQK9jNmnKLv2a5UdPwdR4OhZXsXR7zJHp4kg58xMZ02E6r7APmbhORLdBtM"
    "eRGpCBwyTqKzmWZMCgE8SZuGx6i43K5CvamHqwk5msD2NjF8Hr9GnwREiNA/HUJgUXD7yY"
    "bSNLkA4wMvmzODeUL8xOUctDE8Y9xCg8uWSojELxb0d4n04xtQXKzcBNJNo6c7XNavLRpT"
    "dIOV5P/I3WHAhapiN5R3GTtR1BUI5oxpe5hCIF4LUzaFfOoJAt6xhaQ+od1ij+0u5ed7qf"
    "G+UQD8iayD/o09aXL/d3X9vXTRQc9el1++qm04VzwdE61tTN72qrg81XfZKr7qIrFDKjK+"
    "dvu3K+3vtBl5qtTalZX+JTBQPKjuxMYj3Miw1zP417rbqQUUod1Vjlz3HAqzVmVwZpDRe1"
    "rVQZnjlD4jhrTa4krZ5eBzK9Sin3KTrtYdPO4X04hyMCVEkHcYpSD+EVAK8RRZJLr8HWoQ"
    "5bBVaHOlQi1EE7izfuLM5bnzXEhSBOffdLwqzDS9YDu2SUSahh6HFdAOqUQlY60mS7hcZM"
    "75Gb2cmh4cWT5cXGTM+YLdqtjJfoBeELFtT9mkFBCGqHQQ0W5hA6MOPYd7NDguccqbRTmb"
    "lJwLOuYhY4dgmWEQipsInt3KZPxwRKk8mWrodswWx+in734wf8mAeBAOWw+QWjiwpnsuOf"
    "EZX5qtgmXuHqZjpFtEJRATpF9DuxwC3y3UsmMKbotIEoQ6UW626Z1SlorrHU5kxtp6gW2J"
    "u3U+xHFvaDr7Mk4eDSUjmYRBqtFII7nM+wjUxPyZewjThIiiYaEMeBoNKpEDmZHciLSnq0"
    "lagKr8qhlq6M2Y1Fqaak4C3dp0/9mm6C9gS9jomlImb90N9wLKBnjKdcjgc0Zq/yJoIDc0"
    "TgwVyO3FluBZW03KtuaMjXUIJvkdJwWg7eghxMZ5MBzsiVWhIutqCoX9W9swK+/o9n+TX3"
    "zpKe/thIz9QzskFO0n3Xaes+GJhmLAArIfSpvmsA5SK9jqobI9SKbqUVXWmUoFap8qlRmh"
    "rGRX4sspznr+bJxdxjnpkRur6kBpLfXitjecVSlaBaTttNE1YZX2nApvgV0taCbD/fOu2N"
    "CRivpbqBTPt/Z9zjkIWWlP61+eFwR7w2P1TQ/BC1Du842ftQYN9qtncUsnwzTYDoSlONTN"
    "kvZK/JhyXTbhExBQlpjchOtLlin+aKBRuKQxsl0Z+ljA//M8lSrIulRwe0VVYeGpeytOSl"
    "rCjZur42oJik+g+///740Lttd3twLjguKIFtOSM6+hqZ/MnLHYiRVZk16+p1m9sdI0T7z5"
    "kpi1aUWFqiJHppyaqOOCnpdQ8JNJ4ZeK6jLr9dU65YyN6mQQ2kyHICW4xID1adbrE3O0JE"
    "S3mjCSHiHz+wsVvUehCftgXCpMNtUt6IbU23gE8CHPva6PyVfeSv7Cfs5otj0kaGMUeeP1"
    "lmxZkGLQpscT11wVbuEO4hTD133kSvUHwOasMtjOsMzOgQ6RKPjcna2vqt3b1ho0NtHtpG"
    "NIsufbQwRxTSkT8s0ZE/pHVkOV8MMQEMf3qUscNl0VZZcG7cEtiHTNxFLABH4pE9fiwXgm"
    "BpCGPn9uOx0x7/bXv8/SXfCLm8jpE03UuVkW/c3nV7v978o4n8g/0ZQ1NKTxGXHp8NFq/z"
    "RtfeQ6Sr+kiVW3XtxSDLSkZMQLokHzHZcqV4+LusQ0zj9X79bgaQ98eaCNZyEDj9yse2/U"
    "7Ao0oFm744qDL9iIvYK00Ljdu6yRsqDuvUwZ0KmbX3l325aXWbCP4m/WXV8ItpKX+7Uv7h"
    "VcxeY5C3rnqdr7DjoPzfp1et7lX75gbqYi8OqzHcZRIAL7nvXYzouw5+x9QuC16E5I3QVV"
    "MkLIgcaL6GFFdKSBFxot3p9+8rLU0cYJjBhwMBVMctbxthUGXKIRuh0A5cHQheoXp5gbPp"
    "jRgHXq3DGsdFoY1M30r5GDs2nkyZB/ZrwapGVuh4vMXJ0ujxsK3x7DfecAB5cmYvNqaE+y"
    "Ujyf8V3chG23R2a9PBpbwofvMqK7hrGhS2Uu8+Zz/WfHwXBDvcdKuxE3w/FYH3Uz66n1Lg"
    "silgUTJGPEZUw2F8UWRfpYv8bZUuUrsqDcXNsSsU26x45nygE2Qa6gJQs5lnsSwTbw9/y1"
    "PlQpJaQLysMEH7D5mfsqhJEEB5dNv6Q6K8qEtwc9f9HDSPQH91c3epN98rPNrFC9p31Jn7"
    "Is+B1IzwpbOlJSO06URr+vtf5N6s6V+1Hq5a1+19aaW/48GYseeW5wl90mtkaKWJFifLtN"
    "JX1Vasp2HjlZEPUNvty91DT9WEE30SqIJ8gkyuKiWzEeJj9soR8dIRDWWJddBrtXRXf6Ss"
    "9fVO0tbw+30g3+sAk6UfbOVbF/yzy7jkElTaIp92cdgzpQ4bk4y4h1xgE1RaAsrOApwyKK"
    "SNv1lCEc5YofK1uizaGliEdq3cYdctZ35bENRvP8+tlA4IZKayezzGqPTqsVp/CiDbgO7k"
    "y+TXkR4PDOui6lNinFVQdVowIV93ivJptfIUHSfFtCf8gqmHPCZz/zC1p0wA2kT2DEPR7S"
    "cqvlGBSib+P0GtbEeoTe3udaf7+RRBKiGzMAeVSUnSKRVro3foU8sxyQR0MjRhL5hndDA1"
    "uSoX7p/8gcNt0RFEpzvY5Pj4BHEmI9KjHduwRc6E2O8CEKEx3EHcSj7sSIw1QcjoCRQrRC"
    "ZloAbCm3HZv3gb6B7SKC18XDi4PYwbTbyJ9oXuVp88vPDfhj9LSgpsAVkzmGV9et2+6Xxt"
    "30MU8OKwT39pdWRgsPqfnN37iQr250cZdSVKogMzk4pKctVJ4brckpJBro0plTamaJ/Xd8"
    "FmX4xZi9FJ2g2wumLacZ04HQjV5dTwBJVWwzO+jVJ3KQlrhERjutq0IfHanF2jHXR3YCgX"
    "NWpEh1e2RSNrZdggvpEe6wpxfGEsazdKqSqGw0ZpBpSpx5D2o9cE+q2WZEiO2HwjW3RQrz"
    "ayRSdVkdpdj/c3UDjBtCeEEmjuMRe5eCSOQcQ6UQUSwGAlJ7c0OBEoqODYiA1PUUec4ljI"
    "3h7iYsrylJVt87foU7Wd9NScO8y0f/b3mDaRyzxV+QH6mrr4hbBZnFR0ytCMesTp06egha"
    "FaGPL80yl6kD85Ml2M+HwyweJdLGmVE/3O5elnPPUQhKAB/M3wvHyyPhXkM5cGW/2Flyem"
    "jVX5CbUjoJh7o8I7VWt72y7tbTM3Y1OhfOec37wWYa6p3IOCyQdLsw8y3HOHVUd9R6kIW0"
    "n1UOtqKWfzgqLKQ7rxMDUt/I7jqSkfJnDnSMzWAP+8EPjnS8A/zwCfAigZa/QlYw42aZ4C"
    "vKBKcGAgyLbFgmAF361N4/Lu7iZmzrjsJAMoHm8v2/dHHyTuohFRAm9aJ1af8jIjPaSo8k"
    "hfczXZUr3JmNxUBuwM0vpFs+wCdCWslrWc5naiTahVNqFqn8h3weahSWRFUk5oVnGf5ZxO"
    "EespXWVe24RL+W4d91ecVPP5IPgsFmJeUtNNk9ZPVtpK5K/OoNQZlPtfv3a8aa4fFUHeun"
    "NufUOwd+LPkR7eJc6cwANcwJOzaLrSjQO7mbOZN2DfmjKQ2WWvck8E2cUJenWJ52GKiPKM"
    "iM4oF/2Bp0RVvA72Pice8rDjcHC7pBw527hJnz5NMOem3JzoSXp9RMMnH4J3cE4QK3fPIv"
    "IZ/CdCexVH4ppOf62k+yTkahmRJ061GXvcfmHecpkhiU0JgIP2NTR1br7ije9fTuObnxsZ"
    "IakyxHIt//vDXRcNmD0/QfibWKmdORQXADc5OK7FGsv970/1cie1QWwtVhya8qz1OK3H7X"
    "8qaT2uYvhvVY9rCeitcSNDg/OvnCzT3cywzUaL1mpdZo+6jJg+vGSUUoSkynLgujFK5+dF"
    "YpTOz/NjlOBaInVSTKoSCPvNa4juVsIHxB29zFQG0AJyROWQJCknE8tD/yd36D1AtJeAC2"
    "AsV1aSeklC6oUOLsvtkbj5j9lf/w+eQq0K"
)
