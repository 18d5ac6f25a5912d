"""The first schema: organisations, resources, sessions and the license history.

One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = {
    "postgres": """
CREATE TABLE IF NOT EXISTS "organization" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "license_count" INT NOT NULL,
    "used" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "organization" IS 'A customer. `used` caches the live count of licenses in use (R1): it is only ever';
CREATE TABLE IF NOT EXISTS "resource" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "kind" VARCHAR(24) NOT NULL,
    "role" VARCHAR(24) NOT NULL,
    "active" BOOL NOT NULL,
    "login_access" BOOL NOT NULL,
    "start_date" DATE NOT NULL,
    "last_work_day" DATE,
    "password_hash" VARCHAR(200),
    "created_at" TIMESTAMPTZ NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_resource_organiz_7f4384" UNIQUE ("organization_id", "email")
);
CREATE INDEX IF NOT EXISTS "idx_resource_organiz_324e7f" ON "resource" ("organization_id", "active", "name", "id");
COMMENT ON COLUMN "resource"."kind" IS 'EMPLOYEE: EMPLOYEE\nEXTERNAL_CONSULTANT: EXTERNAL_CONSULTANT';
COMMENT ON COLUMN "resource"."role" IS 'ADMIN: ADMIN\nRESOURCE_MANAGER: RESOURCE_MANAGER\nMEMBER: MEMBER';
COMMENT ON TABLE "resource" IS 'A person registered in an organisation.';
CREATE TABLE IF NOT EXISTS "session" (
    "token_hash" VARCHAR(64) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "resource_id" INT NOT NULL REFERENCES "resource" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "session" IS 'A signed-in browser. Only the SHA-256 of the cookie''s token is stored.';
CREATE TABLE IF NOT EXISTS "license_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "from_count" INT NOT NULL,
    "to_count" INT NOT NULL,
    "reason" VARCHAR(24) NOT NULL,
    "actor_name" VARCHAR(200) NOT NULL,
    "effective_on" DATE NOT NULL,
    "actor_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    "resource_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_license_cha_organiz_231257" ON "license_change" ("organization_id", "id");
CREATE INDEX IF NOT EXISTS "idx_license_cha_organiz_61c384" ON "license_change" ("organization_id", "occurred_at");
COMMENT ON COLUMN "license_change"."reason" IS 'INITIAL: INITIAL\nMANUAL: MANUAL\nAUTO_INCREASE: AUTO_INCREASE\nTERMINATION: TERMINATION';
COMMENT ON TABLE "license_change" IS 'Never updated nor deleted once written: `from_count` of each row equals `to_count`';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);
""",
    "sqlite": """
CREATE TABLE IF NOT EXISTS "organization" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "license_count" INT NOT NULL,
    "used" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* A customer. `used` caches the live count of licenses in use (R1): it is only ever */;
