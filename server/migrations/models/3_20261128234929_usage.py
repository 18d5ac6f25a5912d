"""The usage series: the license count and the licenses in use after every change.

Organisations that exist already get their first point: the figures as they stand.
One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

FIRST_POINTS = """
INSERT INTO "seat_usage" ("organization_id", "occurred_at", "license_count", "used")
    SELECT "id", CURRENT_TIMESTAMP, "license_count", "used" FROM "organization";
"""

SQL = {
    "postgres": """
CREATE TABLE IF NOT EXISTS "seat_usage" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "license_count" INT NOT NULL,
    "used" INT NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_seat_usage_organiz_1fe536" ON "seat_usage" ("organization_id", "occurred_at");
COMMENT ON TABLE "seat_usage" IS 'The licence count and the licences in use after every change of either: the series the';
        COMMENT ON COLUMN "invoice"."last_change_id" IS 'The newest license change this invoice adjusts for';
        COMMENT ON COLUMN "plan"."price_per_license" IS 'Minor units (cents) per license and period';
"""
    + FIRST_POINTS,
    "sqlite": """
CREATE TABLE IF NOT EXISTS "seat_usage" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "occurred_at" TIMESTAMP NOT NULL,
    "license_count" INT NOT NULL,
    "used" INT NOT NULL,
    "organization_id" INT NOT NULL REFERENCES "organization" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_seat_usage_organiz_1fe536" ON "seat_usage" ("organization_id", "occurred_at");
"""
    + FIRST_POINTS,
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP TABLE IF EXISTS "seat_usage";
"""


