"""The license policy of each organisation and the license requests it makes (R16): whether an
increase may happen without a person confirming it, the caps no increase passes, and the
increases the policy stopped, for an administrator to approve or decline.

One migration serves both supported databases: only the types of a moment, a key and a large
integer differ.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
ALTER TABLE "organization" ADD "license_policy" VARCHAR(16) NOT NULL DEFAULT 'NEVER';
ALTER TABLE "organization" ADD "max_license_count" INT;
ALTER TABLE "organization" ADD "max_monthly_amount" BIGINT;
ALTER TABLE "organization" ADD "policy_changed_at" {moment};
CREATE TABLE IF NOT EXISTS "license_request" (
    "id" {key},
    "status" VARCHAR(16) NOT NULL,
    "created_at" {moment} NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "external_id" VARCHAR(255),
    "requested_by_name" VARCHAR(200) NOT NULL,
    "decided_at" {moment},
    "decided_by_name" VARCHAR(200),
    "fulfilled_at" {moment},
    "decided_by_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT,
    "requested_by_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT,
    "requested_by_token_id" INT REFERENCES "api_token" ("id") ON DELETE RESTRICT,
    "resource_id" INT REFERENCES "resource" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_license_req_organiz_status_id" ON "license_request" ("organization_id", "status", "id");
CREATE INDEX IF NOT EXISTS "idx_license_req_organiz_email" ON "license_request" ("organization_id", "email");
"""

