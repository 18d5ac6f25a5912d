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
    "eJztXVt34rYW/itavDRZK5PO5DY99IkQOqVNICsh0xtdjrEF6MTI1DLJ0J7+96Mt2/hubK"
    "7Go5fE2NqS/G1J3jdt/VObmDo22GljSnrmC6a1OvqnRtUJ5hexZyeopk6n/hO4YasDQxRW"
    "p0SxF8UGzLZUzeYPhqrBML+lY6ZZZGoTExqpNSgi1MYjS4U73zCkWVjH1CaqcYp6Y4xEXY"
    "jYDBtDRBhiY/ONIpNq+Hv+15jDI/T4Y+Pd2eUVPH/BU/sE2tZNjTdO6Gh7zfTpG7HHSIXS"
    "lo2mFh6SL4iZaIrNqYGRplJkY8NA9hgTy2mDIXWqWvYpdHFGyV8zzOEaYV7C4h39409+m1"
    "Adf8HM+zl9UYYEG3qIJ0SHCsR9xZ5Pxb02tX8QBeHtB4pmGrMJ9QtP5/bYpIvSHA+4O8IU"
    "c1QwVG9bM2ARnRmGy06Pa05P/SJOFwM0Oh6qMwMYDdROB/x7NUXpdHvKY6unKLXYIPAoAg"
    "xzb2kmhQHEu8rE24+gC+/OPlx8vPju/OriO15EdHNx5+O/TtM+MA6hgKfTq/0rnqu26pQQ"
    "GPugiv8xWJtj1UrG1SsfQZZ3OYqsh2MWtN4NH1t/zuwC3In6RTEwHdlj/vPD+/cZUH5uPD"
    "R/bDwc8VLH0KTJJ7kz/TvuozPnGeDt4+tMkCII+xRVxPgqD8RX6QhfRQEWK4wyVtm4CMhh"
    "qs0Avd91IgTz1UUOmK8uUmGGR2GYmWZCHQUg9inKPI5rj1NVw+8Y5l8o6Azyu10U9LNc68"
    "dZxvpxFl8/+EcbuqWodhz7G/7EJhOcjH+YMsID3SU99S7Kw5HcQz4D7F77rvXYa9zdQ/UT"
    "xv4yBF6NXguenIm788jdo+iqs6gE/dLu/YjgJ/q922kJOE1mjyzRol+u93sN+qTObFOh5p"
    "ui6kFMvNverRCbDZXZyoytxOgo7QZY7a5cktOb57SFX/m3ZxU+hykll8vMZW/xHcyVQmpL"
    "jG65BlN+xm5Gh/HBNa2RSsnfQq8tBm8C5UoAl+1TuAmEQe8eviQqiUHY4mj/YFqYjOjPeC"
    "5Ab/OeqVRL0hJdq0o3Ut2Bgf2vN6q8u/6Ms9S3heEiabDxC44AtgUaD3yVeWg3e7WUlWMD"
    "SD9gZs4s7XA/BktBji2YIYh5L1Dn6fa2Jkb3QNVe3lRLV1KGuTZW6QgzZaLqCTaRa5f6h5"
    "8fsLEYu8m43xINU4abosLqgB8RZHhfmb1BuB6cGiuEF4w688wMjLbQOIw/mpxNondUqo7E"
    "K0Hb0FLSKppgu46usun26+jynsOEjbQZs80Jtk7RM6gez0hTtTFmYPZFBnnFSDNn1EbmkP"
    "8SzGWIUMSLoqOHD8cnSKW6KDvk61PcdL3R6vvUs00DTaAOOpsMsAWVuAUGc8RXVHvGBP0L"
    "H03o6G2s2i4JH+xOHcd1hHl/+pQwx1KOX3k9zvKhQ0egPIeQMo4ih4z/5pW4ywtSkeUuyy"
    "dIGNPtMa/HMt+QYWpcwO/To2fRjDLFFjPp8zFHYUAMg6Oj8IYYr/EZjTgBgx6bFEOT0IV5"
    "eqPwGn0K/aL4i80JXk0OnLD5M3SkejC65QFARBibidcRRU/A5j8bLIbBcaTzfer0vi5eHn"
    "wF4ZZ4qVfVIDrvCeFQExugnjvcYHzkoiOGLf4O37pv+i1UcTqdH0u3gXQblEsA3IHZDzR4"
    "5W8+tQsZtYNEu0O69tRr1nYC9ebN2u6yp4j1tsA6EaPbnRr5vtRLhg8tfLcLIOoVl0BGgY"
    "TP+StW8GRqmHOc5IRJBTWJdI8Avy8dqNAK75sKrRSGNUIsgXVee43xmkwsgQ1hs9qYTSOX"
    "4MIdHQt0UiycIHK1uLYYs7qFEI7WsUMJrNd6uGt3Gr1WXA4LPwqr8YtndbS47NOH1l33c0"
    "tpNJutx8c6Cv1cxS+++ZiPiDJcYBYkUJZqAtQ+CbVeaNaORu8o5GCkWFgi4hp8TrZseNJ4"
    "QvDU5FcJ5up80yZeyw4nTqf1ufUQnzT+7TB3xP06Ev/69Ole6XWVZuO+jhaX5ZggovoVVZ"
    "tEWumGjA9/AGpiUntszBV1kozyNRllAh2nrxDS/zk7Oz//ePb+/Oq7y4uPHy+/e7+APP4o"
    "C/vr9ieAPzT84/xwFhDFNcOuEGCRWIGMsziEOAsZHhefhPwF9S415rWF8+4Q2O5OlhjXY+"
    "EJeTy6i50ZCZpSEQdlcB/IgQ2DnL5cxyG1JkwFwg0OEqaFWOQ41XYbI3DQiHnBAjuOEzhI"
    "zBj/MCkzpo7WjKp45PU8edVUEShXBV5zULWdWqoKUtBnvyZSj4GqqgoX0fFkatqYckXgBc"
    "/XHVt+bT/jeZUw22Zk00KMSIhqCooY6RFNVrBUjmgmJ9AGWXhEmI0tJ4hHpciJjGKCy6dR"
    "004RuoT4lT9icVd4ohKj9mcksCVezjHkw5UXVkH0GqeKl1z23K8Jgp3yUOAv/D2pakC05Z"
    "8y5kbG3OwK3O3H3DjTrwDAC4IqInyZJ9aGl0pH+DIWbeMtMqu4CTzaHToHWnf3t93fWglO"
    "tewtpR5dHXlXfdr6tdd66DRulWa38/h022t0evxx/OYq/oOzXKzK4FSMUZZppCw1yxnl0e"
    "6QUXetu+skN042mxo3d+1OHYl/4PV87D49NFvKXaPT+ARenuidPnXaqaNAe3tnlf8Jj4ip"
    "JueDSrMCWBK4NOBU22KT9y3erUn7utu9DZk1r9sRT0LnCbh59EGAzgsRO8XBYJgjQhVV4y"
    "pnkl6QBXiUdIewL+4cLO58obFsBUzxyUb+lPwDIaosA/8BfqwzgAcDfXTgwg7xN9N64XAk"
    "+OnTMYwRrgnj4XjCElCcqoxxLPTCyUZihCt9GkuG3S4E8oCuWUQsD5NVEOzLy1yy+WWGbH"
    "4ZBVsnbGqoc6WolhmlqyDc2xjbIy5/0cJgh6kk1LmgHqoTYhQf2BEyCXYusGH/JNYDQcYF"
    "BeVE+tWk5ZKBvxtZWcdTy3wlENy6UlhMEr0MgZIhUDIEav8hUDIHzi7De7kSMSHUgYlpY6"
    "zPjBUSOi2ppULRvtsH3knauRn4g3VJJsgMUCXKAJU2ZjeAe/XzQS1Zb1OyQ+VffjbAhALB"
    "xFVjQnDVXSNRF8OMbSCczamlQutPWC+Q2cxWQEuD8w8sCvVJzPJmgNOxRvSkbB8yCZxMmn"
    "fI+wcOETI3Kl4xCN1QaPwtoVVawrYZuuzJFAmRywFxIz1wmQUK5YhbZlzwxPo7QtEA8gZA"
    "vkQwd4ksAd7JPeZQ/NRM84Xgb5h37A9DzOaSq54U1rypatfI2ieP9dhi/rP0GGNpTE5nRX"
    "WNyfjLlPDaVuB6mLKCXD8QLufyFHm7YoqZUCNU0lew3Foa3H60O4td2UDOay2KDLCQXajZ"
    "eGw2blpZZqGtinOcV23aG1umbQuM41JduES2cMfLKoSzOFh6qZT3g0oMOJeKE3OJjMGeM4"
    "TfwdYTxOc+B8/JVg23NYNganu3T9DQtBAA8c4cDuNy3iYrXkPSe8EpqaOSlyO3eOVku/Nc"
    "0TjnGdE45140Trp4N+TMnVmFUjIGSWRu1tiWAAiQdiFa9eiuMLmUoUotQw2cLPfKjNpJmw"
    "Wz2R0jlpFVZeN1gTRD2xQ8wu6DBLkj5l9IFzvCWWvyCR0dcaLFbKqLMzEp/9w7MpkuzodG"
    "bxaxbUzr6HlomRMnTeAzmITgWAxxlAX+a8ZrRs8cXudpTPzYfBN96hql4OkAcyFFnDPhns"
    "chDpnIszF/6f77tL3xpqbNLMuxgci98TvdGx+EvuCiHCGt4Pe3wpYrf20oItKGiKRBIykG"
    "zyyMapBEYpqAKZ+FbPXs4j51mbNN8Ndu99qN2zpyL/r0rtF5ghvO/z5tPPW6SrvTfGg1Hl"
    "t1FPrZp14e8na34ycl5z+i4kOuDS7b2GxvWoV3EoWpysy+Mu0kwsMhdk4sSJo06XuWo3Rf"
    "9c5vZ+gVEjmDJDIyOvHkGI7PCrHocUIJrzzceR9yyL7cgBUcunLPRCn2TIi1dbfu1pIN5r"
    "z4Bj/veYGVWx8Kwpu6zyEZ5P3ECxwowlnhAj68ebaRyEjZPUbKRmKx010cgWjt5T4OK1B4"
    "qZPj4cNVXRx0TSF4kWH3mG/nIGznMBiIZp1Ose6EPPCyqj4hlEDNfJ4j20S8T5b5Cp6FmI"
    "djw/X3+ejQYKyeIr4soLexOXEO23azEB89e1Pj+Zg/xcLtMUeqhQMJip2j0VXjzT17m/Bq"
    "vWiPI2dAeg6ToK/kWJABg04QM52jxVWvYXhFHVOb2HMkskfocKo6f50+9XqEnHHAe61ScP"
    "HAi+k60jjpACOVvfB7Q/HC5ilq2GhiMlucbO4yVEShuM0RBie6U52jXPfcRM4x7O6B5OGu"
    "B05W5y8/5CjwX+YLpxYt8kZWdgQ5h8VnuYQCKZ2lM2hXziCfLasYWn3qHWYwvW91btqdT7"
    "ViiHtkdeRe9Gnj/v6h+7l1U0feVZ/etJq37Q7c865WsaZu/pQ6GWy+7JNcdhddrpAZmVd7"
    "23m1ZWZ4mYiyMokoXYnPSRhQdGQnEsthnm+Yu9u4V8oaF6SUUY1l/hx7vFphdiWQVnBR20"
    "oO0pkxJIax0uSK0srpdSDTq5ByH6OTHjbpHN6HczggQBV0EMco5RBeAvAKUSSp9BJsGeqw"
    "VWBlqEMpQh2ks3jjzuK09VlCnAvi2He/IMwyvGQ1sAtGmfgahhzXOaCOKWSFI022m2jMO9"
    "w9MdVY4OT3rGRjwYPml8dL9LzwBQ3yfs0gIQTV/aAGDTMIHZgx7LrZYYPnHDnbTsXOTQKe"
    "dSdmgWGLYBGBEAub2E4zfTomkJpMlLRspHNms1P0ixs/4MY8cAQog9MRTbrIcCYq/h5RsV"
    "8V68TOnd1MbhEtUVSA3CL6lVjgFvvdC25gjNFJA1GCSs3X3SKrk1dcYinNmdJOUS6wN2+n"
    "2I8s7AZfJ0nC3qNMOZgECi0VgtuMzbCOVNuRL+GQYZAUVTQghgFBpVMucpq6Jy860qPuiK"
    "rwqgxy6YqY3VCUakwK3lI7fermdOO0J+htTDQnYtYN/fXHAnrBeMrEeEBj8000wjkwRwQ6"
    "ZjFkzVIzqMTlXqdBRbyGI/jmSQ0n5eAtyMF0NhnghL1SGeFiC4rqZd07y+HrPz9Lz7l3Fv"
    "X0h0Z6op6RDHKU7qvetu6CgWnCArAUQpfqqwZQLNKrqLohQqnollrRFUYJqhVKnxqkqWBc"
    "5Hme5Tx9NY8u5rZpqwmh6xk5kNzyUhlLS5bqCKrFtN04YZnxFQZsit9g25q328+1TttjAs"
    "ZroW4gVf/vjNkMdqFFpX9pfjjcES/NDyU0PwStwzve7H0osG91t3cQsnQzjYfoUlON2LKf"
    "y16TDkui3SJgCuLSGhGVSHPFPs0VCzbkhzZIIj9LCR/+F5KkWOfbHu3Rlll5qF2L1JLXIq"
    "Nk4+ZGgWSSzn/4/dPTY++u1enBPe86pwS25R3RwddI5E/a3oEQWZlZs6pet7nTMXy0/5qp"
    "ImlFgaUlSCKXlqTsiJOCXnefQOKZgOcq6vL6mnLJQvY2DaonRRYT2EJEcrDK7RZ7syMEtJ"
    "Q1TQgB//iBjd281oPwtM0RJu0fk7ImthU9Aj4KcOhrI/ev7GP/yn7Cbu4NldYSjDni/kmW"
    "FWfqlchxxPXUAlu5QZiNMLWteR29QfI5yA23MK6bYEaHSJdwbEzS0dbrVrfGQYfSPLSNaB"
    "aZ+mhhjsilI3/I0JE/xHVkMV8UPgEUd3oUscMl0ZZZcK7dETiHjLfCF4Aj3mWbHYuFwFsa"
    "/Ni5/XjspMd/2x5/d8lXfC6vYiSN11Jm5Gt33U7vx9vf6si92J8xNKb05HHpsdlg8Tpruv"
    "YeA1VVR6rcqmsvBFnSZsQIpBn7EaMll4qHv4g8xDSc79etZgD7/sw6grUcBE4387Guv+Pw"
    "OKmCVVccdHb6EQuZbzQuNG6rkTUyDsutgzsVMivvL7u/bXTqCP5G/WXl8ItJKX+7Uv7hZc"
    "xeYZA3mr32ZzhxUPzv02aj02zd3kJe7MVlOYa72ATACp57FyL6qoPfMdWLghcgWRO6coqE"
    "OZEDzVcR4koBKSJMtDv9/n2ppYkDDDP4cCCAyrjlbSMMqkwxZAMU0oErA8FLlC/Pczatib"
    "Hn1TqscZwX2sD0LZWPsa3jydS0wX7NWVVLCh0PlzjJjB73yyovbuENB5BHZ/biYEpoLxpJ"
    "/kfwIBtp09mtTQcX8qK4xcus4K5oUNhKvvuU81jT8V0Q7PDQrdpO8L3IA+9FOroXMXDNKW"
    "BRMEY8RFTBYXyV51ylq/Rjla5ipyoNeePY4optUjxzOtARMgl1DqjNma2ZSSbeHv6Spsr5"
    "JJWAOCsxQetXsT9lkZPAg/LorvGrQHmRl+C22/nkFQ9A37ztXsvD93KPdv6Cepcac1fkOZ"
    "CcEa50lpkyQppOpKa//0VubU2/2XhsNm5a+9JKG9gi2riWoI26T06ytFDVL7NR5VPGoe5R"
    "nXzFFisokQdIKiHB7OBsSJhUBRB2i1cQ3a1EAfAWbZyk7Pz02O2kyII+SVQQJJqN/ici7Q"
    "8Q7QxwAYxsaTwqeEfEOKjgulis4+Y/Zv/+HzFNpnE="
)
