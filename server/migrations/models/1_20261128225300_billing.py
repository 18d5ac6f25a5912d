"""Billing (plans, subscriptions, invoices), idempotency keys, and who scheduled a
termination. Organisations that exist already subscribe to the Standard plan.

One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = {
    "postgres": """
CREATE TABLE IF NOT EXISTS "plan" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "price_per_license" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "billing_period" VARCHAR(16) NOT NULL
);
COMMENT ON COLUMN "plan"."price_per_license" IS 'Minor units (cents) per license and period';
COMMENT ON COLUMN "plan"."billing_period" IS 'MONTHLY: MONTHLY';
COMMENT ON TABLE "plan" IS 'A price list entry: what one license costs per billing period.';
        CREATE TABLE IF NOT EXISTS "invoice" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "issued_at" TIMESTAMPTZ NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total" INT NOT NULL,
    "last_change_id" INT NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_invoice_organiz_98cc81" UNIQUE ("organization_id", "period_start")
);
COMMENT ON COLUMN "invoice"."last_change_id" IS 'The newest license change this invoice adjusts for';
COMMENT ON TABLE "invoice" IS 'Issued at the start of a billing period; never changed afterwards. One per organisation';
        CREATE TABLE IF NOT EXISTS "invoice_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "position" INT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "description" VARCHAR(300) NOT NULL,
    "quantity" INT NOT NULL,
    "amount" INT NOT NULL,
    "change_id" INT REFERENCES "license_change" ("id") ON DELETE RESTRICT,
    "invoice_id" INT NOT NULL REFERENCES "invoice" ("id") ON DELETE RESTRICT,
    "resource_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_invoice_lin_invoice_284bd5" UNIQUE ("invoice_id", "position")
);
COMMENT ON COLUMN "invoice_line"."kind" IS 'BASE: BASE\nADD_ON: ADD_ON\nADJUSTMENT: ADJUSTMENT';
        CREATE TABLE IF NOT EXISTS "subscription" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "unit_price" INT NOT NULL,
    "quantity" INT NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    "plan_id" INT REFERENCES "plan" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_subscriptio_organiz_e605a6" ON "subscription" ("organization_id", "status");
COMMENT ON COLUMN "subscription"."kind" IS 'PLAN: PLAN\nADD_ON: ADD_ON';
COMMENT ON COLUMN "subscription"."status" IS 'ACTIVE: ACTIVE\nCANCELLED: CANCELLED';
COMMENT ON TABLE "subscription" IS 'What an organisation subscribes to: its plan, and add-ons with a price of their own.';
        CREATE TABLE IF NOT EXISTS "idempotency_key" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(200) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_organiz_306d6b" UNIQUE ("organization_id", "key")
);
CREATE INDEX IF NOT EXISTS "idx_idempotency_created_98dcfd" ON "idempotency_key" ("created_at");
        ALTER TABLE "resource" ADD "termination_scheduled_by_id" INT;
        ALTER TABLE "resource" ADD CONSTRAINT "fk_resource_resource_dd6aef9b" FOREIGN KEY ("termination_scheduled_by_id") REFERENCES "resource" ("id") ON DELETE SET NULL;

INSERT INTO "plan" ("name", "price_per_license", "currency", "billing_period")
    SELECT 'Standard', 1200, 'EUR', 'MONTHLY' WHERE EXISTS (SELECT 1 FROM "organization");
INSERT INTO "subscription"
    ("organization_id", "plan_id", "kind", "name", "status", "starts_on", "unit_price", "quantity")
    SELECT o."id", p."id", 'PLAN', p."name", 'ACTIVE', o."created_at"::date, p."price_per_license", 1
    FROM "organization" o CROSS JOIN "plan" p;
""",
    "sqlite": """
