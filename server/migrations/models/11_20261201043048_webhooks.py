"""Webhooks (issue 15): the endpoints administrators register, the outbox of events written
with each change, one delivery per event and endpoint, and the attempts made.

One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = {
    "postgres": """
        CREATE TABLE IF NOT EXISTS "webhook_endpoint" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "url" VARCHAR(2000) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "events" VARCHAR(500) NOT NULL,
    "enabled" BOOL NOT NULL,
    "secret" VARCHAR(100) NOT NULL,
    "previous_secret" VARCHAR(100),
    "previous_secret_until" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "failing_since" TIMESTAMPTZ,
    "disabled_at" TIMESTAMPTZ,
    "disabled_reason" VARCHAR(300),
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "webhook_endpoint"."events" IS 'Space-separated event types';
COMMENT ON TABLE "webhook_endpoint" IS 'A URL an administrator registered, with the events it is told of. Its secret signs';
        CREATE TABLE IF NOT EXISTS "webhook_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "message_id" VARCHAR(40) NOT NULL UNIQUE,
    "type" VARCHAR(64) NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "webhook_event"."payload" IS 'The JSON body, exactly as signed and sent';
COMMENT ON TABLE "webhook_event" IS 'The outbox: one row per event, written in the transaction of the change it tells of.';
        CREATE TABLE IF NOT EXISTS "webhook_delivery" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "delivered_at" TIMESTAMPTZ,
    "endpoint_id" INT NOT NULL REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE,
    "event_id" INT NOT NULL REFERENCES "webhook_event" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_webhook_del_status_5b6f00" ON "webhook_delivery" ("status", "next_attempt_at");
COMMENT ON COLUMN "webhook_delivery"."status" IS 'PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED';
COMMENT ON TABLE "webhook_delivery" IS 'One event to one endpoint: due at `next_attempt_at` while PENDING. A process that';
        CREATE TABLE IF NOT EXISTS "webhook_attempt" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "attempted_at" TIMESTAMPTZ NOT NULL,
    "status_code" INT,
    "duration_ms" INT NOT NULL,
    "response_excerpt" TEXT NOT NULL,
    "error" VARCHAR(300),
    "delivery_id" INT NOT NULL REFERENCES "webhook_delivery" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "webhook_attempt" IS 'One POST of a delivery, as the log shows it.';
