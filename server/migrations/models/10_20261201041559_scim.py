"""Provisioning by identity providers over SCIM 2.0 (R17): what a deactivation does in each
organisation (terminate, the default, or remove login access), and what an identity provider
keeps on a person (its external id and the names it sends) and whether it deleted them.

One migration serves both supported databases: only the types of a moment and a boolean
differ.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
ALTER TABLE "organization" ADD "deactivation" VARCHAR(16) NOT NULL DEFAULT 'TERMINATE';
ALTER TABLE "resource" ADD "external_id" VARCHAR(255);
ALTER TABLE "resource" ADD "display_name" VARCHAR(200);
ALTER TABLE "resource" ADD "given_name" VARCHAR(200);
ALTER TABLE "resource" ADD "family_name" VARCHAR(200);
ALTER TABLE "resource" ADD "stated_consultant" {boolean};
ALTER TABLE "resource" ADD "deprovisioned_at" {moment};
CREATE INDEX "idx_resource_organiz_d6423d" ON "resource" ("organization_id", "external_id");
"""

DOWNGRADE = """
DROP INDEX IF EXISTS "idx_resource_organiz_d6423d";
ALTER TABLE "organization" DROP COLUMN "deactivation";
ALTER TABLE "resource" DROP COLUMN "external_id";
ALTER TABLE "resource" DROP COLUMN "display_name";
ALTER TABLE "resource" DROP COLUMN "given_name";
ALTER TABLE "resource" DROP COLUMN "family_name";
ALTER TABLE "resource" DROP COLUMN "stated_consultant";
ALTER TABLE "resource" DROP COLUMN "deprovisioned_at";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    moment = "TIMESTAMPTZ" if db.schema_generator.DIALECT == "postgres" else "TIMESTAMP"
    boolean = "BOOL" if db.schema_generator.DIALECT == "postgres" else "INT"
    return SQL.format(moment=moment, boolean=boolean)


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXetz2rgW/1c0fLnpTNpp0iS7w34ilO6yS6CTkH1mxxW2AN0YiVoilN3b//1Kso3fYP"
    "M0rr4kIOtI5nfk4/PS0b+1CbWQzd40prhPnxGp1cG/NQInSHxIXDsHNTidBldkA4cDW3WG"
    "U2zwZbcB4w40ubgwhDZDoslCzHTwlGMqJ6k1CMCEo5EDZct/GDAdZCHCMbTfgP4YATUWwJ"
    "whewgwA2xM5wRQYqIfxF97IS+Bh58ary+vb+T1ZzTl53Jui5pickxG+5vmicwxHwMoezsc"
    "TB00xF8Ao2CK6NRGwIQEcGTbgI8Rdtw5GIBT6PA38hZnBH+eIQHXCIkejrjRv/4WzZhY6A"
    "ti/tfpszHEyLYiPMGWHEC1G3wxVW1twj+ojvLXDwyT2rMJCTpPF3xMybK3wEO2jhBBAhUk"
    "h+fOTLKIzGzbY6fPNfdOgy7uLYZoLDSEM1syWlK7NxC01Qyj2+sbD62+YdQSi8CnCDHMaz"
    "IpkQtI3CpTv34kb+H15cXVd1ffv7u5+l50Ube5bPnuqzt1AIxLqODp9mtf1XXIodtDYRyA"
    "qv4nYG2OoZOOq98/hqy45TiyPo6roPUbAmyDZ+YQ4E7gF8NGZMTH4uvF27croPy1cd/8qX"
    "F/Jnq9klNS8ZC7j3/Xu3TpXpN4B/i6D0gRhAOKKmJ8kwfim2yEb+IAKwljjCEbFwE5SrUb"
    "oI8rJyIw31zlgPnmKhNmeSkKMzOpHKMAxAFFmddx7WEKTfSaIfGGkjcDgtsuCvplLvlxuU"
    "J+XCblh3hpy9syIE9i/15c4XiC0vGPUsZ4YHmkb/wP5eFI7iW/Aux++6710G/cfZTDTxj7"
    "bCu8Gv2WvHKpWhex1rO41FkOAn5r938C8iv4s9dtKTgp4yNHzRj06/9Zk/cEZ5wahM4NaI"
    "Ux8Zv9pgibbci4MWMbMTpOuwNWe5JLc3r3nHbQi3j3bMLnKKXmcpm57AvfwcIoZLYk6NZb"
    "MOVn7G5smABc6owgwf8ou7YYvCmUGwFctlfhLhCWdvfwOdVIDMOWRPsDdRAekV/QQoHeFn"
    "cGiZlmJXpelV5suBMD+6u/qvzW4Ilz4HzpuEhbbOKDQABxhca9kDL37Wa/liE5doD0PWJ0"
    "5pin+zJYC3JCYEYgFncBuo+dTk2t7gE0n+fQsYyMZW6OIRkhZkygleITufWoP/xyj+zl2k"
    "3HvYNNRBhqqgGrA75CkV7SEHoRXJOXJpeTeAskcKR+kpxbzpQmFVJ8sXGpke2PjYurHC5Z"
    "YM4YpxPkvAGfpCr9CZjQHCMm3ZjAxi8ImHRGOKBD8U3xlgFMgOgKzu4vXp0DSCzVdyiet6"
    "QrdqfDPxHf1yppQmOQ2WSAHDmI12GwAEJC8BlT9M9iNYGz+Rhyj4QJYjXGqzpA4n6eCGau"
    "5xe9iHHcx8GSNyL7CwgJEygKyMR3MYj3uAAIHE/MnAPlHOZjMY5D58CmplBYn8jZJzWNMU"
    "UOo+TTK+0J1p7gcr3TD+DJkUaZ8Q8lhUCOEB0O6dpjv1k7CNS791R6AtRQIqeAnEjQHc4y"
    "eFtqkRFAK19dBRD1u2sg40DK1+gLMtBkatMFSvOrZ4KaRnpEgN+WDlQ5i7g3KGcpDGuMWA"
    "Pr/uwt1ms6sQY2gs1mazaLXIMrWyyk0MlwWkmVqyUMpoQjJYJwfIwDamD91v1du9vot5J6"
    "WPRS1JJdXquD5ccnct+66/3aMhrNZuvhoQ4iXzcJde4+jK/jnNnQix9o9YRZXvO8MNnQly"
    "lO4tnGiTBJws+cxzW3TLFLkY9FHHPhhL4TWwaZTrlodNH1xGwJUwG/8UnCtLT1XBfWYZ29"
    "J4kYE0LWmDE42tIz/iDGefSHqSJQmLxQvPUD2HZHqSpIbDZYDr4lUg+hoaoKF7aE8UQ5Iu"
    "bCeEaLbddWMNovaFElzPYZnlq+ElNCU+HXZXZYygn3yhGScqMlwEEjzDhy3EgMJMANbzHF"
    "5TcpsabcdCkRmL8SwTM0gdiu/R0LzST7uaao/OQHBrBVE1TJnuuuByPJiFUeCvRF/E4CbR"
    "kC/ltHjXTUqDpRI/fxKwDwkqCKCF/niRaJXtkIXyfiRb6Q2cQ/5NMe0C/UuvvY6f3RSnEL"
    "rc5z9+nqwP/0RFq/91v33UbHaPa6D4+dfqPbF5eTjZu4iC5zsWoFpxKMcqidIWrWM8qnPS"
    "Cj7lp3t637omxqvL9rd+tA/ZN+u4fe432zZdw1uo0fW/fSdRdteSLuPHUQmu/orApe4TE1"
    "lQo+QLIqBJPCpYGg2heb/HfxYfOZb3u9TsRFd9vux9B9lNw8u1Cgi07YTWhLurltOsLEgK"
    "YwOdPsglWAx0kPCPuy5WRxF4LG4YZ0K6c7rDM2RUWoVjmrT/BlvQJ46WyOL1y5bWVOnWcB"
    "R0quazaGCcItYSxn8mVOFKeQMYGFVXgHZIJwo1djybA7hEIesjWLqOVRsgqCfX2dSze/Xq"
    "GbX8fBtjCb2nBhFLUy43QVhHsfa3sk9C9SGOwolYY6F9RDOMF28YUdI9Ng5wJbJsEjK5Qm"
    "U1BRTqXfTFsuGfiH0ZUtNHXoC2bi5jZK8Uij1/tfT2H/q07nqXo6j96Ye8ikRmFETDBxYW"
    "LmGFkze4Nd5mtG0XvOCwDvVhLaDfzhsTQT9Lb0Em1Lz1qzO8C9+pvU18jbjC3r+cXPDphQ"
    "IDG2akwIS90tqgcwxNgO0tncUSokf6J2gS6xsAFapizK6hA5nsYsX/6tYWOyoyTcDiZVAm"
    "ufSZK+9ErJkQwJtuwUSRbqlCNDkolXHLJeYwIGDp0zWV5DGtaqXIVfuJgO1VeT0meM/sP8"
    "qscMMC7ekVZaAuWuht2iwoWuarrHWgHZ2YzabZXNiuq6rdCXKRajbcD1KGUFuX4iXM7lk/"
    "bz74s5a2JU2iu53i8T3uhwON9A2UDOa5fGFljEAm02HpqN961VBuhe1TnBqzbpjx3KucI4"
    "qdVFe6xW7kRfAwsWh3uv1fI+QGzLstyCWGhkTO5uAei1THIH4tkX4LnFzWSzaWNEuN98Do"
    "bUARKI13Q4TOp5uxx4C03vGaX40LJVPK975XS7d7ni/u9WxP3f+XH/bPVuKJg7cwqVLwmT"
    "6DpGieRjmYrpQbRp5fIoudahSq1DDdySjsaM8LRtSavZnSDWORxl43WB4hz7VDyijsoUvS"
    "PhycxWO6K1HvIpHV1VAHU2tdSRIES87l2dzFLHY4G5gzlHpA4+DR06cSsGfpIuIVlFVVU+"
    "RZ9nYmTwScDrXk2oH7uf4ol4Til5dYCEkoIA5n75ViYAzLUFeO1O36xduNQ0Z47j+kD0Lt"
    "yD7sINQ19QKMdIK/j+rbDnKpANRVTaCJF2aKRl+9DCqIZJNKYpmIqnkG1eiS+gLvO+dvGz"
    "2/12o1MH3ocnctfoPsoG9/8TaTz2e0a727xvNR5adRD5+kT8mn3tXjco4Ce+xNWHXKn0+9"
    "jWS53CexaiVGVmX5n2LKDhELnVPdMemuzdkXG6b3qPqbv0CqmcYRKdg5laZVngs0HWa5JQ"
    "w6vPtjqGHnKsMGAFl67Ozi5FdraSrYcNt5ZsMefFN/x6zwusTrIuCG9mRnU6yMfJFzhRhF"
    "elCwTw5klY15myR82U9esgp+bKhookr8qWDddkXh/V6KtT30wk4wvueXP+sXJe6/LQOTjk"
    "MhviBTkL75g3FXrAMkZQd8MJyMHu+XWJyMZ+pnkiYyxza1VPhwNLPBXsDfjNjZOkHVLnp+"
    "iqgX8ARAVckIV57vRcHePQMY6TUi/LHtPIlWNwgge4lf6xOqEz3E4IS+2s0T6F4wv9HfoU"
    "jpPt4x92kaIJh87ByNaDcajTWiW4zdgMWcA7BFnV45SaIgQDbAtLaCQTfjG1fH3RPwRZqa"
    "rypzK5GQyptOBwNk1CC97TPE/ES0oWtOdgPsbmWE3grkkQrAXwjNCUqfUAxnSuJhEcWAAs"
    "b8xhwJkVOAXAndBQPyNxGIDWgw+pB7unfBcJwAYU1Usbv8yTNX6ZnTR+GY+7RlZ6qp2RDn"
    "Kc7puOu3pgoLTK+mshRKk19b8tAJWQ3sTUjRBqQ7fUhq5yShCz0P6fME0FU2ne5RHn2dI8"
    "Lsw55TBlm8KKJD6vvzbGsnb7uIpqMWs3SVhmfJUDm6A5Yhx4PiXfO83HWDqvlbkBoPXfGe"
    "NM7gaMa//a/XC6K167H0rofgh7hw8crTwV2PcargxDlu2m8RFd66pRMedc/ppsWFL9FiFX"
    "kNDWsBpEuyuO6a5YsiE/tGES/VpKefGf1pF1G2hgt2pvxK3aEtF4/97oqSPR5H/5/efHh/"
    "5dS55VF3zOqYFFjI2LmxzWxkXcQgzMDXkpXug+chZxXqMuRlZm1mxq1+2uvEOA9ucZJBzz"
    "FPs5U7SESbRoSUvvnxSMugcEGs8UPDcxl7e3lEuWYbdrUH0tspjCFiHSi1VvjTiaHyFkpW"
    "zpQgjFx09s7eb1HkQf2xzZ5EGdjy2xrWi15DjAkbeNztYvV7b+Pn06H22YWqlZtZ+v8uJM"
    "/R45ajRPHekrtzHjABHuLOpgPoYcUIIC5zqVbnSZ6RLNjUmrzbztcFtU6tPuoX1ksxQsJl"
    "DhMgIXuWzkixU28kXSRlbPiyEeAMN7PIr44dJoy6w41+6wLKQlZhEC4EzcMmevlCDwRUOQ"
    "O3eciJ2O+O874u+JfCPg8iZO0uQoZUa+dtfr9n/q/FEH3ofjOUMTRk+ekB6bDZY/Z9vjc0"
    "JDVUer3O9OxDBkaZsRY5Cu2I8Y77lWPfxN6m6QRDKcgTfMQO77o3UgZblUOM+V9IaW9VrA"
    "A+aYjwH01EF3px92AJ2TpNK4r0k22T8oTxKeMb118LBKZuXjZR87jW4dyL/xeFk54mJay9"
    "+vlu+JlQ2XeEBdZrxrjWa//assmaf+P5Fmo9tsdTqt93Ww/FiO5a42AbCChdsiRN908jsi"
    "VlHwQiRbQldOlTAnctLyNZS6UkCLiBLpQw7iRvvJpBlcnAigOm953whLU6YYsiEKHcDVie"
    "Alqm3nB5u2xNiPap3WOs4LbejxLVWMsW2hyZRy6b8WrKqlpY5He5yvzB4P+hreQVi7TiCP"
    "P9nLyopyvngm+V/hYz+1T+ewPp0jnpt27Jfb/quPZxQUXVPk/bAI12oHwfcqD7xX2eheJc"
    "ClU4lFwRzxCFEFl/GuDncOHY4iJkeOMGzT8pmzgY6RaahzQE1n3KRpLt4++pJlygUklYB4"
    "VWGC1u9qf8qyJoEP5dld43eF8rIuQafX/dHvHoK+2endxlMJ9FHlmau9ugc+adeJtvSPL+"
    "S2tvSPfK51AznYHNdSrFHvyvkqKxQGfXZqfOo81COaky/IYQU18hBJJTSYmFl5fZ3HrLy+"
    "zjYr5bWYWSkeqgIIe90riO5esgDEjBylGTs/P/S6GbpgQBJXBLHJwf9Upv0Jor0CXAnGam"
    "08rnjH1Dg5wG2xXMfdv8y+/h+t6elq"
)