CREATE TABLE IF NOT EXISTS "plan" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "price_per_license" INT NOT NULL /* Minor units (cents) per license and period */,
    "currency" VARCHAR(3) NOT NULL,
    "billing_period" VARCHAR(16) NOT NULL /* MONTHLY: MONTHLY */
) /* A price list entry: what one license costs per billing period. */;
        CREATE TABLE IF NOT EXISTS "invoice" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "issued_at" TIMESTAMP NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total" INT NOT NULL,
    "last_change_id" INT NOT NULL /* The newest license change this invoice adjusts for */,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_invoice_organiz_98cc81" UNIQUE ("organization_id", "period_start")
) /* Issued at the start of a billing period; never changed afterwards. One per organisation */;
        CREATE TABLE IF NOT EXISTS "invoice_line" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* BASE: BASE\nADD_ON: ADD_ON\nADJUSTMENT: ADJUSTMENT */,
    "description" VARCHAR(300) NOT NULL,
    "quantity" INT NOT NULL,
    "amount" INT NOT NULL,
    "change_id" INT REFERENCES "license_change" ("id") ON DELETE RESTRICT,
    "invoice_id" INT NOT NULL REFERENCES "invoice" ("id") ON DELETE RESTRICT,
    "resource_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_invoice_lin_invoice_284bd5" UNIQUE ("invoice_id", "position")
);
        CREATE TABLE IF NOT EXISTS "subscription" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* PLAN: PLAN\nADD_ON: ADD_ON */,
    "name" VARCHAR(100) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* ACTIVE: ACTIVE\nCANCELLED: CANCELLED */,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "unit_price" INT NOT NULL,
    "quantity" INT NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    "plan_id" INT REFERENCES "plan" ("id") ON DELETE RESTRICT
) /* What an organisation subscribes to: its plan, and add-ons with a price of their own. */;
CREATE INDEX IF NOT EXISTS "idx_subscriptio_organiz_e605a6" ON "subscription" ("organization_id", "status");
        CREATE TABLE IF NOT EXISTS "idempotency_key" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_organiz_306d6b" UNIQUE ("organization_id", "key")
);
CREATE INDEX IF NOT EXISTS "idx_idempotency_created_98dcfd" ON "idempotency_key" ("created_at");
        ALTER TABLE "resource" ADD "termination_scheduled_by_id" INT REFERENCES "resource" ("id") ON DELETE SET NULL;

INSERT INTO "plan" ("name", "price_per_license", "currency", "billing_period")
    SELECT 'Standard', 1200, 'EUR', 'MONTHLY' WHERE EXISTS (SELECT 1 FROM "organization");
