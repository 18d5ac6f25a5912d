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
    "eJztXW132ri2/itafJlkrTSnTZt0LvOJJLTDmQS6EtLOOcMsx9gCdGMkxjKhnHPnv19t2c"
    "bvYPNqXH1JjK0t28+W5P2u/9bGzMQWP29MSJe9YFqro//WqD7G4iBx7QzV9MkkuAInHL1v"
    "ycb6hGjOolmfO7ZuOOLCQLc4FqdMzA2bTBzC4Ca1BkWEOnho63DmJ44MG5uYOkS3zlF3hJ"
    "HsCxGHY2uACEd8xGYUMWrgX8Rfaw6X0OOvjTcXl1dw/QVPnDO4t8kMcXNCh7u7TY/OiDNC"
    "OrS2HTSx8YB8R5yhCWYTCyNDp8jBloWcESa2ew+O9IluO+fwiFNK/ppiAdcQixa2eNA//h"
    "SnCTXxd8z9n5MXbUCwZUZ4QkzoQJ7XnPlEnmtR55NsCG/f1wxmTcc0aDyZOyNGF60FHnB2"
    "iCkWqGDo3rGnwCI6tSyPnT7X3CcNmriPGKIx8UCfWsBooHYfIDhX07R2p6s9NruaVksMAp"
    "8ixDDvlMEoDCDxqFy+/RAe4c3Fuw8fP/z8/urDz6KJfMzFmY9/u7cOgHEJJTztbu1veV13"
    "dLeFxDgAVf5PwHoz0u10XP32MWTFI8eR9XFcBq1/IsA2mDP7AHesf9csTIfOSPx89/btEi"
    "i/Nh5ufm08nIhWp3BLJia5O/3b3qUL9xrgHeDrTpAiCAcUVcT4Kg/EV9kIX8UBliuMNtL5"
    "qAjIUartAH3YdSIC89WHHDBffciEGS5FYeYGgz4KQBxQlHkc1x4nuoHfcCy+UPAwKHjsoq"
    "Bf5Fo/LpasHxfJ9UN8tOGxNN1JYn8rrjhkjNPxj1LGeGB6pOf+QXk4knvILwG727pvPnYb"
    "91+g+zHnf1kSr0a3CVcu5Nl57OxJfNVZdIK+tbq/IviJ/t1pNyWcjDtDW94xaNf9dw2eSZ"
    "86TKNspulmGBP/tH8qwmZL54425WsxOk67BVZ7K5fi9PY5beNX8e1Zh89RSsXlMnPZX3z7"
    "c62Q2pKgW63BlJ+x29FhAnCZPdQp+Y/Ua4vBm0K5FsBl+xRuA2HQuwcvqUpiGLYk2p+Yjc"
    "mQ/obnEvSWeDKdGmlaomdV6cS6OzKw//ZHlX82mHG2PlsYLtIGmzgQCGBHovEgVpmH1k23"
    "lrFybAHpB8zZ1DaO92OwEuTEghmBWDwFaj/d3dXk6O7rxstMt00tY5gbI50OMdfGupliE7"
    "n2qD/99oCtxdhNx/2OGJhyfCM7rA74MUFGPCt3tgjXg9tjhfCCUccuWGi0RcZh8tL4Yhw/"
    "o1N9KF8J7g13SltFU2zX8VU2234dX95zmLCRMeUOG2P7HD2D6vGMDN0YYQ5mX2SRV4wMNq"
    "UOYgPxSzKXI0KRaIpOHt6dniGdmrLtQKxPSdP1VrvvUd82DTShPuh03Mc2dOI16M+RWFGd"
    "KZf0L2I0oZPZSHc8EjHY3T5O6wiL5+lRwl1LOX4V/bjLhwkPAu0FhJQLFAVk4rfoxFtekI"
    "5sb1k+Q9KY7oxEPzabIYsZQsDv0ZNneRttgm3O6POpQKFPLEugo4kbcdHjMxoKAg5PzCiG"
    "W8IjzLNvCq/Ro/BcFH93BMErE8BJmz9HJ7oPo9ceAESE86l8Hdn0DGz+0/5iGJzGHr5H3a"
    "evy5cHX0H0TqLVq24RUzwJEVATB6Ceu9zgYuSiE45t8Q7/8N70H9DF+WR+qtwGym1QLgFw"
    "D2Y/0OC1/4ipXcioHSbaH9K1p+5NbS9Qb9+s7S17mlxvC6wTCbr9qZFvS71kBNDCd7sAon"
    "5zBWQcSPicv2INjycWm+M0J0wmqGmkBwT4belAhbuIZ9PhLoVhjRErYN3X3mC8phMrYCPY"
    "rDdms8gVuHDGxBKdDAsniFxNoS0mrG4RhON97FEC6zYf7lvtRreZlMOil6Jq/OJaHS0Oe/"
    "Shed/52tQaNzfNx8c6ivxcxy++/ZiPmDJcYBakUJZqAtQ+S7VeatauRu8q5GCkWFgikhp8"
    "TrZsedL4QvCEiaMUc3W+aZPsZY8Tp9382nxITprgdJQ78nwdyX89+vRF63a0m8aXOloclm"
    "OCyO7XVG1SaZUbMjn8Aagxo87Immv6OB3lazJcCnSSvkJI/8/Fxfv3Hy/evr/6+fLDx4+X"
    "P79dQJ68tAz769ZngD8y/JP8cBcQzTPDrhFgkdqBirM4hjgLFR6XnITiBc0Otea1hfPuGN"
    "juTZYE1xPhCXk8uovMjBRNqYiDMpwHcmTDIKcv13VIbQhTgXCDo4RpIRa5TrX9xggcNWJ+"
    "sMCe4wSOEjMuPkzalOvDDaMqHkU/T343VQTKU4E3HFQtt5eqghT22W+I1GOoq6rCRUw8nj"
    "AHU6EIvOD5pmMr6O03PK8qZjPcHzH2omFqThhJNUsXAe2b213T663yqL3irUEGXVUJr13G"
    "zy2E1ZTYubAgmx03Z4db5YiZc8O5kI2HhDvYdkPFdIrc+DsueXweNyAWoUuJkvojEd2Hxz"
    "qxan/GwqeS7Vx3ERz5wTvErAmqZMtV14OeIKQuDwX+Lt6T6hbE9P6pIrtUZNe+wN19ZJc7"
    "/QoAvCCoIsKXeSK6RKtshC8TMV3+IrOOM8qn3aMLqnn/5a7zr2aK63Z54rJPV0f+UY82f+"
    "82H9qNO+2m0358uus22l1xOXlyHS/VRS5WLeFUglE2szKWmtWM8mn3yKj75v11mrNwOZsa"
    "t/etdh3Jf+Bbf+w8Pdw0tftGu/EZfInxMz3q3qeOQvc7OKuCT3hMSGWCDzpdFiaVwqW+oN"
    "oVm/xv8X4dJ9edzl3EeH7divmr2k/AzZN3EnTRiDgZbiyLDQnVdMPAPE0rWAZ4nHSPsC/O"
    "HC3uYqGxHQ0cPumupIwqFxGqZW6kI/xYLwEe3EDxgQt1CGbMfhFwpESDZGOYINwQxuPxt6"
    "agONE5F1iYhUvaJAjX+jSWDLt9COQhXbOIWB4lqyDYl5e5ZPPLJbL5ZRxsk/CJpc+1olpm"
    "nK6CcO9ibA+F/EULgx2lUlDngnqgj4lVfGDHyBTYucCGLF1shkLZCwrKqfTrScslA38/sr"
    "KJJzZ7JRBCvVbwVRq9CrRTgXYq0O7wgXaq0tI+g8iFEjEm1IWJGyNsTq01yoat6KVCMeW7"
    "B94tDbsd+MN9KSaoOmMlqjOWNWa3gHv1q46tWG8zapDlX362wIQCIetVY0J41d2gHBzHnG"
    "8haNLtpULrT1QvUDXz1kDLgF02bAr9Kczy1hk0sUHMtJoyqtSgKs14zFkqxwiZl3uhWYRu"
    "KQHjjtAqLWG7DF32ZYqUyOWQuJEduMxDjXLELXMheGLzDaGoD9UpoConmLtkLQp/fyg2kD"
    "8Nxl4I/on7m0txxB0huZppYc3b6naD2pBq85gdVtnLjjFWxuRsVlTXmIy/T4jobQ2uRykr"
    "yPUj4XIuT5GfFVPMhBqjUr6C1dbScPrR/ix2ZQM5r7UoNsAidqGbxuNN47a5zCy0U3FO8K"
    "pFuyObOY7EOCnVRVssF+5EW40IFodbr5TyPunEgt3PBLGQyDjknCH8BlJPkJj7Ajy3Jjqc"
    "NiyCqeOfPkMDZiMA4g0bDJJy3jY73kDSe8EZBcrSlyOveeVku/e5onHeL4nGee9H42SLdw"
    "PB3KldqPBnmERVAE6kBECAtAfRuhvERcmVDFVqGarv7qWgTamTliy4nN0JYhVZVTZeFyhm"
    "tUvBI+o+SJE7Ev6FbLEjWhspn9DRlvumTCcwEE1ExefelclMuQs5mtnEcTCto+eBzcZuMc"
    "pnMAnB5itywxT811T0jJ4FvO7VhPix/Vv0qGeUgqt9LIQUuZuJt+uL3MokT2L+yvz7rNx4"
    "ZhhT23ZtICo3fq+58WHoCy7KMdIKfn8rbLkK1oYiIm2ESBk00mLwWGFUwyQK0xRMxSzk69"
    "ewD6jLXG1CvHar22rc1ZF30KP3jfYTnHD/92jjqdvRWu2bh2bjsVlHkZ896le7b3XaQel7"
    "8SMuPuRKcNlFsj2zC2cSRanKzL4yZRLhwQC7+2KkTZrsnOU43Q+d+e0OvUIiZ5hERUan7k"
    "8k8FkjFj1JqOBVW4gfQg45lBuwgkNX5UyUImdCrq37dbeWbDDnxTf8ec8LrEp9KAhvZp5D"
    "OsiHiRc4UoSXhQsE8OZJI1GRsgeMlI3FYme7OELR2qt9HHao8Uonx8O7q7rcTp1C8CLH3m"
    "by7nbr7pZDEM06mWDTDXkQbXVzTCiBnsU8Rw5D4pls9gqehYSHY8v998ToMGCsniOxLKDZ"
    "iI3dLd29KsQnz/7UeD4VV7F0e8yRbuNQgeIzGdOhWzNvh3ciuvWjPU7cAek7TMK+klNJBg"
    "w6Q5y5G9jr/o3hFU1MHeLMkaweYWIbwev0qP9EyB0H4ql1Ci4eeDHTRIYg7WOk8xdxbiBf"
    "mJ2jhoPGjDuIUXhyyVAZheLdjvAenWBqCpTrvptItLXm/rb30UeX3iDX8SpefiBQEL/Yi6"
    "CWdxQ3WdsRBMVKpnyZSyhU0lk5g/blDArYso6hNaDeYwXTL832bav9uVYMcZ+sjryDHm18"
    "+fLQ+dq8rSP/qEdvmzd3rTac84/WsaZufy9EFWy+6pNcdhddrpAZVVd713W1VWV4VYiyMo"
    "UoPYnPLRhQdGSnEqthnm+Ye2nca1WNC1OqqMYyf459Xq0xu1JIK7io7aQG6dQaEMtaa3LF"
    "adX0OpLpVUi5T9ApD5tyDh/CORwSoAo6iBOUagivAHiNKJJMegW2CnXYKbAq1KEUoQ7KWb"
    "x1Z3HW+qwgzgVx4rtfEGYVXrIe2AWjTAINQ43rHFAnFLLCkSa7LTSmO09cT08ODS6eLS82"
    "pjvadNFuZbxE1w9fMKDu1xQKQlAzCGowMIfQgSnHnpsdEjznyE07lZmbBDzrbswCxzbBMg"
    "IhETaxm9v06IhAaTLZ0naQKZjNz9E3L37Ai3kQCFAOuyMyuqhwJjv+BVGZr4pN4uSubqZS"
    "REsUFaBSRH8QC9wi371gAmOCThmIUlRqse4WWZ385gpLZc5Udopygb19O8VhZGEv+DpNEv"
    "YvLZWDSajRSiG4xfkUm0h3XPkSNhkGSVFHfWJZEFQ6ESInM3150ZUeTVdUhVflUEtXxuxG"
    "olQTUvCO7tOjXk03QXuGZiNiuBGzXuhvMBbQC8YTLscDGrGZvIngwBwReDCbI3uaWUElKf"
    "e6N9Tka7iCb57ScEoO3oEcTKfjPk7JlVoSLragqF7VvYscvv73F9k19y7inv7ISE/VM9JB"
    "jtP90GnrHhiYpiwAKyH0qH5oAOUivY6qGyFUim6pFV1plKBGofKpYZoKxkW+z7OcZ6/m8c"
    "XcYY6eErq+pAaS114pY1nFUl1BtZi2myQsM77SgE3xDNLW/Gw/zzrtjAgYr6W6gXTzf6fc"
    "4ZCFFpf+lfnheEe8Mj+U0PwQtg7vOdn7WGDfabZ3GLJsM42P6EpTjUzZz2WvyYYl1W4RMg"
    "UJaY3ITpS54pDmigUb8kMbJlGfpZQP/wtJU6zzpUf7tGVWHmrXsrTktawo2bi91aCYpPsf"
    "fv/z6bF732x34Zx/nFMC23FGdPg1UvmTlTsQISsza9bV67a3O0aA9l9TXRatKLC0hEnU0p"
    "JWHXFc0OseECg8U/BcR13eXFMuWcjetkH1pchiAluESA1WlW5xMDtCSEvZ0IQQ8o8f2djN"
    "az2ITtscYdLBNikbYlvRLeDjAEe+Nip/5RD5K4cJu/li6bSWYsyR58+WWXEmfoscW1xPbL"
    "CVW4Q7CFPHntfRDIrPQW24hXGdgRkdIl2isTFpW1tv2t0GGx0q89AuollU6aOFOSKXjvxu"
    "iY78Lqkjy/miiQmgedOjiB0ujbbMgnPtnsA+ZOIuYgE4EY/s8FO5EPhLQxA7dxiPnfL479"
    "rj7y35WsDldYykyV7KjHztvtPu/nr3rzryDg5nDE0oPXlcenzaX7zOhq69x1BX1ZEqd+ra"
    "i0CWlowYg3RJPmK85Urx8JusQ0yj9X69bvqQ98fqCNZyEDi9ysem+UbA45YK1j1x0M30Iz"
    "ZiM5oUGnd1kw0qDqvUwb0KmZX3l325a7TrCP7G/WXl8IspKX+3Uv7xVcxeY5A3brqtr7Dj"
    "oPzfozeN9k3z7g7qYi8OyzHcZRIAL7jvXYTohw5+x9QsCl6IZEPoyikS5kQONF9NiisFpI"
    "go0f70+7elliaOMMzg3ZEAquKWd40wqDLFkA1RKAeuCgQvUb0839m0Ica+V+u4xnFeaEPT"
    "t1Q+xpaJxxPmgP1asKqWFjoebXG2NHo8aKu9eI23HEAen9mLjSnhfvFI8j/CG9kom85+bT"
    "q4kBfFa15mBXdNg8JO6t1n7Meaje+CYI+bbtX2gu+HPPB+yEb3QwJcNgEsCsaIR4gqOIyv"
    "8uyrdJW9rdJVYlelgbg5toVimxbPnA10jExBnQNqNnUMlmbi7eLvWapcQFIJiJcVJmj+Lv"
    "NTFjUJfChP7hu/S5QXdQnuOu3PfvMQ9Dd3nWu1+V7u0S5e0OxQa+6JPEdSM8KTzpaWjFCm"
    "E6XpH36R21jTv2k83jRum4fSSr/h/oixl4bjCH3SqaVopbEWZ8u00pnbVqynQeOVkQ9Q2+"
    "1L57Hr1oQTfRKognyGdO5WSmZDxEdsxhFxkhENRYlV0Gu5dFdvpKz19Y7TVvD7fSTfax+T"
    "pR9s17cu+GcWccnFqJRFPuniMKeuOqyNU+IeMoGNUSkJKD0LcMKgkDb+bghFOGWFytbq0m"
    "grYBHat3KHbbuY+W1BUL39PHdSOsCXmYru8RihUqvHav3Jh2wLupMnk9+GejwyrPOqT7Fx"
    "VkLVacGEbN0pzKfVylN4nOTTnvArpg5ymMz9w9ScMAFoHZlTDEW3n6n4Rvkqmfj/DLWyLa"
    "E2Ndu3rfbncwSphMzAHFQmV5JOqFhbvUOPGpZOxqCToTF7xTylg4nO3XLh3smfONwWnUB0"
    "uoV1jk/PEGcyIj3csQlb5IyJ+cYHERrDHcSt5MMOxVgThIyeQbFCpFMGaiC8GZf9i7eB7i"
    "GN0sCnuYPbg7jR2JsoX+h+9cnjC/+tebOkoMDmk9X9Wdajt8271tfmA0QBLw579FOjJQOD"
    "3f/x2X2YqGBvfhRRV8IkKjAzrqjEV50ErsstKSnkyphSamOK8nn9EGz2xJi1GB2n3QKrS6"
    "YdV4nTvlBdTA2PUSk1POXbKHWXgrCGSBSmq00bEq/t2TWafndHhnJeo0Z4eKVbNNJWhi3i"
    "G+qxqhBHF8aidqOEqqJZbJhkQJF6DEk/ekWg32lJhviIzTayhQf1aiNbeFLlqd319HAHhR"
    "N0c0wogeYOs5GNh+IYRKwzt0ACGKzk5JYGJwIFFSwTscE5aolTHAvZ20FcTFmesLJt/xY9"
    "6m4nPdHnFtPNX7w9pnVkM8et/AB9TWz8Stg0Sio6ZWhKHWL16LPfQnNbaPL88zl6lD850m"
    "2M+Hw8xuJdDGmVE/3O5ekXPHEQhKAB/PXgvHyyHhXkU5v6W/0Fl8e6id3yE+6OgGLuDXPv"
    "VK3sbfu0t03tlE2Fsp1zXvNKhLkmcg9yJh8szT5Icc8dVx31PaUi7CTVw11XCzmbFxRlHt"
    "K1x4lu4DccT3T5ML47R2K2BviXucC/XAL+ZQr4FEBJWaOvGbOwTrMU4AVVjAN9QbYrFvgr"
    "+H5tGtedzl3EnHHdigdQPN1fNx9O3kncRSPiCrxJndj9lBcZ6QFFmUf6mqvJjupNRuSmIm"
    "CnkFYvmmUfoLvCalHLaWYnyoRaZhOq8on8EGwe6ERWJOWEphX3Wc7pBLGa0mXmtUm4lO/W"
    "cX9FSRWfj4LPYiHmBTXdJGn1ZKWdRP6qDEqVQXn49WvPm+Z6URFk051zqxuCvRd/jvTwLn"
    "Hm+B7gHJ6cRdOVbhzYzZxNnT77XpeBzDabyT0RZBdnaGYTx8EUEdczIjqjXPQHnhK34rW/"
    "9zlxkIMti4PbJeHI2cVNevR5jDnX5eZEz9LrIxo+exC8gXOC2HX3LCKfwX8itFdxJK6p9N"
    "dSuk8CrhYReaJU27HHHRbmHZcZktgUANhvX0FT5/Yr3nj+5SS+2bmRIZIyQyzX8n8+dtqo"
    "z8z5GcLfxUptzaG4ALjJwXEt1ljufX/KlzupDGJrseLYlGelxyk97vBTSelxJcN/p3pcQ0"
    "BvjGopGpx35WyZ7qYHbbZatFbpMgfUZcT04QWjlEIkZZYD141RurzME6N0eZkdowTXYqmT"
    "YlIVQNhrXkF0dxI+IO7opKYygBaQISoHJHE5mRgO+j+5Q+8Ror0EXABjubIS10tiUi90cF"
    "1sj8Ttf8z+/n8YQs+p"
)