CREATE TABLE IF NOT EXISTS "resource" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "kind" VARCHAR(24) NOT NULL /* EMPLOYEE: EMPLOYEE\nEXTERNAL_CONSULTANT: EXTERNAL_CONSULTANT */,
    "role" VARCHAR(24) NOT NULL /* ADMIN: ADMIN\nRESOURCE_MANAGER: RESOURCE_MANAGER\nMEMBER: MEMBER */,
    "active" INT NOT NULL,
    "login_access" INT NOT NULL,
    "start_date" DATE NOT NULL,
    "last_work_day" DATE,
    "password_hash" VARCHAR(200),
    "created_at" TIMESTAMP NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_resource_organiz_7f4384" UNIQUE ("organization_id", "email")
) /* A person registered in an organisation. */;
CREATE INDEX IF NOT EXISTS "idx_resource_organiz_324e7f" ON "resource" ("organization_id", "active", "name", "id");
CREATE TABLE IF NOT EXISTS "session" (
    "token_hash" VARCHAR(64) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "resource_id" INT NOT NULL REFERENCES "resource" ("id") ON DELETE CASCADE
) /* A signed-in browser. Only the SHA-256 of the cookie's token is stored. */;
CREATE TABLE IF NOT EXISTS "license_change" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "occurred_at" TIMESTAMP NOT NULL,
    "from_count" INT NOT NULL,
    "to_count" INT NOT NULL,
    "reason" VARCHAR(24) NOT NULL /* INITIAL: INITIAL\nMANUAL: MANUAL\nAUTO_INCREASE: AUTO_INCREASE\nTERMINATION: TERMINATION */,
    "actor_name" VARCHAR(200) NOT NULL,
    "effective_on" DATE NOT NULL,
    "actor_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    "resource_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT
) /* Never updated nor deleted once written: `from_count` of each row equals `to_count` */;
CREATE INDEX IF NOT EXISTS "idx_license_cha_organiz_231257" ON "license_change" ("organization_id", "id");
CREATE INDEX IF NOT EXISTS "idx_license_cha_organiz_61c384" ON "license_change" ("organization_id", "occurred_at");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP TABLE IF EXISTS "license_change";
DROP TABLE IF EXISTS "session";
DROP TABLE IF EXISTS "resource";
DROP TABLE IF EXISTS "organization";
"""


MODELS_STATE = (
    "eJztXG1z2jgQ/isavlw6k2aaXEg7fHOoe+UumA44d72WjiNsAR6MRCU5NO3lv59kY/wmE7"
    "sJBCifsFe7enlWXu2uNvlRmxIHeeykQ0cQu98hdwmuNcCPGoZTJB6U7cegBmezuFUSOBx4"
    "gQDJcg4Yp9Dmom0IPYYEyUHMpu5sMVZNA7bPOJkiegJufIacG2BDe4wY4GMEPPcWAZv4mA"
    "MyFG82wrZocjEQrOCoe/qiAVwOXAYI9u4AukVUDusQW4zr4tFaRuhjewzxCDmSS/YhloiZ"
    "WKVYkniHHITtDEBAESM+tcXC5y4fi1bRESVz4BF7gpwTOVkfu199ZHEyQqIzKqb8+Ysgu9"
    "hB3xCLXmcTa+giz0npx3VkBwHd4nezgNbC/F3AKHEYWDbx/CmOmWd3fEzwktvFXFJHCCMK"
    "OZLdc+pLPWHf8xZqjVQXzjRmCaeYkHHQEPqe1LaUDicQ02qWZXRMq6ebllXL7YRIIqG6Bc"
    "kmWO4iMVUWrH4kp/Dy7PT89fmb3y/O3wiWYJpLyuv7cOgYmFAwgMcwa/dBO+Qw5AgwjkEN"
    "fnOwNseQqnGN+DPIiilnkY1wXAVtRIixjT+cTYA7hd8sD+ERH0tEX71aAeXfWrf5XuseCa"
    "4XckgivvTQDBiLprOwTeId48vdKbK+E1wJ5JTQ5pCuXZvN2kagvjgvgfTFeSHQsimNc2DL"
    "GLIC41bBTuTkHjYZTwX3q602GTG08hSpgGjEfgAyC6RNkVy5BRUb9K1okZ+9GtO0ZAZZZy"
    "F6Ej3soiUWC3Q6wudYHK8rcDVbbb1nau0PcrgpY1+9AD/N1GXLWUC9y1CPLjKmZNkJ+Kdl"
    "vgfyFXzqGHoAL2F8RIMRYz7zU03OCfqcWJjMLegkPIGIGqF2L32Y4SRx4ErCANqTOaSOlW"
    "qJt0fkPbH87rhciL77q4u8pb+Z2QcL/7W76GYHd8F9tO8jarwbFJY+dDsfB9ZV2Fkz6Guf"
    "EJMbjpyRoi2Yb5qeTbMUiOEoWJIcW46U3WGK6Cm5+4ojJ5rkKhE1zRBlItygaOQyjmgYjE"
    "AMwgiMBUo+UcRCpeUUYcnnXHyHptD1al8y8UqeTwZHt8HaIm9ZRCNfDnHNIa7Zn7gm/BYq"
    "ALwU2EeE62XiGcFVjHA9F9FMxNLUAOvYnwYgt8ScIA7NaArsSHaDsaPe/nDV+VfXKwaQS7"
    "kGiJ76WP9o6l1Du7KaHaN3fWVqhima88SsxS+lq1KqWqGpnKIo8QpMzcOKimQ3qKi23r7U"
    "u1XVpL1tt4wGCH76uKv3Otfdpm61NUP7Q+82QJbSx+E4DZAY79lVFZ/MGZeRCD1ArLZcsV"
    "BGSwMhtS41RWfx+nxGFaiXnc5VKqy6bJkZdK+lNo9OA9AFk8tR8kBOuOlk5GIL2iKeUfno"
    "qwDPim4Q9iVlZ3EXhoZyS6YC1EkGNeRpqVUJhh08rFcALxME2Y0LGbfmhE4EHHdVMMwJPh"
    "LGhQnYTRRnkDGBhWONIRtX8RNzgj91NG4ZdhtwyA/JxWL09yu5mNR6MvVgVUokKCQ3l7Hf"
    "8sRCLn2rBjyP9jtCkTvCf6G7nNuvzj9miw12DOyi9KMgUzhf5rpUm008CARQ6MaI6MHstp"
    "oC+zKJcib8QtHRI1O/vbCXPUI9fR6E6XFrCh1VwLPGHPmWnb2V0BJcNqJY9nfAbMPXCtEH"
    "qbhVSHyrxZcKLMFU4k6BCUONnJcuBgNK5kwWTEkfIahx6r3XXp7VL2SRlHy1CZm46DcGOJ"
    "kgLMujGBeW3lFdOTxVt48olAq6q+x4p6WeJiH1vFcMayk5Kb5yOHjgv6IHjr7NXNHbT2g9"
    "LbmHWt8RLUeYrFRzdGNdLcjKSB0CrIcDrGRpwCODqz2shDnOBFaZDZYKqppar6m91VfFVO"
    "t059IusMKpy/nIxa5duuannIdnyOp14M+kAXUAJhSE0DhA+vhgTl3OEW6AmyEl07D+80Z6"
    "Zgja46BqHX31Rc/gRliFsDXn7T39EH288A1l6wANxZYPCvLD0nsmACxVu/JgiYosSDkGeT"
    "qxbZ/S0BU5VKxstGIlCX1FTyIjuoeuxB47kLFtqPBRpYUOfoXiIjSyqRVQTYocMFVgKr5C"
    "psp7lyx2WUpvcw2YWHbLbGlXDbB46OO2ZlxLQvjbx9q12bFaRrOraz29AVKvfWzq3XbL0M"
    "xWx2iAxEvWfXi2EhhCrarlkWmpbVbfNt3JouEQBcVDluqjKa4kyMr90vUY4dar5HImRX7K"
    "jm9ZOv6pzfjh1nj9B+VzpYv2cOseruOf7To+Z4g3m5bbss1cFt/k+VMC2OdJee4otqsynm"
    "XKSNaZ8tQQde1xTZHrXLQcr0pywpjnoeRmMaqH/6+xXVm9W0SZ8mwqjrUSIvsYaNXrpf5W"
    "qr7ib6XquaBWfFQVEF6w7yG6p6XC2NMVYeyporSYYI5UibQ/ex2joKIhFskGr67NwX/Ac9"
    "kuxgkrwJVgpFLOEaZHbe1jFu7mVecym0uWHVyq3N1NHmb3/wPK2Tud"
)
