"""The database no longer holds a default for an idempotency key's actor: the empty default
of migration 5 was there only to fill the keys stored before keys had an actor. The models
keep their default on the application's side, as for every other column, and the schema they
describe has none in the database; now the migrated database is that schema.

On SQLite the key table is rebuilt, since SQLite cannot change a column's default in place.

One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = {
    "postgres": """
ALTER TABLE "idempotency_key" ALTER COLUMN "actor" DROP DEFAULT;
""",
    "sqlite": """
CREATE TABLE "idempotency_key_new" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "actor" VARCHAR(40) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_organiz_23afbf" UNIQUE ("organization_id", "actor", "key")
);
INSERT INTO "idempotency_key_new"
    ("id", "key", "actor", "operation", "fingerprint", "outcome", "created_at", "organization_id")
    SELECT "id", "key", "actor", "operation", "fingerprint", "outcome", "created_at", "organization_id"
    FROM "idempotency_key";
DROP TABLE "idempotency_key";
ALTER TABLE "idempotency_key_new" RENAME TO "idempotency_key";
CREATE INDEX IF NOT EXISTS "idx_idempotency_created_98dcfd" ON "idempotency_key" ("created_at");
""",
}

DOWNGRADE = {
    "postgres": """
ALTER TABLE "idempotency_key" ALTER COLUMN "actor" SET DEFAULT '';
""",
    "sqlite": """
CREATE TABLE "idempotency_key_new" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "actor" VARCHAR(40) NOT NULL DEFAULT '',
    "operation" VARCHAR(64) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_organiz_23afbf" UNIQUE ("organization_id", "actor", "key")
);
INSERT INTO "idempotency_key_new"
    ("id", "key", "actor", "operation", "fingerprint", "outcome", "created_at", "organization_id")
    SELECT "id", "key", "actor", "operation", "fingerprint", "outcome", "created_at", "organization_id"
    FROM "idempotency_key";
DROP TABLE "idempotency_key";
ALTER TABLE "idempotency_key_new" RENAME TO "idempotency_key";
CREATE INDEX IF NOT EXISTS "idx_idempotency_created_98dcfd" ON "idempotency_key" ("created_at");
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.schema_generator.DIALECT]