MODELS_STATE = (
    "eJztXWtz4jYX/isavnQ7k2Sa7Cbt0E+EZbu0BHYI6TUdr7AF6I2RWEsOm7b7319JtvEdbK"
    "6G1ZcEyzqS/Rz56Nwk/VubUgvZ7KIxwwP6hEitDv6tEThF4kfq3hmowdksvCMLOBzaqjKc"
    "YYMvqg0Zd6DJxY0RtBkSRRZipoNnHFPZSa1BACYcjR0oS75hwHSQhQjH0L4AgwkCqi2AOU"
    "P2CGAG2ITOCaDERD+Kv/aLvAXu3zfOr65v5P0nNONnsm+LmqJzTMa76+aRzDGfAChrOxzM"
    "HDTCnwGjYIbozEbAhARwZNuATxB2vD4YgDPo8Av5iC7Bn1wk4BojUcMRD/rX36IYEwt9Ri"
    "y4nD0ZI4xsK8YTbMkGVLnBX2aqrE34O1VRvv3QMKntTklYefbCJ5Qsags8ZOkYESRQQbJ5"
    "7riSRcS1bZ+dAde8Jw2reI8YobHQCLq2ZLSk9h4gLKsZRrc3MO5bA8OopQZBQBFhmF9kUi"
    "IHkHhUpt5+LB/h/Oryzfdvfnh98+YHUUU95qLk+y9e1yEwHqGCpzuofVH3IYdeDYVxCKr6"
    "n4K1OYFONq5B/QSy4pGTyAY4LoM2KAixDb+ZfYA7hZ8NG5Exn4jLy+++WwLlr41+832j/0"
    "rU+lZ2ScVH7n3+Xf/WlXdP4h3i630gZRAOKU4R45siEN/kI3yTBFhJGGMC2aQMyHGq7QB9"
    "WDkRg/nmTQGYb97kwixvxWFmJpVtlIA4pKjyOK7dz6CJzhkSM5R8GBA+dlnQrwrJj6sl8u"
    "MqLT/EpC0fy4A8jf1bcYfjKcrGP06Z4IHlk14EP6rDkcJDfgnYg/Zd637QuPsgm58y9slW"
    "eDUGLXnnSpW+JEpfJaXOohHwW3vwHshL8Gev21JwUsbHjuoxrDf4syafCbqcGoTODWhFMQ"
    "mKg6IYm23IuOGytRidpN0Cq33JpTm9fU476FnMPevwOU6puVxlLgfCd/hilDJbUnSrLZjq"
    "M3Y7NkwILnXGkOB/lF1bDt4MyrUArtpUuA2Epd09eso0EqOwpdF+Rx2Ex+QX9KJAb4sng8"
    "TMshJ9r0ov0dyRgf0lGFVBafjFOXC+cFxkDTbxQyCAuEKjL6RMv90c1HIkxxaQ7iNGXcc8"
    "3slgJcgpgRmDWDwF6D50OjU1uofQfJpDxzJyhrk5gWSMmDGFVoZP5NanfvdLH9mLsZuNew"
    "ebiDDUVA2eDvgKRXpFI+jFcE3fml5NkyWQwLF6Jdm37ClLKmT4YpNSI98fmxRXBVyywHQZ"
    "p1PkXICPUpX+CExoThCTbkxg42cETOoSDuhIXCneMoAJEFXBq/7lt3WAuXSRKrcpekZO2h"
    "u77R4eiTdcLVlLtiFekTDxluKVxDXkwB/OAALHFwNnQDlv+UQ05NA5sKkpFErtl9V+2WrN"
    "sHvwq0gTyfiHklIgx4j2h3TtYdCs7QXq7fsNfVlmKOFWQk6k6Panp39XaZERQitnkRKIBt"
    "U1kEkgtY81H2rxglZP6ByBBpiPa5V8NL4mkHLRpGzcImbBIryfEf4oYxREkwmObBjkGgRx"
    "z6anZW4IUwmb9ShhWsxsnnq+X0PzKBFjQsgaLoPjDa3ye9HOQ9DMKQKFyTPFG3+Aba+VUw"
    "WJucNF4xsidR9p6lThwhaazihHxHwxntDLpmMrbO0X9HJKmO3SNbaYEjPcYtHpMt8l5kRr"
    "FXCHzZDDKAEOGmPGkeN5mSABnmuNKS5fZDi5CtNl+Jv+Sjnu0BRiu/Z3whGVrie9Xs/q3Q"
    "I3CLY8Mu2w0g6r03BYed9CCYAXBKeI8HURR5WolY/wdcpV9SReLRvgFnGnqYhbDOyAdo9O"
    "wdbdh07vj1arpGdwQVcHwa9H0vp90Op3Gx2j2eveP3QGje5A3E4XJiV+IV4VYtUSTqUY5V"
    "A7R9SsZlRAu0dG3bXublv9smxqvL1rd+tA/Xsk/dZ976HfbBl3jW7jp1a/DpIlj8Trpw4i"
    "/R2cVeHMnNAZqeADJNmSKyRKcGkoqHbFpmAu3m9i022v14n5y27bgwS6D5Kbry4V6KIS9i"
    "LbaS+mTceYGNAU9l+Wkr4M8CTpHmFflBwt7kLQONyQPt5s73FOdnSMapnn+Agn6yXAS89v"
    "cuDK/NU5dZ4EHBlJL/kYpgg3hLGaWRgFUZxBxgQWVumlECnCtabGimGnM/N11GhrUSOde7"
    "rPaCxHzhQTDyZmTpDl2mskUq9oRadV66TfCiX95o3WLeB++inAKz71DRKCmbCHthAl8lo5"
    "oUEf14N01vQaaJlynwWHyPY0ZsXC2oaNyZZi2x1MTgmsXcYeA+mVEXqMCLb8yCOLVCoQeG"
    "RickPWOSZg6NA5k+ny0pBQGe7BXiR0pC5NSp8w+oYFG5kwwLiYHa2suOS2mt0gTV5vVLDD"
    "hOP8uKQ20/NZcbpmOvo8w6K1NbgepzxBrh8JlwNMViym94ybcr6BBJX2wqx2BkTzh/ZnkF"
    "YN5KIWaWKAxSzQZuO+2XjbWmaA7lSdE7xqk8HEoZwrjNNaXbzGcuVO1DWwYHG09kot7x3E"
    "ttxpRxALjYzJpDGAzmW6ChDfvgCPAUgsVWzaGBEeFJ+BEXWABOKcjkZpPW+bDW+g6T2hDM"
    "dNvornVz853e51oajL6yVRl9dB1CVfvRsJ5rpOllmYK/6jJHoxVCqNQAZVfYjW3YwoTq51"
    "qErrUENvFbjhEp6VYLic3SlivS1R1XhdYs3bLhWPuKMyQ+9IeTLz1Y74EqpiSkdXbpoA3J"
    "mldvkjYrr3dDJL7XgL5g7mHJE6+Dhy6NRbdvxRuoQQNCdqswT0yRUtg48CXu9uSv3YfheP"
    "xHdKybtDJJQUpPaB8HZ8YALAQpn1KxPoZbr8GUiXU9N0Hcfzgeh8+r3m00ehLymUE6QnOP"
    "+esOcqlA1lVNoYkXZoZKWV0NKoRkk0phmYiq+QZSWHFEzFX1BXeYWKeO32oN3o1IH/45Hc"
    "NboPssD7/0gaD4Oe0e42+63GfasOYpePZNDq37W7jUG7162DyEVSfThYgj51jLKLt+JUVW"
    "ZflTJG0WiE1NIGI+ujyc9zTtJ91dni3tArpXJGSXTiX1qMe/h4keY1gI0Sanj1drWH0EMO"
    "FQY8waGrU4IrkRKsZOt+w60VG8xF8Y1O70WBDc/r2hDeEpt6HTW80Um+AMiHyRc4UoSXpQ"
    "uE8BZJWNeZsgfNlA22F8vMlY3sPbYsWza61dnqqMZAbR5tIhlf8PaPlgkOPCxdbCINR1xm"
    "Qzwj58XfGVqFHrCMEdS9cAJysLcfdSqysZtuHskEy9xaVdPhwBJfBbsAv3lxkqx9rYMUXd"
    "Xwj4CogAuyMC+cnqtjHDrGcVTqZdVjGoVyDI5wF+jKf1ZHtBH0EWGpnTXap3B4ob9Fn8Jh"
    "sn2CPWQzNOHI9rL5ejCOVFqpBLcZc5EFIPf0S7mzjtQUIRhiW1hCY5nwi6kV6IvBuSlKVZ"
    "WvyuRiMKTSgqPZNCkteEf9PBI/KVnQnoH5BJsT1YE3JkE4FsATQjOmxgOY0LnqRHDgBWD5"
    "YA4Djltic02vQ0O9RmqPTa0H71MPJu50iDKcfUt2z1xQnF7a+FWRrPGr/KTxq9QZ3NGRnm"
    "lnZIOcpPuq464+GChrj8yVEKLM3TG/LgCVkF7H1I0RakO30oauckoQs9T6nyjNCabSvC4i"
    "zvOleergLsphxjKFJUl8fn1tjOWt9vEU1XLWbpqwyvgqBzZBc8R4cLpi4J1WhyH65gaA1v"
    "9cxplcDZjU/rX74XhHvHY/VND9EPUO7zlaeSyw7zRcGYUs300TILrSVaNizoX8NfmwZPot"
    "Iq4goa1h1Yh2VxzSXbFgQ3FooyR6WsqY+I/r8Ik1NLBbtTbiVi2JaLx9a/TU4Qbyv7z++e"
    "F+cNeSp06EvwtqYDFj4/KmgLVxmbQQQ3ND3oozJvoamfzJHvAJsiqzZl27bnvbO4Rof3Ih"
    "4Zhn2M+5oiVKokVLVnr/tGTUPSTQeGYdF7yGuby5pVyxDLttgxpokeUUthiRHqx6acTB/A"
    "gRK2VDF8LpHb96lvAexD/bAtnk4T4fG2J7orslJwGOzTY6W79a2fq79Ol8sGHmTs2q/GyZ"
    "F2cW1ChyOKwjfeU2Zhwgwp2XOphPIAeUoNC5TqUbXWa6xHNjMs+M3bC5DXbq0+4hfRLsLm"
    "3ky0I28uUSG/kybSOr78UQH4Dhfx5l/HBZtFVWnGt3WG6kJXoRAuCVeGTOvlWCIBANYe7c"
    "YSJ2OuK/64i/L/KNkMvrOEnTrVQZ+dpdrzt43/mjDvwfh3OGpoyeIiE95g4Xr7Pp8TmRpk"
    "5Hq9ztSsQoZFmLEROQLlmPmKy5Uj38TepukMQynIHfzFCu+6N1IGW5VDjPlPSGlnUu4AFz"
    "zCcA+uqgt9IPO4DOSVpp3FUn66wfFPKGu0wvHdyvknny8bIPnUa3DuTfZLysGnExreXvVs"
    "v3xcqaQzykrjLetUZz0P5Vbpmn/j+SZqPbbHU6rbd1sPhZjeGuFgGwkhu3xYi+6uR3RKyy"
    "4EVIvuZzvaXlayh1pYQWESfShxwkjfajSTO4PBJAdd7yrhGWpkw5ZCMUOoCrE8ErtLddEG"
    "zaEOMgqnVc47gotJHPt1IxxraFpjPKpf9asKqWlToer3G2NHs8rGv4B2FtO4E8+WXLbpIJ"
    "5H9FT/vUrpz9unIOeFzaoee03W86TmcSkJLZyzGiE0R6W8cOR47tEJ0jR5hcWZm2+UAnyD"
    "TUBaCmLjdplvNxgD7nGRkhyUlAvGzJfOt3tXJisVo+gPLVXeN3hfJixXyn1/0pqB6Bvtnp"
    "3SaD3PoQ7dzRfrpHEWmjXtughxdyG9ugBz5xuYEcbE5qGXaSf+dsmX0EwzpbNYt0huQBLZ"
    "5n5LCSGnmE5CQ0mITlc31dxPK5vs63fOS9xLo38VGVQNivfoLo7iQ+LXrkKMvY+fm+183R"
    "BUOSpCKITQ7+UzngR4j2EnAlGMu18aTinVDjZAO35bLwtj+Zffk/qF338Q=="
)