""",
    "sqlite": """
        CREATE TABLE IF NOT EXISTS "webhook_endpoint" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "events" VARCHAR(500) NOT NULL /* Space-separated event types */,
    "enabled" INT NOT NULL,
    "secret" VARCHAR(100) NOT NULL,
    "previous_secret" VARCHAR(100),
    "previous_secret_until" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "failing_since" TIMESTAMP,
    "disabled_at" TIMESTAMP,
    "disabled_reason" VARCHAR(300),
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
) /* A URL an administrator registered, with the events it is told of. Its secret signs */;
        CREATE TABLE IF NOT EXISTS "webhook_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" VARCHAR(40) NOT NULL UNIQUE,
    "type" VARCHAR(64) NOT NULL,
    "payload" TEXT NOT NULL /* The JSON body, exactly as signed and sent */,
    "created_at" TIMESTAMP NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
) /* The outbox: one row per event, written in the transaction of the change it tells of. */;
        CREATE TABLE IF NOT EXISTS "webhook_delivery" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED */,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "delivered_at" TIMESTAMP,
    "endpoint_id" INT NOT NULL REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE,
    "event_id" INT NOT NULL REFERENCES "webhook_event" ("id") ON DELETE CASCADE
) /* One event to one endpoint: due at `next_attempt_at` while PENDING. A process that */;
CREATE INDEX IF NOT EXISTS "idx_webhook_del_status_5b6f00" ON "webhook_delivery" ("status", "next_attempt_at");
        CREATE TABLE IF NOT EXISTS "webhook_attempt" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "attempted_at" TIMESTAMP NOT NULL,
    "status_code" INT,
    "duration_ms" INT NOT NULL,
    "response_excerpt" TEXT NOT NULL,
    "error" VARCHAR(300),
    "delivery_id" INT NOT NULL REFERENCES "webhook_delivery" ("id") ON DELETE CASCADE
) /* One POST of a delivery, as the log shows it. */;
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP TABLE IF EXISTS "webhook_attempt";
DROP TABLE IF EXISTS "webhook_delivery";
DROP TABLE IF EXISTS "webhook_event";
DROP TABLE IF EXISTS "webhook_endpoint";
"""


MODELS_STATE = (
    "eJztXWtz4jjW/isqvky6iqQm6U7vFvOJpOkZdgh0JWR6doctx9gC9MZIjCVCs7vz319Jtv"
    "FNBpurcetLAraOZJ4jHZ+bjv5bmxIbOvSqOUN98gpxrQH+W8PmFPIPqXt1UDNns/COuMDM"
    "oSMbmzNksFWzIWWuaTF+Y2Q6FPJLNqSWi2YMETFIrYkBwgyOXVNc+YECy4U2xAyZzhXoTy"
    "CQfQHEKHRGAFFAJ2SBAcEW/In/dZbiFnj6pXl5c/tR3H+FM1YXY9vE4oMjPD7cMAO8QGwC"
    "TNHaZWDmwhH6BigBM0hmDgSWiQGDjgPYBCLXG4MCc2a67Eo84hyjP+eQwzWGvIXLH/SPf/"
    "PLCNvwG6TB19mrMULQsWM8QbboQF432HImr7Ux+ywbil8/NCzizKc4bDxbsgnBq9YcD3F1"
    "DDHkqEDRPXPngkV47jg+OwOueU8aNvEeMUJjw5E5dwSjBbX3AOG1mmF0e33jqdU3jFpqEg"
    "QUEYb5lyyCxQTij0rlrx+LR7i8uf7wtw9/f//xw995E/mYqyt/+8sbOgTGI5TwdPu1v+R9"
    "k5leC4lxCKr8n4L1fmK6alyD9glk+SMnkQ1wXAdtcCHENlwzxwB3an4zHIjHbMK/Xv/44x"
    "oof2s+3v/SfLzgrd6JIQlf5N7y7/q3brx7Au8QX2+BFEE4pKgixh/zQPwxG+GPSYClhDEm"
    "Jp0UATlOtR+gTysnYjB//JAD5o8fMmEWt+IwU4uIPgpAHFKUeR7XnmamBS8p5G8o8TAgfO"
    "yioN/kkh83a+THTVp+8Je2eCzDZGnsP/E7DE2hGv84ZYIHtk96FXwoD0dyT/k1YPfbD62n"
    "fvPhi+h+SumfjsSr2W+JOzfy6jJx9SIpdVadgK/t/i9AfAX/6nVbEk5C2diVI4bt+v+qiW"
    "cy54wYmCwM045iElwOLsXY7JiUGXO6FaOTtHtgtS+5NKf3z2kXvvF3zzZ8jlNqLpeZy4Hw"
    "HS6NQmZLim6zBVN+xu7HhgnBJe7YxOg/0q4tBq+CciuAy/Yq3AfCwu4evSqNxChsabQ/Ex"
    "eiMf4VLiXobf5kJrZUVqLvVeklujszsP8KZlVwNVxxrrlYOS5Uk41/4AhAJtF45FLmsX3f"
    "r2VIjj0g/QgpmbvW+b4MNoKcEpgxiPlTgO5zp1OTs3toWq8L07WNjGluTUw8htSYmrbCJ3"
    "LnU3/+9RE6q7mrxr2DLIgpvJcdVgd8iSK5IRH0Yrimb01vpskrJjbH8ieJscVIKqmg8MUm"
    "pUa2PzYprnK4ZIE1p4xMoXsFXoQq/QIs05pAKtyYwEFvEFhkjhkgI/5N8pYChAFvCi4er9"
    "/VgYlt2XbE11vaFbvX7gc48LUKmkgfeD4dQld04jcYLgGXEGxOJf0rn03gYjExmU9CObHs"
    "410DQP48A4yo5/mFb7wfbznY4kFEew4hphxFDhn/zjvxlwswgeuLmTqQzmE24f24ZAEcYn"
    "GFdYAvXuQwxgy6lOCXd9oTrD3B5XqnH8GTI4wy4z8EFwI5RnQ8pGvP/fvaUaDev6fSF6CG"
    "FDkF5ESK7niWwY+lFhkhtOLVVQDRoLkGMgmkeI2+QQNOZw5ZQpVfPRNUFekJAf6xdKCKUf"
    "izmWKUwrAmiDWw3s/eYb6qiTWwMWy2m7NZ5Brcmo6crYWa/0C7xw29mm/XZ+NaJs+7b22l"
    "HO8pz2UeZ88qaUux4oq4eqIpYmc2DTLdPPF4lWfb7whTAU/kWcK0sh48p8hx3YdniRjlQt"
    "aYU3O8o6/1iffzHHRTRaAQfiNo5wXY9nqpKkh0Plx1viNST5GuqgoXsrk6ThjE1tJ4hctd"
    "51bY269wWVXMFnA4IeTVgNieEaRU1YuA9tXrruX3VnnU3uDeIBNdVQmvQ4bVVoqXIqQWVc"
    "qyw2lutFWOUJoX5QEuHCPKoOtFkEwMvLAclTy+UsTIctMpIkd/pIJ+cGoip/bvREgp3c4z"
    "ocWnIKCB7BqnSrfcdD/sSUTakhQ6mKWDWdUJZnmrqwDAK4IqInybJ4jFW2UjfJsKYwUyJA"
    "1wC8+nqfyfGNgB7REDhq2HL53eP1utglHDFV0DBJ8GuPV7v/XYbXaM+1736bnTb3b7/Hb6"
    "YvIdkotXuVi1hlMpRrnEyRA1mxkV0B6RUQ+th7vWY1E2NT89tLsNIP8N8GPrqff8eN8yHp"
    "rd5s+txwZIXhlgb5wGiIx3claFb+iEDko4H0y8LjKk4NKQUx2KTcG7+Lhp1ne9Xifm571r"
    "9xPoPgtuXlxL0Hkj5OXZpb3vDhkjbJiWBalK6V8HeJL0iLCvrpwt7lzQuMwQsQl11CNjr1"
    "aMal3E4wxf1muAFxGL5MQVu2kWxH3lcChScLMxTBHuCGM5c0JzojgzKeVY2IU3ZqYIt3o1"
    "lgw7vU9QRzv3Fu3UO2GOmUXAoDtF2IOJWhNoz50ttnVt6EVv8ioAvLd1fz/wR/vSTND7wE"
    "q0Dyxrzu4B9+rvCtsgbzP2iOUXP3tgQoG8oaoxISp1d9iuRyGle4j2e71USP7E7QK9p3EL"
    "tCxRBc3Foj+NWb70JMNBeE85Sh2EqwTWIaP7gfRSBPcjgi07tk8jjXKE9il/xUH7EmEwdM"
    "mCiv2swrCW+0ODSoFkJL9ahLwi+AMNygxSQBl/R9qqyP++ut1hS6kuI3bAzXnZcXrttspm"
    "RXXdVvDbDPHetuB6nLKCXD8TLgeYbCh15dmZxZw1CSrtldzsl4lm6B3PN1A2kPPapYkJFr"
    "NA75tP981PrXUG6EHVOc6rNu5PXMKYxDit1cVbrFfueFsDcRZHW2/U8j6byBF1MDkx18io"
    "SMsE8FKkbwG+9jl4XjURcdlyEMQsuFwHI+ICAcQlGY3Set4+O95B03uFCh9atornN6+cbv"
    "c+VxTy/Zoo5PsgCpmt3o04c+duof3CURJdOCCVViOSDHyIti0VGifXOlSpdaihV0PJmGOm"
    "Srhdz+4UsS4aWjZeF9i7fEjFI+6oVOgdKU9mttoR3wqbT+noyopj85kta3Bj/rr3dDJbnk"
    "cBFi5iDOIGeBm5ZOqV6HkRLiFRtkyWGoN/znnP4IXD691NqR/7H2KAfaeUuDuEXEmBALGg"
    "XhrlAObau7Jxi0rWhhNiWXPX9Xwgen/JUfeXRKEvKJQTpBV8/1bYcxXKhiIqbYxIOzRU2T"
    "6kMKpREo2pAlO+CqkqTyfn1pQVdZl3bPGf3e63m50G8D8M8EOz+ywueP8HuPnc7xnt7v1j"
    "q/nUaoDY1wHutx4f2t1mv93rNkDkS1J9ONmGFeIaRTczxqnKzL4yZVDD0Qh65bRUiyY77z"
    "9J913vnvCmXiGVM0qiczCVZQ05PltkvaYJNbz6MIlT6CGnCgNWcOrq7OxSZGdL2XrccGvJ"
    "JnNefKOv97zA6iTrgvBmZlSrQT5NvsCZIrwuXSCEN0/Cus6UPWmmbFAmUpkrG6khuS5bNl"
    "qycnNUoy+PWbGgiC94B7wE57j4V1envJgjJrIh3qC79M9VkaEHJGIEDS+cAF3kHRiTimwc"
    "ZpgBniCRWytbugzYfFXQK/DVi5OoToUJUnRlxz8BLAMu0EYsd3qujnHoGMdZqZdlj2nkyj"
    "E4wxNTSr+szujQlDPCUjtrtE/h9EJ/jz6F02T7BLXAFZpwpEx4th6MIo02KsFtSufQBv6p"
    "g7LSlNAUTTBEDreExiLhFxE70BeDUwelqip+KhWbwaBMC45m06S04AONM8B+UjKnrYPFBF"
    "kTOYA3J0E4F8ArhDMq5wOYkIUchHNgCZB4MJcCd16gfK03oCF/RqqKrdaDj6kHe8dqFgnA"
    "hhTVSxu/yZM1fpOdNH6TjLvGZrrSzlCDnKT7ruOuPhhQVTN2I4RQWS32+wJQCultTN0YoT"
    "Z0S23oSqcEtgrt/4nSVDCV5n0ecZ4tzVOH3BJmKrYprEni89trYyxrt4+nqBazdtOEZcZX"
    "OrAxXEDKguPPA++0PErcNzeAaf/fXJxZPiKpI9a1++F8Z7x2P5TQ/RD1Dh85WnkusB80XB"
    "mFLNtNEyC60VUjY865/DXZsCj9FhFXENfWkOxEuytO6a5YsSE/tFES/VpSvPjP6zCWLTSw"
    "O7k34k5uiWh++mT05GEf4r/4/o/np/5DS5zCEn7OqYHFjI3rjzmsjeukhRiaG+JWnDHRn6"
    "Hkj3rCJ8jKzJpt7br9lXcI0f5zbmKGmMJ+zhQtURItWlTp/dOCUfeQQOOpOvZ9C3N5d0u5"
    "ZBl2+wY10CKLKWwxIj1Z9daIk/kRIlbKji6E6h2jXU94D+LLNkc2eVjnY0dsK1otOQlw7G"
    "2js/XLla1/SJ/OF8dUVmqW1+vrvDizoEWe45dd4St3EGUAYuYuG2AxMRkgGIbOdSLc6CLT"
    "JZ4bozyVecfudqjUp91D+mTkQ9rI17ls5Os1NvJ12kaW68XgC8Dwl0cRP5yKtsyKc+0BiU"
    "JafBQuAC74IzP6TgqCQDSEuXOnidjpiP+hI/6+yDdCLm/jJE33Umbkaw+9bv+Xzj8bwP9w"
    "OmdoyujJE9Kj8+Hq5+x6fE6kq+polYfdiRiFTLUZMQHpmv2IyZYb1cOvQnczcSzDGfjdDM"
    "W+P9IAQpYLhbMupbdp25ccHrBAbAJMXx30dvohF5AFTiuNhxpkm/2DXN6wOdVbB4+rZFY+"
    "Xval0+w2gPibjJeVIy6mtfzDavm+WNlyiofUZca71rzvt38TJfPk/wG+b3bvW51O61MDrD"
    "6WY7rLTQC0YOG2GNF3nfwOsV0UvAjJ93zOvbB8DamuFNAi4kT6kIOk0X42aQbXZwKozls+"
    "NMLClCmGbIRCB3B1IniJatsFwaYdMQ6iWuc1j/NCG1m+pYoxtm04nREm/NecVTVV6ni8RX"
    "1t9njY1vAPwtp3AnlyZa8qK4rxkpnkf0SP/dQ+neP6dE54btqpX26Hrz6eUVB0Q5H34yJc"
    "qx0F3w954P2Qje6HFLhkJrAomCMeI6rgNN7X4c6Rw1H44NDlhq0qnzkb6ASZhjoH1GTOLK"
    "Jy8fbhtyxTLiSpBMTrChO0fpf7U1Y1CQIoLx6av0uUV3UJOr3uz0HzCPT3nd5dMpVAH1We"
    "Odure+CTdp1oS//0Qm5nS//E51p/hcMJIa9Nxrg9yWoKqzTRor7OKl14bbk8DRtvzHwQtd"
    "2+9J76Xk043icSVZDrwKRepWQyBnRCFhQgls5oKEqsk17LZbv6M2Wrt3eStoLv7zN5XweY"
    "rH1he7F1zj+7SEguQaU98ukQhz33zGFjWuQ49wSV1oDUuwBnRBTSht8sbggrJFS2VaeirY"
    "BH6NjGHXTdYu63FcFWYJdNVBy+dECgMxWzoRJUWnpstp8CyPZgO/k6+adIj2eGdV7zKTHP"
    "Smg6rZiQbTtF+bTZeIrOk3zWE3yDmAFG5N4/iO0Z4YA2gD2Houj2C+bvqMAk4/9fRK1sh5"
    "tNre6ndvfnKyC2EhILUmEyeZp0ysTa6wgDbDkmmgqbDEzJG6SKDmYm9cqF+xd/oGJYcCGy"
    "0x1oUviuDiiRGenRjm1xRM4U2ZcBiKKxGIEPJR92zOcaJyS4LooVAhMTYQaKX0Zl//zXiO"
    "7FNkoLvsud3B7mjSZ+iY6FHteePL/035q/SgoqbAFZI1hlA/yp1Wn/1noUWcCrjwP8udmW"
    "icHe/+TqPk1WsL8+ipgrURKdmJk0VJJSJ4Xrek+Kglw7U0rtTNExr++Czb4asxWjk7R7YH"
    "XJrOMqcTpQqouZ4QkqbYYr3o3SdikIa4REY7rZtSHx2p9foxV0d2Yo53VqRKeX2qOhkgx7"
    "xDfSY1UhjgvGon6jlKliOGScZkCRegzpOHpFoD9oSYbkjM12skUn9WYnW3RR5and9fzYEY"
    "UTTHuKMBLNGXGBC8f8s1Cx6l6BBOGwkotbOpyQKKjg2ICMrkCbX6KQ694MUL5kacrLtv8h"
    "Btg7TnpmLh1i2j/5Z0ybwCXMq/wg+pq58A2ReZyUd0rAHDPkDPBL0MLwWhjy+ssVeJJfKT"
    "BdCOhyOoX8t1jSK8f7XcrLr3DGgEhBE/A3wuvyyQaYk89dHBz1F96emjb0yk94JwLytTfO"
    "fVK19rcd0982dxWHCmUH5/zmlUhzTe09yLn5YO3uA0V47rzqqB9pK8JBtnp4crVQsHlFUe"
    "YpXXuamRa8pHBmyocJwjkSsy3Av80F/u0a8G8V4GMBikJG3xHiQBNnGcArqgQHhpzsUCwI"
    "JPhxfRp3vV4n5s64aycTKJ4f7lqPF9cSd94IeQpv2ib2XuVFZnpIUeaZvqU0OVC9yZjeVA"
    "RsBWn1slmOAbqnrBb1nGZ2ol2oZXah6pjId8HmkYlkRVKKsKq4z3pOp4j1ki4zr21EpX63"
    "TfgrTqr5fBZ85oKYFrR006TV05UOkvmrd1DqHZSnl19HPjTXz4pAu56cW90U7KPEc2SEd0"
    "0wJ4gA54jkrJpuDOOI08zJnA3Jt4ZMZHbJQp6JILuog4WLGIMYIC8ywjvDlPcnIiVexevg"
    "7HPEAIOOQ0XYJRXIOcQgA/wyhZSa8nCiFxn14Q1ffAguxTVO7IV7VpnPIn7CrVf+id/T21"
    "9LGT4JuVpE5YlT7ccfd1qYD1xmSGJTAOCgfQVdnfuveOPHl9P4Zu+NjJCUGWIpy//x1OuC"
    "IbGXdQC/cUntLEVxAREmF4FrLmOp//4p395J7RDbihXnZjxrO07bcadfStqOKxn+B7Xjmh"
    "x6a1JTWHD+nfo6280M2+y1aK22ZU5oy/DlQwtmKUVIyqwHbpujdHubJ0fp9jY7R0ncS2yd"
    "5IuqAMJ+8wqie5D0AT4iU25lEFZAhqockiT1ZGQx8D95Qu8Zor0GXAHGemMlaZcktF7RwV"
    "2xMxL3/zL76/8BufeSpw=="
)