MODELS_STATE = (
    "eJztXe1z4jYT/1c0fOl1JpdpcknaoZ8Ix/VoCdwQ0td0fMIWoCdG4iwRLm3vf38k2cbvYP"
    "NqfPqSYFkr2b+VV7ur1erf2pRayGbnjRke0CdEanXwb43AKRI/EvfOQA3OZsEdWcDh0FaV"
    "4QwbfFltyLgDTS5ujKDNkCiyEDMdPOOYyk5qDQIw4WjsQFnyDQOmgyxEOIb2ORhMEFBtAc"
    "wZskcAM8AmdEEAJSb6Ufy1X+QtcP++8fry+kbef0Izfib7tqgpOsdkvL9uHskC8wmAsrbD"
    "wcxBI/wZMApmiM5sBExIAEe2DfgEYcftgwE4gw4/l484J/jTHAm4xkjUcMSD/vW3KMbEQp"
    "8R8y9nT8YII9uK8ARbsgFVbvCXmSprE/5OVZRvPzRMas+nJKg8e+ETSpa1BR6ydIwIEqgg"
    "2Tx35pJFZG7bHjt9rrlPGlRxHzFEY6ERnNuS0ZLafYCgrGYY3d7AuG8NDKOWGAQ+RYhhXp"
    "FJiRxA4lGZevuxfITXlxdX31/98Obm6gdRRT3msuT7L27XATAuoYKnO6h9Ufchh24NhXEA"
    "qvqfgLU5gU46rn79GLLikePI+jiugtYvCLANvplDgDuFnw0bkTGfiMuL775bAeWvjX7zfa"
    "P/StT6VnZJxUfufv5d79ale0/iHeDrfiBFEA4oqojxTR6Ib7IRvokDrCSMMYFsUgTkKNVu"
    "gD6unIjAfHOVA+abq0yY5a0ozMykso0CEAcUZR7HtfsZNNFrhsQMJR8GBI9dFPTLXPLjco"
    "X8uEzKDzFpy8cyIE9i/1bc4XiK0vGPUsZ4YHmk5/6P8nAk95BfAfagfde6HzTuPsjmp4x9"
    "shVejUFL3rlUpS+x0ldxqbNsBPzWHrwH8hL82eu2FJyU8bGjegzqDf6syWeCc04NQhcGtM"
    "KY+MV+UYTNNmTcmLONGB2n3QGrPcmlOb17TjvoWcw9m/A5Sqm5XGYu+8J3+GIUMlsSdOst"
    "mPIzdjc2TAAudcaQ4H+UXVsM3hTKjQAu21S4C4Sl3T16SjUSw7Al0X5HHYTH5Bf0okBviy"
    "eDxEyzEj2vSi/W3ImB/cUfVX5p8MU5cLF0XKQNNvFDIIC4QqMvpEy/3RzUMiTHDpDuI0bn"
    "jnm6k8FakBMCMwKxeArQfeh0amp0D6H5tICOZWQMc3MCyRgxYwqtFJ/IrUf97pc+spdjNx"
    "33DjYRYaipGqwO+ApFeklD6EVwTd6aXk7jJZDAsXol2bfsKU0qpPhi41Ij2x8bF1c5XLLA"
    "nDNOp8g5Bx+lKv0RmNCcICbdmMDGzwiYdE44oCNxpXjLACZAVAWv+hff1gHm0kWq3KboGT"
    "lJb+yue3gk7nC1ZC3ZhnhFwsRbilcS15ADbzgDCBxPDJwB5bzlE9GQQxfApqZQKLVfVvtl"
    "yzXDHsCvIk0k4x9KCoEcIToc0rWHQbN2EKh37zf0ZJmhhFsBOZGgO5ye/l2pRUYArZxFCi"
    "DqV9dAxoHUPtZsqMULWj2hc/gaYDauZfLReJpAwkWTsHHzmAXL5f2U5Y8iRkE4mODEhkGm"
    "QRD1bLpa5pYwFbBZTxKm5czmqueHNTRPEjEmhKwxZ3C8pVV+L9p58JupIlCYPFO89QfYdl"
    "upKkhsPlw2viVS96GmqgoXttB0Rjki5ovxhF62HVtBa7+glyphtk/X2HJKTHGLhafLbJeY"
    "E66Vwx02Qw6jBDhojBlHjutlggS4rjWmuHye4uTKTZfib/or4bhDU4jt2t8xR1SynvR6Pa"
    "t3890g2KoJqmTNdfeDlp5Ej3EK7QLTLrDquMDcr6sAwEuCKiJ8ncf1JWplI3ydcH75MiQJ"
    "cIvMp4k1vAjYPu0B3Yytuw+d3h+tVkFf45KuDvxfj6T1+6DV7zY6RrPXvX/oDBrdgbidLI"
    "zPIbl4lYtVKziVYJRD7QxRs55RPu0BGXXXurtt9YuyqfH2rt2tA/XvkfRb972HfrNl3DW6"
    "jZ9a/TqIlzwSt586CPV3dFYFM3RMC6WCD5CkS66AKMaloaDaF5v8ufiwoVK3vV4n4oG7bQ"
    "9i6D5Ibr66UKCLSthdK0/6RW06xsSAprAo09T+VYDHSQ8I+7LkZHEXgsbhhvQap/ujM+Kt"
    "I1SrfNEnOFmvAF76kuMDV0bELqjzJOBICaPJxjBBuCWM5YzryIniDDImsLAKb65IEG40NZ"
    "YMOx3rr9ehdrYOpaNZD7m+y5EzxcSFiZkTZM3tDUKz17SiA7ULAO9uv9sN/OG2NBN0LHeJ"
    "YrmzxuwOcK9+ZPcaeZsR551f/OyACQUiOqrGhLDU3SLkniHGdrAO67ZSIfkTtQv0voQN0D"
    "JlJhOHyPY0ZvkCRwwbkx1Fj3QwqRJY+1zd96VXyuJ+SLBlr+2zUKUcS/tMTHHIeo0JGDp0"
    "weSGFGlYqz0kfrYfOlKXJqVPGH3D/FRBDDAu5kgrbeV/V81usRFFpwLZY0h/9jq9dltls6"
    "K6biv0eYZFaxtwPUpZQa6fCJd9TNakq3DtzGLOmhiV9kqu98uEI/QO5xsoG8h57dLYAItY"
    "oM3GfbPxtrXKAN2rOid41SaDiUM5VxgntbpojdXKnahrYMHicO21Wt47iG2Zy0oQC42Myb"
    "BMgF7L8C0gvn0BHgOQWKrYtDEi3C8+AyPqAAnEazoaJfW8XTa8hab3hFJ8aNkqnle9crrd"
    "m1yrkG9WrEK+8Vchs9W7kWDu3EkzCzPFf5hEbzdMhNXIIAMPok3TfUXJtQ5Vah1q6OZZMO"
    "aEpwXcrmZ3glgn/iobrwvsKt2n4hF1VKboHQlPZrbaEd2kmE/p6Mq0JGA+s1QeTSKme1cn"
    "s1ROabBwMOeI1MHHkUOn7sb+j9IlhKA5UelI0Ke5aBl8FPC6dxPqx+67eCSeU0reHSKhpC"
    "CVacXNqcIEgLn2rqzdopK14YSa5txxXB+I3l9y0P0lYegLCuUYaQXn3wp7rgLZUESljRBp"
    "h0ZatA8tjGqYRGOagqn4CllanE7OrSlL6jLv2BKv3R60G5068H48krtG90EWuP8fSeNh0D"
    "Pa3Wa/1bhv1UHk8pEMWv27drcxaPe6dRC6iKsPR9uwQh2j6GbGKFWZ2VemCGo0GiG11cdI"
    "+2iy4/7jdF/17gl36BVSOcMkOgYzKcZdfDaIek0Sanh1Quhj6CHHWgas4NDV0dmliM5Wsv"
    "Wwy60lG8x58Q1P73mB1UHWBeHNjKhOB/k48QInivCqcIEA3jwB6zpS9qiRsn4Cv9RY2VB2"
    "v1XRsuFkgutXNQYqPbuJ5PqCm6FdBjjwoHSZph2OuIyGeEbOi5d7XS09YLlGUHeXE5CD3Y"
    "zviZWN/XTzSCZYxtaqmg4Hlvgq2Dn4zV0nScsc74foqoZ/BEQtuCAL89zhuXqNQ69xnJR6"
    "WfY1jVwxBieYZ730n9UJpVo/ISy1s0b7FI4v9HfoUzhOtI+fpTlFEw4lcM7Wg3Go0loluM"
    "3YHFkAcle/lJmmpKYIwRDbwhIay4BfTC1fX/RPJlKqqnxVJjeDIRUWHI6mSWjBe+rnkXhB"
    "yYL2DCwm2JyoDtwxCYKxAJ4QmjE1HsCELlQnggMvAMsHcxhw5gXS17odGuo1EllstR58SD"
    "2YzKdDlOLsW5FNdklRvbDxyzxR45fZQeOXiVPuwyM91c5IBzlO91Wvu3pgoLScsWshRKnZ"
    "Yr8uAJWQ3sTUjRBqQ7fUhq5yShCz0P6fME0FQ2ne5BHn2dI8cTQe5TBlm8KKID6vvjbGsn"
    "b7uIpqMWs3SVhmfJUDm6AFYtw/v9T3TqvjRj1zA0Drf3PGmdwNGNf+tfvhdEe8dj+U0P0Q"
    "9g4feLXyVGDf63JlGLJsN42P6FpXjVpzzuWvyYYl1W8RcgUJbQ2rRrS74pjuiiUb8kMbJt"
    "HTUsrEf1qHsWyggd2qvRG3aktE4+1bo6cO+5D/5fXPD/eDu5Y8hSX4nVMDixgbFzc5rI2L"
    "uIUYmBvyVpQx4ddI5U/6gI+RlZk1m9p1u0vvEKD9aQ4JxzzFfs4ULWESLVrSwvunBVfdAw"
    "KNZ9qB3BuYy9tbyiWLsNs1qL4WWUxhixDpwaq3RhzNjxCyUrZ0IVTvgOOzmPcg+tnmiCYP"
    "8nxsiW1FsyXHAY7MNjpav1zR+vv06XywYWqmZlV+tsqLM/Nr5Dl+2ZG+chszDhDhzksdLC"
    "aQA0pQ4Fyn0o0uI12isTGppzJv2dwWmfq0e0ifjLxPG/kil418scJGvkjayOp7McQHYHif"
    "RxE/XBptmRXn2h2WibREL0IAvBKPzNm3ShD4oiGInTvOip1e8d/3ir8n8o2Ay5s4SZOtlB"
    "n52l2vO3jf+aMOvB/Hc4YmjJ48S3psPly+zrbH54Saqo5Wud+diGHI0jYjxiBdsR8xXnOt"
    "evib1N0giUQ4A6+Zodz3R+tAynKpcJ4p6Q0t67WABywwnwDoqYPuTj/sALogSaVxX51ssn"
    "9QyBs+Z3rr4GGVzMqvl33oNLp1IP/G18vKsS6mtfz9avmeWNlwiAfUZca71mgO2r/KlHnq"
    "/yNpNrrNVqfTelsHy5/lGO5qEwArmLgtQvRVB78jYhUFL0TyNZ9zLy1fQ6krBbSIKJE+5C"
    "ButJ9MmMHFiQCq45b3jbA0ZYohG6LQC7g6ELxEue38xaYtMfZXtU5rHOeFNvT5lmqNsW2h"
    "6Yxy6b8WrKqlhY5Ha5ytjB4P6hreQVi7DiCPf9nLzIqyv3gk+V/hYz+1T+ewPp0jnpt27M"
    "lt/9nHMxKKrknyfliEa7WD4HuVB96rbHSvEuDSmcSiYIx4hKiCw3hXhzuHDkcRnSNHGLZp"
    "8czZQMfINNQ5oKZzbtI0F+8Afc4y5QKSSkC8KjFB63e1P2WZk8CH8tVd43eF8jIvQafX/c"
    "mvHoK+2endxkMJ9FHlmaO9ugc+adeJtvSPL+S2tvSPfK51AznYnNRSrFHvztkqKxQGdXZq"
    "fOo41COak8/IYQU18hBJJTSYmFl5fZ3HrLy+zjYr5b2YWSk+qgIIe9UriO5eogBEjxylGT"
    "s/3/e6GbpgQBJXBLHJwX8q0v4E0V4BrgRjtTYeV7xjapxs4LZYrOPuJ7Mv/wcKqoeZ"
)
