"""Indexes for large organisations: every order the people lists use, and, on PostgreSQL,
trigram indexes so that searching a name or e-mail address for a fragment needs no scan.

One migration serves both supported databases: the SQL is chosen by the connection's dialect.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

ORDERS = """
CREATE INDEX IF NOT EXISTS "idx_resource_organiz_5fe119" ON "resource" ("organization_id", "name", "id");
CREATE INDEX IF NOT EXISTS "idx_resource_organiz_f5a980"
    ON "resource" ("organization_id", "active", "kind", "name", "id");
"""

# The search compares UPPER(CAST(column AS VARCHAR)) LIKE …: the indexes are on that expression.
TRIGRAMS = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS "idx_resource_name_trgm"
    ON "resource" USING gin (UPPER(CAST("name" AS VARCHAR)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "idx_resource_email_trgm"
    ON "resource" USING gin (UPPER(CAST("email" AS VARCHAR)) gin_trgm_ops);
"""

SQL = {"postgres": ORDERS + TRIGRAMS, "sqlite": ORDERS}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
DROP INDEX IF EXISTS "idx_resource_organiz_5fe119";
DROP INDEX IF EXISTS "idx_resource_organiz_f5a980";
DROP INDEX IF EXISTS "idx_resource_name_trgm";
DROP INDEX IF EXISTS "idx_resource_email_trgm";
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
    "I3CLZqgipdc9X9sKUn0WOSQrvAtAvsdFxg3tdVAuAFwSkifF3E9SVq5SN8nXJ+BTIkDXCL"
    "uNNUDC8GdkC7Rzdj6+5Dp/dHq1XS17igq4Pg1yNp/T5o9buNjtHsde8fOoNGdyBupwuTc0"
    "ghXhVi1RJOpRjlUDtH1KxmVEC7R0bdte5uW/2ybGq8vWt360D9eyT91n3vod9sGXeNbuOn"
    "Vr8OkiWPxOunDiL9HZxV4Qyd0EKp4AMk2ZIrJEpwaSiodsWmYC7eb6rUba/XiXngbtuDBL"
    "oPkpuvLhXoohL2YuVpv6hNx5gY0BQWZZbavwzwJOkeYV+UHC3uQtA43JBe42x/dE6+dYxq"
    "mS/6CCfrJcBLX3Jy4MqM2Dl1ngQcGWk0+RimCDeEsZp5HQVRnEHGBBZW6cUVKcK1psaKYa"
    "dz/XUcamtxKJ3Nus/4LkfOFBMPJmZOkOXaa6Rmr2hFJ2rrNOIKpRHnjdYt4H76ScUrPvUN"
    "UoyZsIe2EHfyWjmhQR/Xg3Qe9hpomXLnBofI9jRmxQLlho3JlqLlHUxOCaxdRjMD6ZURzI"
    "wItvxYJotUKhDKZGJyQ9Y5JmDo0DmTCfjSkFA588HuJnSkLk1KnzD6hgVbozDAuJgdraxI"
    "57aa3SDxXm99sMMU5vy4pDbT81lxumY6+jzDorU1uB6nPEGuHwmXA0xWLM/3jJtyvoEElf"
    "bCrHYGRDOS9meQVg3kohZpYoDFLNBm477ZeNtaZoDuVJ0TvGqTwcShnCuM01pdvMZy5U7U"
    "NbBgcbT2Si3vHcS23LtHEAuNjMk0NIDOZboKEN++AI8BSCxVbNoYER4Un4ERdYAE4pyORm"
    "k9b5sNb6DpPaEMx02+iudXPznd7nWhqMvrJVGX10HUJV+9Gwnmuk6WWZgr/qMkenlVKo1A"
    "BlV9iNbd3ihOrnWoSutQQ29dueESnpVguJzdKWK90VHVeF1iFd0uFY+4ozJD70h5MvPVjv"
    "iirGJKR1duwwDcmaX2DSRiuvd0MkvtoQvmDuYckTr4OHLo1FvI/FG6hBA0J2r7BfTJFS2D"
    "jwJe725K/dh+F4/Ed0rJu0MklBSkdpbw9pBgAsBCuforU/LzEuypabqO4/lAdD79XvPpo9"
    "CXFMoJ0hOcf0/YcxXKhjIqbYxIOzSy0kpoaVSjJBrTDEzFV8iykkMKpuIvqKu8QkW8dnvQ"
    "bnTqwP/xSO4a3QdZ4P1/JI2HQc9od5v9VuO+VQexy0cyaPXv2t3GoN3r1kHkIqk+HCxBnz"
    "pG2cVbcaoqs69KGaNoNEJqaYOR9dHk5zkn6b7qbHFv6JVSOaMkOvEvLcY9fLxI8xrARgk1"
    "vHoD3EPoIYcKA57g0NUpwZVICVaydb/h1ooN5qL4Rqf3osCGJ4BtCG+JbcKOGt7oJF8A5M"
    "PkCxwpwsvSBUJ4iySs60zZg2bKBhuWZebKRnYzW5YtG908bXVUY6C2ozaRjC94O1LLBAce"
    "li62pYYjLrMhnpHz4u81rUIPWMYI6l44ATnY2+E6FdnYTTePZIJlbq2q6XBgia+CXYDfvD"
    "hJ1k7ZQYquavhHQFTABVmYF07P1TEOHeM4KvWy6jGNQjkGR7ivdOU/qyPaWvqIsNTOGu1T"
    "OLzQ36JP4TDZPsGutBmacGTD2nw9GEcqrVSC24y5yAKQe/ql3FlHaooQDLEtLKGxTPjF1A"
    "r0xeAkFqWqyldlcjEYUmnB0WyalBa8o34eiZ+ULGjPwHyCzYnqwBuTIBwL4AmhGVPjAUzo"
    "XHUiOPACsHwwhwHHLbFdp9ehoV4jtWun1oP3qQcTdzpEGc6+JbtnLihOL238qkjW+FV+0v"
    "hV6lTv6EjPtDOyQU7SfdVxVx8MlLVH5koIUebumF8XgEpIr2Pqxgi1oVtpQ1c5JYhZav1P"
    "lOYEU2leFxHn+dI8dRQY5TBjmcKSJD6/vjbG8lb7eIpqOWs3TVhlfJUDm6A5Yjw4rzHwTq"
    "vjFX1zA0Drfy7jTK4GTGr/2v1wvCNeux8q6H6Ieof3HK08Fth3Gq6MQpbvpgkQXemqUTHn"
    "Qv6afFgy/RYRV5DQ1rBqRLsrDumuWLChOLRREj0tZUz8x3X4xBoa2K1aG3GrlkQ03r41eu"
    "pwA/lfXv/8cD+4a8lTJ8LfBTWwmLFxeVPA2rhMWoihuSFvxRkTfY1M/mQP+ARZlVmzrl23"
    "ve0dQrQ/uZBwzDPs51zREiXRoiUrvX9aMuoeEmg8sw4gXsNc3txSrliG3bZBDbTIcgpbjE"
    "gPVr004mB+hIiVsqEL4fQOdD1LeA/in22BbPJwn48NsT3R3ZKTAMdmG52tX61s/V36dD7Y"
    "MHOnZlV+tsyLMwtqFDlu1pG+chszDhDhzksdzCeQA0pQ6Fyn0o0uM13iuTGZp9Bu2NwGO/"
    "Vp95A+CXaXNvJlIRv5comNfJm2kdX3YogPwPA/jzJ+uCzaKivOtTssN9ISvQgB8Eo8Mmff"
    "KkEQiIYwd+4wETsd8d91xN8X+UbI5XWcpOlWqox87a7XHbzv/FEH/o/DOUNTRk+RkB5zh4"
    "vX2fT4nEhTp6NV7nYlYhSyrMWICUiXrEdM1lypHv4mdTdIYhnOwG9mKNf90TqQslwqnGdK"
    "ekPLOhfwgDnmEwB9ddBb6YcdQOckrTTuqpN11g8KecNdppcO7lfJPPl42YdOo1sH8m8yXl"
    "aNuJjW8ner5ftiZc0hHlJXGe9aozlo/yq3zFP/H0mz0W22Op3W2zpY/KzGcFeLAFjJjdti"
    "RF918jsiVlnwIiRf87ne0vI1lLpSQouIE+lDDpJG+9GkGVweCaA6b3nXCEtTphyyEQodwN"
    "WJ4BXa2y4INm2IcRDVOq5xXBTayOdbqRhj20LTGeXSfy1YVctKHY/XOFuaPR7WNfyDsLad"
    "QJ78smU3yQTyv6KnfWpXzn5dOQc8Lu3Qc9ruNx2nMwlIyezlGNEJIr2tY4cjx3aIzpEjTK"
    "6sTNt8oBNkGuoCUFOXmzTL+ThAn/OMjJDkJCBetmS+9btaObFYLR9A+equ8btCebFivtPr"
    "/hRUj0Df7PRuk0FufYh27mg/3aOItFGvbdDDC7mNbdADn7jcQA42J7UMO8m/c7bMPoJhna"
    "2aRTpD8oAWzzNyWEmNPEJyEhpMwvK5vi5i+Vxf51s+8l5i3Zv4qEog7Fc/QXR3Ep8WPXKU"
    "Zez8fN/r5uiCIUlSEcQmB/+pHPAjRHsJuBKM5dp4UvFOqHGygdtyWXjbn8y+/B8CdxEY"
)
