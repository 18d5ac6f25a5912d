"""API tokens, the token behind a history row, and sign-in back-off.

One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = {
    "postgres": """
CREATE TABLE IF NOT EXISTS "sign_in_throttle" (
    "key" VARCHAR(300) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "last_failure_at" TIMESTAMPTZ NOT NULL,
    "blocked_until" TIMESTAMPTZ
);
COMMENT ON TABLE "sign_in_throttle" IS 'Failed sign-ins per e-mail address and per client address, for back-off.';
        CREATE TABLE IF NOT EXISTS "api_token" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "scopes" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "created_by_id" INT REFERENCES "resource" ("id") ON DELETE SET NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "api_token"."scopes" IS 'Space-separated scopes';
COMMENT ON TABLE "api_token" IS 'An integration''s credential. The token itself is shown once; only its SHA-256 is kept,';
        ALTER TABLE "license_change" ADD "actor_token_id" INT;
        ALTER TABLE "license_change" ADD CONSTRAINT "fk_license__api_toke_847f2c6b" FOREIGN KEY ("actor_token_id") REFERENCES "api_token" ("id") ON DELETE RESTRICT;
""",
    "sqlite": """
CREATE TABLE IF NOT EXISTS "sign_in_throttle" (
    "key" VARCHAR(300) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "last_failure_at" TIMESTAMP NOT NULL,
    "blocked_until" TIMESTAMP
) /* Failed sign-ins per e-mail address and per client address, for back-off. */;
        CREATE TABLE IF NOT EXISTS "api_token" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "scopes" VARCHAR(200) NOT NULL /* Space-separated scopes */,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "revoked_at" TIMESTAMP,
    "created_by_id" INT REFERENCES "resource" ("id") ON DELETE SET NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
) /* An integration's credential. The token itself is shown once; only its SHA-256 is kept, */;
        ALTER TABLE "license_change" ADD "actor_token_id" INT REFERENCES "api_token" ("id") ON DELETE RESTRICT;
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
ALTER TABLE "license_change" DROP COLUMN "actor_token_id";
DROP TABLE IF EXISTS "api_token";
DROP TABLE IF EXISTS "sign_in_throttle";
"""


MODELS_STATE = (
    "eJztXWuT2jYX/isavjSd2c10N9lth35iCWlouWRYttftOMIWoHeNRCwRsm3z319JtvEdbK"
    "7G0ZddkHUk8xz56Nx89G9tRi1ks5eNOR7SJ0RqdfBvjcAZEh8S1y5ADc7nwRXZwOHIVp3h"
    "HBt81W3EuANNLi6Moc2QaLIQMx0855jKSWoNAjDhaOJA2fINA6aDLEQ4hvZLMJwioMYCmD"
    "NkjwFmgE3pkgBKTPSj+Gs/y0vg/l3j8vrmVl5/QnN+Iee2qCkmx2RyuGkeyRLzKYCyt8PB"
    "3EFj/BkwCuaIzm0ETEgAR7YN+BRhx52DATiHDn8pb3FB8McFEnBNkOjhiBv962/RjImFPi"
    "Pmf50/GWOMbCvCE2zJAVS7wZ/nqq1N+FvVUf76kWFSezEjQef5M59Ssuot8JCtE0SQQAXJ"
    "4bmzkCwiC9v22Olzzb3ToIt7iyEaC43hwpaMltTuDQRtNcPo9YfGfWtoGLXEIvApQgzzmk"
    "xK5AISt8rUr5/IW7i8vnr9/esfXt2+/kF0Ube5avn+izt1AIxLqODpDWtf1HXIodtDYRyA"
    "qv4nYG1OoZOOq98/hqy45TiyPo7roPUbAmyDZ+YY4M7gZ8NGZMKn4uvVd9+tgfLXxqD5rj"
    "F4IXp9K6ek4iF3H/+ed+navSbxDvB1H5AiCAcUVcT4Ng/Et9kI38YBVhLGmEI2LQJylGo/"
    "QJ9WTkRgvn2dA+bb15kwy0tRmJlJ5RgFIA4oyryOa/dzaKJLhsQOJW8GBLddFPTrXPLjeo"
    "38uE7KD7Fpy9syIE9i/0Zc4XiG0vGPUsZ4YHmkL/0P5eFI7iW/Buxhu9u6Hza67+XwM8Y+"
    "2gqvxrAlr1yr1udY64u41FkNAn5rD98B+RX82e+1FJyU8YmjZgz6Df+syXuCC04NQpcGtM"
    "KY+M1+U4TNNmTcWLCtGB2n3QOrPcmlOb1/Tjvok9h7tuFzlFJzucxc9oXv6NkoZLYk6DZb"
    "MOVn7H5smABc6kwgwf8ou7YYvCmUWwFctq1wHwhLu3v8lGokhmFLov2WOghPyC/oWYHeFn"
    "cGiZlmJXpelX5suDMD+4u/qvzW4Ilz4HLluEhbbOKDQABxhcZASJlBuzmsZUiOPSA9QIwu"
    "HPN8N4ONICcEZgRicReg99Dp1NTqHkHzaQkdy8hY5uYUkglixgxaKT6RO4/67S8DZK/Wbj"
    "ruHWwiwlBTDVgd8BWK9JqG0Ivgmrw0u57FWyCBE/WT5NxypjSpkOKLjUuNbH9sXFzlcMkC"
    "c8E4nSHnJfggVekPwITmFDHpxgQ2/oSASReEAzoW3wRvTXEJEyC6gheDq2/rAHPpIlVuU/"
    "QJOUlv7L5neCTucrVkLzmG+ImEiV8pfpL4DjnwljOAwPHEwAVQzls+FQM5dAlsagqFUvtl"
    "tV+2XDvsEfwq0kQy/qGkEMgRouMhXXsYNmtHgXr/fkPb3QkNJdwKyIkE3fH09O9KLTICaO"
    "UuUgBRv7sGMg6k9rFmQy1+oNUXOoevAWbjWiYfjacJJFw0CRs3j1mwCu+nhD+KGAXhZIIz"
    "WwaZBkHUs+lqmTvCVMBmPUuYVjubq54f19A8S8Qw+UTxzuuq7Y5SVZDYYrQafEek7kNDVR"
    "UubKHZnHJhZz8bT+h517UVjPYLeq4SZof0+KwkfYq3J7wLZHt6nHCvHF6eOXIYJcBBE8w4"
    "clznCSTA9RgxxeWXKb6b3HQpbpS/Ev4oNIPYrv0d868k+0lnzif123zrHlsumfbDaD9MNf"
    "ww7rNQAOAVQRURvsnjfxG9shG+SXhgnsRPSwe4RRazRCApArZPe0RfV6v7vtP/o9Uq6PBa"
    "0dWB/+mRtH4ftga9Rsdo9nv3D51hozcUl5ONcYmfi1e5WLWGUwlGOdTOEDWbGeXTHpFR3V"
    "b3rjUoyqbGm267Vwfq3yMZtO77D4Nmy+g2eo2fWoM6iLc8EneeOgjNd3JWBTtzTGekgg+Q"
    "pEuugCjGpZGgOhSb/L34uPk6d/1+J+IGumsPY+g+SG6+uFKgi07YDdgmnXM2nWBiQFPYf2"
    "lK+jrA46RHhH3Vcra4C0HjcEO6LtOdohlJvxGqdQ7RM9ys1wAvHZrxhSvTMpfUeRJwpORy"
    "ZGOYINwRxnImF+REcQ4ZE1hYhTP8E4RbbY0lw04nnOtgyN6CITql8phBRo6cGSYuTMycIm"
    "thb5EfvGEUnS2sc1lLlMuatVr3gHv1M1s3POo75LkyYQ/tIUrkjlKhRR/Vg3Qy8BZombJ8"
    "gEPkeBqzfGFtw8ZkT7HtDiZVAuuQsUdfeqWEHkOCLTvyyEKdcgQemdjckHWJCRg5dMlkFr"
    "g0JFTitl9ig47VV5PSJ4y+YX59DgYYF7ujlRaX3NewO2R/6/fvD5hHmx2X1GZ6Niuqa6aj"
    "z3MsRtuC61HKCnL9TLjsY7LhHXHXuCnmG4hRaS/MZmdAOH/oeAZp2UDOa5HGFljEAm027p"
    "uNN611BuhB1TnBqzYZTh3KucI4qdVFe6xX7kRfAwsWh3tv1PLeQmzLAjKCWGhkTCaNAXQp"
    "01WAePYFeAxAYqlm08aIcL/5AoypAyQQl3Q8Tup5+xx4B03vCaU4brJVPK975XS7V7miLq"
    "/WRF1e+VGXbPVuLJi7cNLMwkzxHybR7/gk0ghkUNWDaNsaO1FyrUOVWocauS83GwvC0xIM"
    "17M7Qayr7ZSN1wVe5Tqk4hF1VKboHQlPZrbaEX0zKJ/S0ZO1AMBibqnidURs965OZqlCrm"
    "DpYM4RqYMPY4fO3LdpP0iXEILmVNUAQB8XYmTwQcDrXk2oH/uf4pF4Til5dYSEkoJUeQO3"
    "kAETAObKrN+YQC/T5S9Asp2a5sJxXB+Izqc/aj59GPqCQjlGWsH9t8Keq0A2FFFpI0TaoZ"
    "GWVkILoxom0ZimYCqeQpaWHJIzFX9FXeY3VMTPbg/bjU4deB8eSbfRe5AN7v9H0ngY9o12"
    "rzloNe5bdRD5+kiGrUG33WsM2/1eHYS+xNWHkyXoU8co+vJWlKrM7CtTxigaj5F6tcFIe2"
    "iy85zjdF91tri79AqpnGESnfiXFOMuPm6keQtgw4QaXl2F9RR6yKnCgBVcujoluBQpwUq2"
    "HjfcWrLFnBff8PaeF9jgGKod4S1Qq+qs4Q1v8jlAPk2+wJkivC5dIIA3T8K6zpQ9YaasXz"
    "crJbYRKqmVHdXAoU4bwxltxhbIApC7kQD5NrEMJUAwwrbg/kQmOWBq/QiICkr4JZDhmCNH"
    "/lQmE2CRSoUIRxASMY0DzfNIvEQMQXsBllNsTtUE7gICAePAE0JzppgHpnSpJhEceAZY3p"
    "jDgLMoUFDIndBQPyNRV0jHN45aL2gxG6EUBWdNxaAVRfVSZa7zZMpcZyfKXCeO0wuv9ATI"
    "2b6mON1X7WvywEBpdYE2QohSKwJ9XQAqIb1NCDNCWMEA5pkELHMlEKlgMzEL5TyGaSoYPn"
    "iVR5xnS/Pk0Z0cpqRmrQlcev21tzArw9FVVIs5DJOEZca3Jo+uJmiJGPcPSvHUc/dcE8/c"
    "AND634JxJjOgc4YktX/8DFa8duOezI2bx1NzdA/NucB+DBeNgizbTeMjutFVo/xsufw12b"
    "Ck+i1CriChrWE1iHZXnNJdsWJDfmjDJHpbStn4z6vg7hYa2J3KB7tTaWCNN2+MviroKv/L"
    "7z8/3A+7LVlpN/icUwOLGBtXtzmsjau4hRiYG/JSlDHhn5HKn/QFHyMrM2u2tev290pbgP"
    "bHBSQc8xT7OVO0hEm0aElLaZoVzPUNCDSeaSd/bWEu724plyyquG9QfS2ymMIWIdKLVaeD"
    "ncyPELJSdnQhVO/IqYuY9yD62OY53nz1buOO2Fa0Qlwc4MhuozOUypWhdEifznsbplanU+"
    "0X67w4c79HngOxHOkrtzHjABHuPNfBUh4dTgkKnOtUutFlpks0Nyb1nKwdh9OnkJfLPaRP"
    "vwrcEbls5Ks1NvJV0kZWz4shHgDDe/e/iB8ujbbMinOti2XxADGLEAAvxC1z9q0SBL5oCH"
    "LnThOx0xH/Q0f8PZFvBFzexkmaHKXMyNe6/d7wXeePOvA+nM4ZWqBmShkOlj0TrfKwdYrD"
    "kKWVtYtBuqaoXbznRvXwN6m7xU45Bd4wIyQrCdeBlOVS4bxQ0hta1qWABywxnwLoqYNurR"
    "fsALpMOVz1UJNsUy9GyBu+YLokzHGVzMrHy953Gr06kH/j8bJyxMW0ln9YLd8TK1su8YC6"
    "zHjXGs1h+1dZJkT9fyTNRq/Z6nRab+pg9bEcy129BMAKFquIEH3Vye+IWEXBC5F8zWcZSs"
    "vXUOpKAS0iSqQLu8aN9rNJM7g6E0B13vKhEZamTDFkQxQ6gKsTwUtUz8MPNu2IsR/VOq91"
    "nBfa0ONbqhhj20KzOeXSfy1YVUtLHY/2uFibPR70Nbzi//tOII8/2XKaeAL5X+ETjrQr57"
    "iunBMeEXHqPe3whRbpXAJSMHs5QlRBpPd11FqoVLGYHDnC5ErLtM0GOkamoc4BNV1wk6Y5"
    "H4foc5aREZBUAuJ1r8y3fldvTqzelvehfNFt/K5QXr0x3+n3fvK7h6Bvdvp38SC3Pjgwc7"
    "VXt/y6Nuq1DXp6IbezDXriU+YayMHmtJZiJ3lXLtbZRzDos1ezSGdIntDi+YQcVlAjD5FU"
    "QoOJWT43N3ksn5ubbMtHXou99yYeqgIIe90riO5B4tNiRo7SjJ2f7/u9DF0wIIkrgtjk4D"
    "+VA36GaK8BV4KxXhuPK94xNU4OcFcsC2//m9mX/wMOw/8n"
)