INSERT INTO "subscription"
    ("organization_id", "plan_id", "kind", "name", "status", "starts_on", "unit_price", "quantity")
    SELECT o."id", p."id", 'PLAN', p."name", 'ACTIVE', date(o."created_at"), p."price_per_license", 1
    FROM "organization" o CROSS JOIN "plan" p;
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP TABLE IF EXISTS "invoice_line";
DROP TABLE IF EXISTS "invoice";
DROP TABLE IF EXISTS "subscription";
DROP TABLE IF EXISTS "plan";
DROP TABLE IF EXISTS "idempotency_key";
ALTER TABLE "resource" DROP COLUMN "termination_scheduled_by_id";
"""


MODELS_STATE = (
    "eJztXVtz27YS/isYvRxnxsnEdux2dJ5omWnU6pKR6TZt3WEgEpJ4LAEKQUZRW//3A4CkeA"
    "NlUleK4YstAliA/AACu98uwH8aM2KiKX3Tt8cQW39DxyK40QT/NDCcIfZDmn8OGnA+D3N5"
    "ggOHUyFAkiWH1LGh4bC8EZxSxJJMRA3bmvttNRRguNQhM2S/AZ9diszPwIDGBFHgTBCYWl"
    "8RMIiLHUBG7MpA2GBZFgasKDgbXLxqAssBFgUET5cAfUU2b9YkBmvXwuO9tPCIjQnEY2Ty"
    "UrwO9oiYsqdkj8SuoQO8fAogsBElrm2wB19YzoTlsopssgBTYjwh8w2/WRdbX1ykO2SMWG"
    "U2u+U//2LJFjbRN0SDy/mTPrLQ1Iz1j2XyCkS67iznIq2NnfeiIMdhqBtk6s5wWHi+dCYE"
    "r0pb2OGpY4SRDR3Eq3dsl/cTdqdTv1uDrvPuNCzi3WJExkQj6E55b3Np7wbCtIau9/qafq"
    "9qut5IjYRAItJ1fpJBMB9F7FapePoxv4XXlxfvfnj349XNux9ZEXGbq5Qfnr2mQ2A8QQFP"
    "T2s8i3zoQK+EwDgEVfxPwdqaQFuOa1A+gSy75SSyAY7roA0SQmzDF+cQ4M7gN32K8NiZcE"
    "Tfvl0D5a/KoPVBGZyxUq94k4S96d400POzLr08jneIr2PNkP43wYVAjgkdDunGg9ZqHATq"
    "m3c5kL55lwk0z4rjLOYyinQxuRWYJ1JyL08Zu4L7bamnjBBavooUQDQoXgOZBNKwEX9yHU"
    "oG6B3L4a+9HNO4ZAJZ0xd9E/w4xZmYPaDZZzqHv7yuwVVrd9V7Tel+5M3NKP0yFfgpmspz"
    "LkXqMpF6dpOYSlaVgN/a2gfAL8Ef/Z4q4CXUGduixbCc9keD3xN0HaJjstChGdEEgtQAtW"
    "euw4yeIgsuTxhC42kBbVOP5YTDI9CeaHp03Pqi738ZoOlK30yMA19/HfjVnOAoeA7GfZAa"
    "jgbJTO+pnduB1fEqa4m6qoqYhb8Sa+tx1fZqqSpI1B2uKt8SqftIVVWFyzLRbE4cZj8u9S"
    "e03HZshbX9gpZVwoxP/OSSZC0F6azZ5SyZAjEci0fibfOWkjO9hMWIrgLZDIYdLZWDvZgj"
    "mzKz30ZjizrI9kgBiIHHhFDRy28knERuOQk98GeKZ0EzaE0bfyV4g3Q5TlJ8Fc8WWK2W6Y"
    "nV/ELNL1SDX/DehQIArwSqiPB1Hl6BlcpG+DrFLDyxR5MDrGJ3JkBus3uC2JtGY2AHsgfk"
    "cNTux07/d1UtSOSs5Jog+PWI1U+aOugpHb3V790/dDSlp7HsdGJyxs/VV7m6ak1PpTrKJt"
    "OMqebljgpkD9hRXbV7qw6KdpNy1233mkD8e8QD9b7/MGipelfpKT+pgyZIpjxir50miLR3"
    "9K4KV+aEzkhYP0Asn7lCoUQvDZnUvropWIv3pzPKQL3t9zsxeuO2rSXQfeC9eXYhQGeFLA"
    "dFF+SIuUzGFtahwew/mZK+DvCk6AFhX6WcLO5sorEdnVNycrJPDnlcah3Rd4KL9RrgOVGX"
    "HLiQOvqC2E8MjmURDFOCW8LoTwGnieIcUsqwMPUJpJMiemJKcKOlsWTYHUAhr0n+bPSrRf"
    "JHez1KPeiFiASJ5OE8Z6UnFiKOdGTPLOzBRI0JMt0pe1eGy2Jov1DLRsiXbY7bAfAp/5V8"
    "pKeBf09sZI3xL2iZsrfkzG8y2urERnkW78uSbbhYkYyyt5z9YAggT39kZps2aLe0Rq4xvw"
    "PcC3gJSza+80L+wqseg5/dE+g9dDqN5zyOWsrsoR14ibxaKjTo43qQ557VZ9CUGfp79NGe"
    "yHiVosVKGcjGvL4as3xubX1q4R35tjsWrhJY+/Q9BrOXxPUYmdiyPY80UiiH45GyxQ2Zry"
    "0MhjZZUB7dzA0JEZB8/0F5fXl9wyOa+aVByJOF/kOBQ54Q5rHM1GGroynzS+6q2i2imkV1"
    "ha3zuNRuWOvj+iH3Eh+a7ZeszfTsrqiumY6+zS1W2wa9HpesYK+fSC8HmKzt5iCspRg3kJ"
    "CqWZiXyYBo/NDhDNKygZzXIk0MsJgF2lLuW8qdus4A3ac6F7cXJEpdyqDIVu3iAbr5NLwe"
    "32oG3DmfQE2AiQ08aEzADSKwsC3HQbgJPo9sMvM2a3zmmhmCxkRsMUNfXFYz+MxmBS83pe"
    "3tvolH7OuGPHeIRmzIi91z3j45ygDMFeD2Yhwbj1o7B+l0YhiubXuqSB3WdtCwtij0BTWJ"
    "hGgFVYkKK5Dh3FDgpYoL1XqFzLtDCqMaFakxlWDK3kIq89HkjIhbSZc5UJQ9dltrK50m8H"
    "884q7Se+AJ3v9HrDxofb3daw1U5V5tgtjlI9bUQbfdU7R2v9cEkYuk+nC0ODli60VjqONS"
    "Ze6+MgVuoNEIiQhDXfbSZIcbJeW+66Atb+gVUjmjIrX/PT2N16El+18oj0UXVXDo1qEjpQ"
    "gdEbPqYWm5kg3mvPhG158cwB6H8jxRbNcxniG8eWJuamf/EZ39wdZ/CS8cORUgmxG2IoVe"
    "pILblLrIBNDxWFS+IYLTsBAMrSnr/THfTGwR878AC0I3OJ0Mjhxk80el3IePeKkY+5rig/"
    "fUziOG2PRlz8FiYhkT0YA3gEDYceAJoTkVnQcmZCEaYT2wBBa/MZsC2y2wJ9prUBePkdoa"
    "XXPDB93y7M6GSLL2rtn0vJKoXCTH1WUOS/3qMtNQ51mJHS3RkZ4COdtOT8p913a6DwaSbW"
    "1+EUIk3dT8fQEoJulN3D8xwQo6f07E2ZMrjkQ46rAhibfPnsujMhWkXq/yTOfZs3nqeEzi"
    "QMnxFWucPn75msiS7fXmO189RbUYl5UWLDO+DY3p0xgtEHWCM4x99dw7ctg3NwA0/+dSh4"
    "IRSZ2TXFO3pzvia4bxaAxjHqbm4AzNqcB+CIpGQJZN0wSIvkjVCJ4tF1+TDYuUt4hQQUxb"
    "s0QlNV1xTLpi1Q35oY2K1MuSZOE/rTPDNtDAbkUsza0IoVHu7vS+OJOK/+fXPz/ca12VHx"
    "YW/s6pgcWMjYubHNbGRdJCDM0NnhXvmOhjSPtHPuATYmXumk3tulwhNVdrQmqu0iE1X1yI"
    "HcuR2M+ZU0tUpJ5aJFMLnBWMkwwFajxlh/JvYC5vbymXzKu4a1ADLbKYwhYTqgdrHal0NB"
    "4hYqVsSSFU79T88wR7EH9tc0TQhPvCtsS2oodcJAGOrTZ1hFK5IpT2yel8nELpARsi/Xwd"
    "izMPSuQ509/mXPnUog5A2LGXTbDgX/UjGIXkOuE0Oo90icfGSI/637K6+gOB5aKH6gP8Qz"
    "oil418scZGvkjbyOJ90dkLoPv7povwcDLZMivOja7FN16zVtgEcMZu2aGvxEQQTA1h7Nxx"
    "PHa1x3/fHn9/ytfDXt6EJE3XUmbkG91+T/vQ+b0J/B/HI0NTRk8el97xvo11Ilrlfo9ai0"
    "ImO28tAemaQ9eSJV9UD3/julviQ03Ar2bIPypN+AejmTLHFM5zMXtD03zN4PG+AA19ddA7"
    "J8OyAVlIvg+1r0Y2OWuDzTeOS+vjNA6rZFbeX/axo/SagP9N+svK4Rertfz9avn+tLLhEA"
    "+ly4x3Q2lp7V/5EQvi/yNuKb2W2umod02w+lmO4S42AdCCG/1jQt918DvCZlHwIiLf8+dY"
    "uOWrC3WlgBYRF6q/q5402k8mzODiRACt45b3jTA3ZYohG5GoHbh1IHiJjpoInE1bYhx4tU"
    "5rHOeFNvL6lsrHmPjyuix0PPVt9jXR4/GvwufimAoGkCffbN5M+lPgkUPaayrnsFQOKuQ8"
    "8YuX2a7dkEfYyyF1ZM4BKRi9HBOqINK7+lpE5JhX1jiymckli7TNBjohVkOdA2riOgaRkY"
    "8a+pZlZIQilYB43ZZ59ZPYObHaLR9AedZVPgmUVzvmO/3eT0HxCPStTv+2/kRp7tFe3aOr"
    "a6O+tkGPP8ltbYMe+UMZCrItY9KQ2El+zvk6+wiGZXZqFtURkke0eL4imxbUyCMildBgEp"
    "bP9XUey+f6Otvy4XmJfW/spSqAsF+8gujuxT/NWnSQzNj5+b7fy9AFQ5GkImgZDvhXxICf"
    "INprwOVgrNfGk4p3Qo3jFdwWi8Lb/WL2/H+n8wjA"
)