DOWNGRADE = """
DROP TABLE IF EXISTS "license_request";
ALTER TABLE "organization" DROP COLUMN "license_policy";
ALTER TABLE "organization" DROP COLUMN "max_license_count";
ALTER TABLE "organization" DROP COLUMN "max_monthly_amount";
ALTER TABLE "organization" DROP COLUMN "policy_changed_at";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    postgres = db.schema_generator.DIALECT == "postgres"
    return SQL.format(
        moment="TIMESTAMPTZ" if postgres else "TIMESTAMP",
        key="SERIAL NOT NULL PRIMARY KEY"
        if postgres
        else "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
    )


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXVlz4rgW/isqXm5Slc500klminkiND3NDIEuILMy5QhbgG6MTFsiaWZu//cryTbewW"
    "Y1br0kIOtI5jtazqajfytTy0AmvazNcN96RqRSBf9WCJwi/iH27AJU4GzmPxEFDA5NWRnO"
    "sMaW1YaU2VBn/MEImhTxIgNR3cYzhi3RSaVGACYMjW0oSv5DgW4jAxGGoXkJ+hMEZFsAM4"
    "rMEcAU0In1SoBFdPQj/2suxCPQ+1h7c317J54/oxm7EH0bls47x2S8v24G5BWzCYCits3A"
    "zEYj/AVQC8yQNTMR0CEBDJkmYBOEbacPCuAM2uxSvOKc4M9zxOEaI17D5i/619+8GBMDfU"
    "HU+zp71kYYmUaIJ9gQDchyjS1msqxJ2AdZUfz6oaZb5nxK/MqzBZtYZFmb4yFKx4ggjgoS"
    "zTN7LlhE5qbpstPjmvOmfhXnFQM0BhrBuSkYLaidF/DLKprW7vS1XqOvaZXYIPAoAgxzi3"
    "SLiAHEX5XKXz8Wr/Dm+urm+5sf3t3d/MCryNdclnz/1enaB8YhlPC0+5Wv8jlk0KkhMfZB"
    "lf9jsNYn0E7G1asfQZa/chRZD8dV0HoFPrb+nDkEuFP4RTMRGbMJ/3r19u0KKH+tdesfa9"
    "0zXutcdGnxSe5M/7b76Np5JvD28XUmSB6EfYoyYnyXBeK7dITvogDLFUabQDrJA3KYajdA"
    "H3edCMF8d5MB5rubVJjFozDMVLdEGzkg9imKPI4rvRnU0RuK+A4lXgb4r50X9OtM68f1iv"
    "XjOr5+8E1bvJYGWRz79/wJw1OUjH+YMsIDwyW99D4UhyOZh/wKsPvNh0avX3v4JJqfUvrZ"
    "lHjV+g3x5FqWLiKlZ9FVZ9kI+K3Z/wjEV/Bnp92QcFqUjW3Zo1+v/2dFvBOcM0sj1qsGjS"
    "AmXrFXFGKzCSnT5nQjRkdpd8Bqd+VSnN49p230wveeTfgcplRcLjKXvcV3uNByqS0xuvUa"
    "TPEZuxsdxgfXsseQ4H+kXpsP3gTKjQAu2la4C4SF3j16TlQSg7DF0f5g2QiPyS9oIUFv8j"
    "eDRE/SEl2rSifS3ImB/dUbVV6pP+Ns+Lo0XCQNNv6BI4CYRKPLV5lus96vpKwcO0C6i6g1"
    "t/XT3QzWghxbMEMQ87cA7cdWqyJH9xDqz6/QNrSUYa5PIBkjqk2hkWATuXepP/zSReZy7C"
    "bj3sI6IhTVZYPlAV+iaF1bAfRCuMYfTa+n0RJI4Fj+JNG36ClpVUiwxUZXjXR7bHS5ymCS"
    "BfqcMmuK7EvwJETpJ6BDfYKoMGMCE78goFtzwoA14t8kbynABPCq4Kx7dX4BIDFk3RGfb3"
    "FT7E6bHxDP1ipoAm2Q+XSIbNGIW2G4AHyFYHMq6Z/5aAJnrxPIXBLKiWUb51WA+PsMCKaO"
    "5Re98Hac6WCIFxH1OYSEchQ5ZPw7b8SdLgAC211mLoA0DrMJb8e2XoFp6VxgHZCzJ9mNNk"
    "M2tcjTOUdhiE2To6Pxjihv8QmMOQEVb2wRJLoUr7BI71T8jAER70XQF8YJXiwOnLRhU3AG"
    "PRjd+gJAgCmdy58jq14IG/Z8uBwG55GXHxDn7avyxwvbd7gnXusFmtjgb4I51JgJqBcONy"
    "gfueCMIpv/hu/cX/qdaOJytjhXZnBlBi+WQHMAM5bQSLV/+NTOZaQNEh0O6cpjv145CNS7"
    "N9O6y54m19sc60SM7nBq0dtCLxk+tGLfzoGoV10BGQVSbOcvSEPTmWktUJJTIRXUJNIjAv"
    "y2cKCKXvi7QdFLblgjxApY52dvMV6TiRWwIWw2G7Np5ApcUWIgiU6KxU6IXA2uLcasSCGE"
    "o20cUALrN7oPzXat34jLYeFHYTV++awKlh8HpNt46Pza0Gr1eqPXq4LQ1038vLuPYYgowz"
    "lmQQJloSZA5Sep1kvN2tHoHYVcGCmWloi4Bp+RLTueNMrXng41/4FGh5iLimsJTMe1SL46"
    "10QRc9XFfB1ZzMPLMM+EbSqPcTgYVHpiwyDVMBz2cDvWwC1hyuG7OEmYliq3Y9E8rMPhJB"
    "GjfJHV5hSOt/TO9Hg7j14zZQTK3Uu3HFNNp5WyghQ0/m+JVC/QVFnhwgbXYS2GiL7QntFi"
    "27Hlt/YLWpQJs326SJdbYoJ7NLhdprtG7WCtDG5Rx2MHbDTGlCHb8QZCAhwXK5Vcvkzwd2"
    "amS3CE/RVz4KIpxGbl74iHLF7PsQiIT55/BhsVThWvue6535Lwmmah4DoMsgk0RRjC38p5"
    "p5x35XHeOdMvB8BLgjIifJvFacdrpSN8G3PbeYvMJmY6j/aA5rnGw6dW549GgnVu9VkLj6"
    "4KvE8D0vi93+i2ay2t3mn3Hlv9WrvPH8cLN7HUXWdi1QpOxRhlW2bKUrOeUR7tARn10Hi4"
    "b3Tzsqn2/qHZrgL5T5hPe53Hbr2hPdTatZ8aXWFBDZcMiNNPFQT6Ozqr/C08IqZanA+QrP"
    "KEJXBpyKn2xSZvLz5sTP19p9MKmejum/0Iuo+Cm2dXEnReCTtBlXHDqWmNMdGgzlXOJL1g"
    "FeBR0gPCviw5Wdz5QmMzTZiVkw3WKQfzQlSrjNUnuFmvAF4Ym6MDVxyderXsZw5HQrx1Oo"
    "Yxwi1hLGYAcEYUZ5BSjoWR+xRujHCjrbFg2B1CIA/omnnE8jBZCcG+vc0km9+ukM1vo2Ab"
    "mM5MuNDyaplRuhLCvY+xPebyF8kNdphKQZ0J6hGcYjP/wI6QKbAzgS0OYiAjEK2UU1BOpN"
    "9MWi4Y+IeRlQ00s60XLKJkNgrxSKJXZ7BP4Qy2CucpeziPOhx+yDA5rkRMMXFgovoEGXNz"
    "g0wHa1pReQ9yAO9ks9oN/MG2FBNUaoQCpUZIG7M7wL38iRLWrLcpaROyLz87YEKOwNiyMS"
    "G46m6RwYIiSncQzua0UqL1J6wXqDQfG6Cli8TANhHtKcyyxd9qJiY7CsJtYVImsPYZJOmt"
    "XgkxkoGFLT1EkgYqZYiQpHyLQ8YbTMBQHHUSKV6EYi0PNnnJs62R/Kpb1jNG/6Fe5m0KKO"
    "N7pJEUQLmrZrdINKIy6+4xZUN6NKMyW6WzorxmK/RlhnlrG3A9TFlCrp8IlzPZpL34+3zG"
    "mgiVskqut8sEDzoczjZQNJCz6qWRARbSQOu1Xr32vrFKAd2rOMd51ST9iW0xJjGOS3XhGq"
    "uFO15Xw5zFwdprpbwPEJsiNTwn5hIZFadbAHojgtwBn/scPCfBnijWTYwI84ovwMiygQDi"
    "jTUaxeW8XTa8haT3jBJsaOkinlu9dLLdu0x+/3cr/P7vPL9/ung34syd27myyARJVDqpWP"
    "CxCMV0Ido0e36YXMlQhZahhk5iTm1OWNKxpNXsjhGrGI6i8TpHco59Ch5hQ2WC3BGzZKaL"
    "HeFcD9mEjrZMwjufGfJaGsK3e0cmM+QVbeDVxowhUgVPI9uaOokbn4RJSGTyldl30ec5bx"
    "k8cXidpzHxY/ddDIhrlBJPh4gLKTI1rptCWObFzXIEeO1J37RTuJauz23bsYGoU7gHPYUb"
    "hD7nohwhLeH+W2LLlb825BFpQ0TKoJEU7WPlRjVIojBNwJTPQrp5QkSfusjn2vnPbvabtV"
    "YVuB8G5KHWfhQFzv8BqT32O1qzXe82ar1GFYS+DoiXOrHZaft5FPmXqPiQKZR+H8d6LTv3"
    "mYUwVZHZV6QzC2g0Qk6S1aRJk346Mkr3TZ8xdYZeLpEzSKJiMBOTXXN8Noh6jRMqeNX9as"
    "eQQ47lBizh0FXR2YWIzpZr62HdrQUbzFnxDW7vWYFVQdY54U2NqE4G+TjxAieK8KpwAR/e"
    "LAHrKlL2qJGyXh7kxFjZQJLkVdGywZzM670afXnzoI6Ef8G589C72tAtXV58CEdMRENELg"
    "1AWPgInEv5KLKxc4dizLOxn24GZIJFbK2saTNg8FlBL8Fvjp8k6aJEL0RXNvwjINLhggzM"
    "MofnKh+H8nGclHhZdJ9GphiDE7xHr/DT6oSu0jshLJWxRtkUjr/o79CmcJxoH++yiwRJOH"
    "APRrocjAOV1grBTecmavf6K5mPU0iKELjXeYmAX2wZnrzoXcQtRVXxU6k4DIZkWHAwmiYm"
    "Be+pnwFxg5I57YW4/1qfyA6cMQn8sQCeEZpROR7AxHqVnXAOLJyruG0K7HmOWwCcDjX5M2"
    "KXASg5+JBysHPTfB4HrE9RvrDx6yxR49fpQePXUb9raKQn6hnJIEfpvmm/qwsGSsqsvxZC"
    "lJhT/9sCUC7Sm6i6IUKl6BZa0ZVGCaLnOv8TpClhKM27LMt5+moeXcyZxWDCMYUVQXxufa"
    "WMpZ32cQTVfNpunLDI+EoDNkGviDLg2pQ86zSbYLq8LRca/51TRsVpwKj0r8wPpzvilfmh"
    "gOaHoHX4wN7KU4F9r+7KIGTpZhoP0bWmGulzzmSvSYcl0W4RMAVxaQ3LRpS54pjmiiUbsk"
    "MbJFHbUsLGf1pX1m0ggd3LsxH38khE7f17rSOvRBP/xfefH3v9h4a4q87/nFECCykbV3cZ"
    "tI2rqIboqxviUTTRfegu4qxKXYSsyKzZVK/bXXoHH+3Pc0gYZgn6c+rSEiRRS0tSeP80p9"
    "fdJ1B4JuC5ibq8vaZcsAi7XYPqSZH5BLYQkRqs6mjE0ewIAS1lSxNCwD9+YmM3q/UgPG0z"
    "RJP7eT62xLak2ZKjAId2GxWtX6xo/X3adD6ZMDFTsyy/WGXFmXk1MuRontnCVm5iygAizF"
    "5UwesEMmAR5BvXLWFGF5Eu4diYpNzM2za3RaY+ZR7aRzRLzmQCJU4jcJVJR75aoSNfxXVk"
    "OV80PgE0d3rkscMl0RZZcK48YJFIi/fCF4Az/sqMnsuFwFsa/Ni543jslMd/3x5/d8nXfC"
    "5vYiSNt1Jk5CsPnXb/Y+uPKnA/HM8YGlN6srj06Hy4/DnbXp8TaKo8UuV+TyIGIUs6jBiB"
    "dMV5xGjNteLhb0J2gyQU4QzcZobi3J9VBWItFwLnhVy9oWG84fCAV8wmALrioHPSD9vAei"
    "VxoXFfnWxyflDcJDyn6ujgYYXM0vvLPrVq7SoQf6P+smL4xZSUv18p311WNhziPnWR8a7U"
    "6v3mryJlnvw/IPVau95otRrvq2D5sRjDXR4CoDkTt4WIvungd0SMvOAFSLaErpgiYUbkhO"
    "arSXElhxQRJlKXHESV9pMJM7g6EUBV3PK+ERaqTD5kAxTKgasCwQuU285zNm2JsefVOq1x"
    "nBXawPQtlI+xaaDpzGLCfs1ZVUkKHQ/XuFgZPe7X1dyLsHYdQB6d2cvMiqK/aCT5X8FrP5"
    "VN57A2nSPem3bszW3/2cdTEoquSfJ+WIQrlYPge5MF3pt0dG9i4FozgUXOGPEQUQmH8a4u"
    "dw5cjsI7RzZXbJPimdOBjpApqDNAbc2ZbiWZePvoS5oq55OUAuJViQkav8vzKcucBB6UZw"
    "+13yXKy7wErU77J696APp6q3MfDSVQV5WnjvbyXvikTCdK0z/+Ire1pn/ke61ryMb6pJKg"
    "jbpPLlZpodCvs1PlU8WhHlGdfEE2zSmRB0hKIcFE1Mrb2yxq5e1tulopnkXUSj6pciDsVi"
    "8hunuJAuA9MpSk7Pzc67RTZEGfJCoIYp2B/8lI+xNEewW4AozV0nhU8I6IcaKB+3yxjrvf"
    "zL7+H6IqxI4="
)
