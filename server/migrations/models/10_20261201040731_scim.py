from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "organization" ADD "deactivation" VARCHAR(16) NOT NULL DEFAULT 'TERMINATE' /* TERMINATE: TERMINATE\nREMOVE_ACCESS: REMOVE_ACCESS */;
        ALTER TABLE "resource" ADD "deprovisioned_at" TIMESTAMP;
        ALTER TABLE "resource" ADD "external_id" VARCHAR(255);
        ALTER TABLE "resource" ADD "family_name" VARCHAR(200);
        ALTER TABLE "resource" ADD "given_name" VARCHAR(200);
        CREATE INDEX "idx_resource_organiz_d6423d" ON "resource" ("organization_id", "external_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_resource_organiz_d6423d";
        ALTER TABLE "organization" DROP COLUMN "deactivation";
        ALTER TABLE "resource" DROP COLUMN "deprovisioned_at";
        ALTER TABLE "resource" DROP COLUMN "external_id";
        ALTER TABLE "resource" DROP COLUMN "family_name";
        ALTER TABLE "resource" DROP COLUMN "given_name";"""


MODELS_STATE = (
    "eJztXWtz2jgX/isavmw6k3aaNOnusJ8IpVt2CXQSstfsuMIWoDdGopYIZXf7319JtvEdbK"
    "7G1ZcEZB3JPEc+Pjcd/VubUAvZ7FVjivv0CZFaHfxbI3CCxIfEtXNQg9NpcEU2cDiwVWc4"
    "xQZfdhsw7kCTiwtDaDMkmizETAdPOaZyklqDAEw4GjlQtnzHgOkgCxGOof0K9McIqLEA5g"
    "zZQ4AZYGM6J4ASE/0o/toLeQncf2i8vLx+K68/oSk/l3Nb1BSTYzLa3zSPZI75GEDZ2+Fg"
    "6qAh/gIYBVNEpzYCJiSAI9sGfIyw487BAJxCh7+Stzgj+PMMCbhGSPRwxI3+9bdoxsRCXx"
    "Dzv06fjCFGthXhCbbkAKrd4IupamsT/l51lL9+YJjUnk1I0Hm64GNKlr0FHrJ1hAgSqCA5"
    "PHdmkkVkZtseO32uuXcadHFvMURjoSGc2ZLRktq9gaCtZhjdXt+4b/UNo5ZYBD5FiGFek0"
    "mJXEDiVpn69SN5Cy8vL66+v/rhzdurH0QXdZvLlu+/ulMHwLiECp5uv/ZVXYccuj0UxgGo"
    "6n8C1uYYOum4+v1jyIpbjiPr47gKWr8hwDZ4Zg4B7gR+MWxERnwsvl68fr0Cyl8bd80Pjb"
    "sz0euFnJKKh9x9/LvepUv3msQ7wNd9QIogHFBUEeO3eSB+m43w2zjASsIYY8jGRUCOUu0G"
    "6OPKiQjMb69ywPz2KhNmeSkKMzOpHKMAxAFFmddx7X4KTfSSIfGGkjcDgtsuCvplLvlxuU"
    "J+XCblh3hpy9syIE9i/05c4XiC0vGPUsZ4YHmkr/wP5eFI7iW/Aux++7Z132/cfpTDTxj7"
    "bCu8Gv2WvHKpWhex1rO41FkOAn5r9z8A+RX82eu2FJyU8ZGjZgz69f+syXuCM04NQucGtM"
    "KY+M1+U4TNNmTcmLGNGB2n3QGrPcmlOb17TjvoWbx7NuFzlFJzucxc9oXvYGEUMlsSdOst"
    "mPIzdjc2TAAudUaQ4H+UXVsM3hTKjQAu26twFwhLu3v4lGokhmFLov2eOgiPyC9ooUBviz"
    "uDxEyzEj2vSi823ImB/dVfVX5r8MQ5cL50XKQtNvFBIIC4QuNOSJm7drNfy5AcO0D6DjE6"
    "c8zTfRmsBTkhMCMQi7sA3YdOp6ZW9wCaT3PoWEbGMjfHkIwQMybQSvGJ3HjU73+5Q/Zy7a"
    "bj3sEmIgw11YDVAV+hSC9pCL0IrslLk8tJvAUSOFI/Sc4tZ0qTCim+2LjUyPbHxsVVDpcs"
    "MGeM0wlyXoFPUpX+BExojhGTbkxg42cETDojHNCh+KZ4ywAmQHQFZ3cXL84BJJbqOxTPW9"
    "IVu9PhH4nva5U0oTHIbDJAjhzE6zBYACEh+Iwp+iexmsDZfAy5R8IEsRrjRR0gcT+PBDPX"
    "84uexTju42DJG5H9BYSECRQFZOK7GMR7XAAEjidmzoFyDvOxGMehc2BTUyisj+Tsk5rGmC"
    "KHUfLphfYEa09wud7pB/DkSKPM+IeSQiBHiA6HdO2h36wdBOrdeyo9AWookVNATiToDmcZ"
    "vC61yAigla+uAoj63TWQcSDla/QZGWgytekCpfnVM0FNIz0iwK9LB6qcRdwblLMUhjVGrI"
    "F1f/YW6zWdWAMbwWazNZtFrsGVLRZS6GQ4raTK1RIGU8KREkE4PsYBNbB+6+623W30W0k9"
    "LHopaskur9XB8uMjuWvd9n5tGY1ms3V/XweRr5uEOncfxtdxzmzoxQ+0esIsr3lemGzoyx"
    "Qn8WzjRJgk4WfO45pbptilyMcijrlwQt+JLYNMp1w0uuh6YraEqYDf+CRhWtp6rgvrsM7e"
    "k0SMCSFrzBgcbekZvxfjPPjDVBEoTJ4p3voBbLujVBUkNhssB98SqfvQUFWFC1vCeKIcEX"
    "NhPKHFtmsrGO0XtKgSZvsMTy1fiSmhqfDrMjss5YR75QhJudES4KARZhw5biQGEuCGt5ji"
    "8quUWFNuupQIzF+J4BmaQGzX/o6FZpL9XFNUfvIDA9iqCapkz3XXg5FkxCoPBfoifieBtg"
    "wB/62jRjpqVJ2okfv4FQB4SVBFhK/zRItEr2yErxPxIl/IbOIf8mkP6Bdq3X7s9P5opbiF"
    "Vue5+3R14H96JK3f+627bqNjNHvd+4dOv9Hti8vJxk1cRJe5WLWCUwlGOdTOEDXrGeXTHp"
    "BRt63bm9ZdUTY13t22u3Wg/km/3X3v4a7ZMm4b3cZPrTvpuou2PBJ3njoIzXd0VgWv8Jia"
    "SgUfIFkVgknh0kBQ7YtN/rv4sPnMN71eJ+Kiu2n3Y+g+SG6eXSjQRSfsJrQl3dw2HWFiQF"
    "OYnGl2wSrA46QHhH3ZcrK4C0HjcEO6ldMd1hmboiJUq5zVJ/iyXgG8dDbHF67ctjKnzpOA"
    "IyXXNRvDBOGWMJYz+TInilPImMDCKrwDMkG40auxZNgdQiEP2ZpF1PIoWQXBvr7OpZtfr9"
    "DNr+Ngj4RCQIyiNmaUqoJQ72NdD+EE24vCWMfINNi5wLbQ1KHPmIk72yjmnUavNwSewoZA"
    "nd9Q9fwGvVPxkFleQquaYOLCxMwxsmb2Bttu14yiN+EWAN4trbIb+MNjaSbofbol2qebtW"
    "Z3gHv1d+2ukbcZe3jzi58dMKFApmDVmBCWultsp2aIsR3k97ijVEj+RO0Cved8A7RMWaXS"
    "IXI8jVm+hETDxmRHWYkdTKoE1j6zxnzplZI0FhJs2TljLNQpR8oYE684ZL3EBAwcOmey3o"
    "A0rNX+fb+SKx2qryalTxh9x/wysAwwLt6RVlpG2a6G3WLLvy7zuMfN09npXdptlc2K6rqt"
    "0JcpFqNtwPUoZQW5fiJczuWT9hOSizlrYlTaK7neLxPO/D6cb6BsIOe1S2MLLGKBNhv3zc"
    "a71ioDdK/qnOBVm/THDuVcYZzU6qI9Vit3oq+BBYvDvddqee8htmWdYkEsNDIm0/0Beimz"
    "foF49gV4brUn2WzaGBHuN5+DIXWABOIlHQ6Tet4uB95C03tCKT60bBXP61453e5Nrrjzmx"
    "Vx5zd+3DlbvRsK5s6cQvUcwiS6sEsiG1PmpnkQbVrKOUqudahS61ADt8adMSM8bZ/GanYn"
    "iHUOR9l4XaBawT4Vj6ijMkXvSHgys9WO6Ob3fEpHV1WEnE0tdUYCEa97Vyez1HlBYO5gzh"
    "Gpg09Dh07cEmqfpEtIlpVUpSDR55kYGXwS8LpXE+rH7qd4JJ5TSl4dIKGkIIC5X8+SCQBz"
    "7Ylcu/Uxa1siNc2Z47g+EL0t8aDbEsPQFxTKMdIKvn8r7LkKZEMRlTZCpB0aadk+tDCqYR"
    "KNaQqm4ilkm5cmC6jLvNFX/Ox2v93o1IH34ZHcNroPssH9/0gaD/2e0e4271qN+1YdRL4+"
    "Er+IWbvXDSqaiS9x9SFXKvc+9jlSp3DOfJSqzOwrU848Gg6RW+4w7aHJ3i4Wp/umN925S6"
    "+Qyhkm0TmYqWVnBT4bZL0mCTW8+rCfY+ghxwoDVnDp6uzsUmRnK9l62HBryRZzXnzDr/e8"
    "wOok64LwZmZUp4N8nHyBE0V4VbpAAG+ehHWdKXvUTFm/MGxqrmyoauyqbNlwkdr1UY2+Og"
    "bLRDK+4B7A5Z+z5bUuT+GCQy6zIZ6Rs/DOvVKhByxjBHU3nIAc7B7olYhs7GeaRzLGMrdW"
    "9XQ4sMRTwV6B39w4SdqpXX6Krhr4R0BUwAVZmOdOz9UxDh3jOCn1suwxjVw5Bid4olXpH6"
    "sTOtTqhLDUzhrtUzi+0N+hT+E42T5+9f8UTTh0MEC2HoxDndYqwW3GZsgC3qmwqkCh1BQh"
    "GGBbWEIjmfCLqeXri/6psEpVlT+Vyc1gSKUFh7NpElrwnuZ5JF5SsqA9B/MxNsdqAndNgm"
    "AtgCeEpkytBzCmczWJ4MACYHljDgPOrEBZdHdCQ/2MRHV0rQcfUg92jz0uEoANKKqXNn6Z"
    "J2v8Mjtp/DIed42s9FQ7Ix3kON03HXf1wEBppcbXQohSi4x/WwAqIb2JqRsh1IZuqQ1d5Z"
    "QgZqH9P2GaCqbSvMkjzrOleeIQcsphyjaFFUl8Xn9tjGXt9nEV1WLWbpKwzPgqBzZBc8Q4"
    "8HxKvneaj7F0XitzA0DrfzPGmdwNGNf+tfvhdFe8dj+U0P0Q9g4fOFp5KrDvNVwZhizbTe"
    "MjutZVo2LOufw12bCk+i1CriChrWE1iHZXHNNdsWRDfmjDJPq1lPLiP60zvDbQwG7U3ogb"
    "tSWi8e6d0VNnRMn/8vvPD/f925Y8vCv4nFMD2/Ox7uGfkcqf9AUfIyszaza163ZX3iFA+/"
    "MMEo55iv2cKVrCJFq0pKX3TwpG3QMCjWcKnpuYy9tbyiXLsNs1qL4WWUxhixDpxaq3RhzN"
    "jxCyUrZ0IYTi4ye2dvN6D6KPbY5s8qDOx5bYVrRachzgyNtGZ+uXK1t/nz6djzZMrdSs2s"
    "9XeXGmfo8cNZqnjvSV25hxgAh3FnUwH0MOKEGBc51KN7rMdInmxqTVZt52uC0q9Wn30D6y"
    "WQoWE6hwGYGLXDbyxQob+SJpI6vnxRAPgOE9HkX8cGm0ZVaca7dYFtISswgBcCZumbMXSh"
    "D4oiHInTtOxE5H/Pcd8fdEvhFweRMnaXKUMiNfu+11+x86f9SB9+F4ztCE0ZMnpMdmg+XP"
    "2fb4nNBQ1dEq97sTMQxZ2mbEGKQr9iPGe65VD3+TuhskkQxn4A0zkPv+aB1IWS4VznMlva"
    "FlvRTwgDnmYwA9ddDd6YcdQOckqTTua5JN9g8KecNnTG8dPKySWfl42cdOo1sH8m88XlaO"
    "uJjW8ver5XtiZcMlHlCXGe9ao9lv/ypL5qn/j6TZ6DZbnU7rXR0sP5ZjuatNAKxg4bYI0T"
    "ed/I6IVRS8EMmW0JVTJcyJnLR8DaWuFNAiokT6kIO40X4yaQYXJwKozlveN8LSlCmGbIhC"
    "B3B1IniJatv5waYtMfajWqe1jvNCG3p8SxVjbFtoMqVc+q8Fq2ppqePRHucrs8eDvoZ3EN"
    "auE8jjT/aysqKcL55J/lf42E/t0zmsT+eI56Yd++W2/+rjGQVF1xR5PyzCtdpB8L3KA+9V"
    "NrpXCXDpVGJRMEc8QlTBZbyrw51Dh6OIyZEjDNu0fOZsoGNkGuocUNMZN2mai7ePvmSZcg"
    "FJJSBeVZig9bvan7KsSeBDeXbb+F2hvKxL0Ol1f/K7h6Bvdno38VQCfVR55mqv7oFP2nWi"
    "Lf3jC7mtLf0jn2vdQA42x7UUa9S7cr7KCoVBn50anzoP9Yjm5DNyWEGNPERSCQ0mZlZeX+"
    "cxK6+vs81KeS1mVoqHqgDCXvcKoruXLAAxI0dpxs7P971uhi4YkMQVQWxy8J/KtD9BtFeA"
    "K8FYrY3HFe+YGicHuCmW67j7l9nX/wPoi/g+"
)
