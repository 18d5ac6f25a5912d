"""Webhooks (issue 15), the indexes their reads need as the tables grow: an organisation's
endpoints (read by every change of licenses, for the outbox), an endpoint's delivery log
newest first, a delivery's attempts, and the events of a delivery and by age (the purge of
settled events after 30 days).

One migration serves both supported databases.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = """
CREATE INDEX "idx_webhook_end_organiz_9815c5" ON "webhook_endpoint" ("organization_id");
CREATE INDEX "idx_webhook_del_endpoin_62c3f9" ON "webhook_delivery" ("endpoint_id", "id");
CREATE INDEX "idx_webhook_del_event_i_9f48f9" ON "webhook_delivery" ("event_id");
CREATE INDEX "idx_webhook_att_deliver_85dea8" ON "webhook_attempt" ("delivery_id");
CREATE INDEX "idx_webhook_eve_created_7bb9b8" ON "webhook_event" ("created_at");
"""

DOWNGRADE = """
DROP INDEX IF EXISTS "idx_webhook_end_organiz_9815c5";
DROP INDEX IF EXISTS "idx_webhook_del_endpoin_62c3f9";
DROP INDEX IF EXISTS "idx_webhook_del_event_i_9f48f9";
DROP INDEX IF EXISTS "idx_webhook_att_deliver_85dea8";
DROP INDEX IF EXISTS "idx_webhook_eve_created_7bb9b8";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXVtX4zi2/itaeWlYi2KqqILuk34KkK7ONIRaEKpnpjPLOLaS6OBIacuByszp/360JT"
    "u+J3bIxXHpBRxbW7a/Lcn7rv82JszGDj9tTUmPPWPaaKL/Nqg5weIgde0ENczpNLwCJzxz"
    "4MjG5pQY3qLZgHuuaXniwtB0OBanbMwtl0w9wuAmjRZFhHp45Jpw5geOLBfbmHrEdE5Rb4"
    "yR7AsRj2NniAhHfMxeKWLUwj+Lv84cLqGHX1vvzs4v4PoznnoncG+bWeLmhI62d5s+fSXe"
    "GJnQ2vXQ1MVD8g1xhqaYTR2MLJMiDzsO8saYuOoeHJlT0/VO4RFnlPw5wwKuERYtXPGgf/"
    "xbnCbUxt8wD35On40hwY4d4wmxoQN53vDmU3muQ71fZEN4+4FhMWc2oWHj6dwbM7poLfCA"
    "syNMsUAFQ/eeOwMW0Znj+OwMuKaeNGyiHjFCY+OhOXOA0UCtHiA81zCM7l3PeGj3DKORGg"
    "QBRYRh/imLURhA4lG5fPsRPMK7sw+ffvz008eLTz+JJvIxF2d+/EvdOgRGEUp4ur3GX/K6"
    "6ZmqhcQ4BFX+T8F6NTbdbFyD9glkxSMnkQ1wXAZtcCLENpwzuwB3Yn4zHExH3lj8/PD+/R"
    "Iov7bur35t3R+JVsdwSyYmuZr+Xf/SmboGeIf4qglSBuGQoo4YXxSB+CIf4YskwHKFMcYm"
    "H5cBOU61GaD3u07EYL74VADmi0+5MMOlOMzcYtBHCYhDiiqP48bD1LTwO47FFwoeBoWPXR"
    "b0s0Lrx9mS9eMsvX6IjzY8lmF6aeyvxRWPTHA2/nHKBA9sn/Q0OKgORwoP+SVg9zq37Yde"
    "6/YLdD/h/E9H4tXqteHKmTw7T5w9Sq46i07Q753erwh+on/dddsSTsa9kSvvGLbr/asBz2"
    "TOPGZQ9mqYdhST4HRwKsZmx+SeMeNrMTpJuwFW+yuX5vTmOe3iF/HtWYfPcUrN5SpzOVh8"
    "B3OjlNqSolutwVSfsZvRYUJwmTsyKfmP1GvLwZtBuRbAVfsUbgJh0LuHz5lKYhS2NNq/MB"
    "eTEf0NzyXoHfFkJrWytETfqnKX6O7AwP4rGFXB2XDGuebrwnCRNdjEgUAAexKNe7HK3Heu"
    "eo2clWMDSN9jzmaudbgfg5UgpxbMGMTiKVD38eamIUf3wLSeX03XNnKGuTU26QhzY2LaGT"
    "aRS5/6l9/usbMYu9m43xALU46vZIf1AT8hyIhn5d4G4bpXPdYILxh17IxFRltsHKYvTc4m"
    "yTMmNUfyleDecKesVTTDdp1cZfPt18nlvYAJG1kz7rEJdk/RE6geT8gyrTHmYPZFDnnByG"
    "Iz6iE2FL8kczkiFImm6Oj+w/EJMqkt2w7F+pQ2XW+0+z4NbNNAE+mDziYD7EInfoPBHIkV"
    "1ZtxSf8sRhM6eh2bnk8iBrvq47iJsHiePiVcWcrxi+hHLR82PAi0FxBSLlAUkInfohN/eU"
    "Emcv1l+QRJY7o3Fv247BU5zBICfp8ePcnbGFPsckafjgUKA+I4Ah1D3IiLHp/QSBBweGJG"
    "MdwSHmGef1N4jT6F56L4mycIXpgATtr8OToyAxj99gAgIpzP5OvIpidg858NFsPgOPHwfa"
    "qevilfHnwF8TuJVi+mQ2zxJERATTyAeq64wcXIRUccu+Id/ua/6d+gi9Pp/Fi7DbTboFoC"
    "4A7MfqDBG/8RU7uUUTtKtDukG4+9q8ZOoN68Wdtf9gy53pZYJ1J0u1Mj31d6yQihhe92CU"
    "SD5hrIJJDwOX/BBp5MHTbHWU6YXFCzSPcI8PvKgQp3Ec9mwl1Kw5og1sCq137DeM0m1sDG"
    "sFlvzOaRa3DhjI0lOjkWThC52kJbTFndYggn+9ihBNZr3992uq1eOy2HxS/F1fjFtSZaHP"
    "bpffv27mvbaF1dtR8emij2cx2/+OZjPhLKcIlZkEFZqQnQ+CzVeqlZK41eKeRgpFhYItIa"
    "fEG2bHjSBELwlImjDHN1sWmT7mWHE6fb/tq+T0+a8HScO/J8E8l/ffr4xejdGVetL020OK"
    "zGBJHdr6naZNJqN2R6+ANQE0a9sTM3zEk2ypdktBToNH2NkP6fs7OPH388e//x4qfzTz/+"
    "eP7T+wXk6UvLsL/sfAb4Y8M/zQ+1gBi+GXaNAIvMDnScRZXjLGZUBT4NPewatjkvIxFn0u"
    "5OGviYEgc+ZsgD12AjB3GAzTwk5UvizZF8ZrCkWxCKr9wEP/DQiK8cHSZH6h33Ix7o0MV8"
    "qMUL2nfUmTcWjtVDmJL+QpaakanQkSLe9kXWTMacLeM8juboHNgwKOhnV87CN8JUIhTkIG"
    "FaiKzK4bnb+I2DRiwI5NhxDMdBYsbFh8mYcXP0xoiXB9HPY9BNHYHyzRNvHFQd1UtdQYrG"
    "U7wRqYdIV3WFi9h4MmUepkJJe8ZZsn6psRX29hue1xWzVzwYM/ZsYGpPGcl0GZQB7XfVXd"
    "vvrfaoveCNQQZd1QmvbcY2LoTVjLjGqCCbH9PoRlsViGdUOjRy8YhwoVurMD6TIhUbySWP"
    "T5N6dBm6jAi2P1KRl3hiEqfx70RoW7qdcuXBURBYReyGoEq3XHU97AnCHYtQ4G/iPanpGH"
    "kNgo7Crh02ItQwLSEPSC7JjDXfHal0fOhLR/DpCL5dgbv9CD41lUsAvCCoI8LnRSL3RKt8"
    "hM9TsXvBOrOO0zGg3aGrsX375ebun+0MF/3yBPWAromCoz5t/6PXvu+2boyru+7D402v1e"
    "2Jy+mT63gjzwqxagmnUoxymZOz1KxmVEC7Q0bdtm8vs5zCy9nUur7tdJtI/oMYioe7x/ur"
    "tnHb6rY+g884eaZP1X2aKHK/vbMq/GYnBF4m+GDSZeFwGVwaCKptsSn4Fu/WQXZ5d3cTM8"
    "RfdhJ+ye4jcPPogwRdNCJejrsyKRSVADxJukPYF2cOFnex0LieAc6jbLdUTjWTGNUyl9QB"
    "fqyXAA8upeTABen9lbnP4DQtg2GK8I0wHo5fPQPFqcm5wMIuXbooRbjWp7Fi2O1CII/orW"
    "XE8jhZDcE+Py8km58vkc3Pk2DbhE8dc26U1TKTdDWEextjeyTkL1oa7DiVhroQ1ENzQpzy"
    "AztBpsEuBDZkY2M7krJQUlDOpF9PWq4Y+LuRlW08ddkLgVD5tQK5suh1QGWVAyqljM7JCP"
    "gFOuZ61eiSHWieV57nMXdMaYbHqDW3q8xtHZabL9HUKyxX18zbZbi7h90JoQombo2xPXPW"
    "KAC5opcaZQdtH3hV5Hsz8Ef70kzQFSMrVDEyb8xuAPf6149csd7mVJMsvvxsgAklElzqxo"
    "ToqvuGwp4cc76BEGvVS43Wn7heoKufroGWBfsluRT605gVrRhrY4vYWdXBdNFYXWT3kHPa"
    "DhEyP1PLcAjdULrWDaF1WsK2megQyBQZeQ4RcSM/zYFHGhXIclB2+XeEogHUGYL6ymDukl"
    "WFgp3+2FD+tBh7JvgHHmwTyBH3hORqZyVBbKrbN1T51duAbbFean4WgTYm57OivsZk/G1K"
    "RG9rcD1OWUOuHwiXC3mKghy6cibUBJX2Fay2lkaTFXdnsasayEWtRYkBFrMLXbUerlrX7W"
    "Vmoa2Kc4JXHdobu8zzJMZpqS7eYrlwJ9pCDIUXbb1SyvvFJA7sYymIhUTGIUMV4XeQXIbE"
    "3Bfgqd0t4LTlEEy94PQJGjIXARDv2HCYlvM22fEbJL1nnFNqMns58pvXTrb7WCje7uOSeL"
    "uPQbxdvng3FMyduaVKOEdJdC33VNIPBMv4EK0baxMn1zJUpWWogdoVx5hRLysdeDm7U8Q6"
    "sqpqvE5JdfsRPOLugwy5I+VfyBc74pXUigkdXbkD1mwKA9FGVHzulUxmI/CPoFeXeB6mTf"
    "Q0dNlElRV+ApMQbKMlt77Cf85Ez+hJwKuupsSPzd+iT32jFFwdYCGkyH2p/P275KZURcp4"
    "rKzWkVcog1nWzHWVDURXv9hp9Yso9CUX5QRpDb+/NbZchWtDGZE2RqQNGlkxeKw0qlESjW"
    "kGpmIW8vV3Iwmpq1xPRrx2p9dp3TSRf9Cnt63uI5xQ//u09di7Mzrdq/t266HdRLGffRrs"
    "W9K564abmIgfSfGhiEq9lXIazC2dKxinqjL71rRdbCe/ezjEKgsla9LkVyVI0n3XtR3U0C"
    "slckZJdGR05k5zAp81YtHThBreNLw6sWX7csi+3IA1HLo6Z6ISORNybd2tu7Vig7kovtHP"
    "e1FgdepDSXhz8xyyQd5PvMCBIrwsXCCEt0gaiY6U3WOkbCIWO9/FEYnWXu3jcCONVzo57j"
    "9cNKG2N6EQvMixdBMEe26pzeMgmnU6xbYKeRBtTXtCKIGexTxHHkPimVz2Ap6FlIdjw/33"
    "xeiwYKyeIrEsoNcxmzRll37N8qOnYGo8HYurWLo95sh0caSc+YmM6TCdV9iHTFwnotsg2u"
    "NIDcjAYRL1lRxLMmDQCeJMXDa9xUZl8hVtTD3YyUzWh7Gxi+B1+jR4IqTGgXhqk4KLB17M"
    "tpElSAcYmfxZnBvKF2anqOWhCeMeYhSeXDJURqH4tyO8T6eY2gLlZuAmEm2dudpmNfno0h"
    "ukHK8n/kZrDgQt05G8o7jJ2o4gKEc048tcQpEC8NoZtCtnUMiWdQytIfUOaxR/aXevO93P"
    "jXKIB2RN5B/0aevLl/u7r+3rJgqO+vS6fXXT6cK54Ggda+rmd7XVwearPslVd9EVCpnRlf"
    "O3XTlf7/2gS83WptSsL/GpggFlR3YmsR7mxYa5n8a9Vl3IKKWOaqzy5zjg1RqzK4O0hova"
    "VqoMz5whcZy1JleSVk+vA5lepZT7FJ32sGnn8D6cwxEBqqSDOEWph/AKgNeIIsml12DrUI"
    "etAqtDHSoR6qCdxRt3FuetzxriQhCnvvslYdbhJeuBXTLKJNQw9LguAHVKISsdabLdQmOm"
    "98jN7OTQ8OLJ8mJjpmfMFu1Wxkv0gvAFC+p+zaAgBLXDoAYLcwgdmHHsu9khwXOOVNqpzN"
    "wk4FlXMQscuwTLCIRU2MR2btOnYwKlyWRL10O2YDY/Rb/78QN+zINAgHLY/ILRRYUz2fHP"
    "iMp8VWwTr3B1M50iWqGoAJ0i+p1Y4Bb57iUTGFN02kCUoVKLdbfM6hQ011hqc6a2U1QL7M"
    "3bKfYjC/vB11mScHBpqRxMIo1WCsEdzmfYRqan5EvYRhwkRRMNiONAUOlUiJzMDuRFJT3a"
    "SlSFV+VQS1fG7MaiVFNS8Jbu06d+TTdBe4Jex8RSEbN+6G84FtAzxlMuxwMas1d5E8GBOS"
    "LwYC5H7iy3gkpa7lU3NORrKMG3SGk4LQdvQQ6ms8kAZ+RKLQkXW1DUr+reWQFf/8ez/Jp7"
    "Z0lPf2ykZ+oZ2SAn6b7rtHUfDEwzFoCVEPpU3zWAcpFeR9WNEWpFt9KKrjRKUKtU+dQoTQ"
    "3jIj8WWc7zV/PkYu4xz8wIXV9SA8lvr5WxvGKpSlAtp+2mCauMrzRgU/wKaWtBtp9vnfbG"
    "BIzXUt1Apv2/M+5xyEJLSv/a/HC4I16bHypofohah3ec7H0osG812zsKWb6ZJkB0palGpu"
    "wXstfkw5Jpt4iYgoS0RmQn2lyxT3PFgg3FoY2S6M9Sxof/mWQp1sXSowPaKisPjUtZWvJS"
    "VpRsXV8bUExS/Yfff3986N22uz04FxwXlMC2nBEdfY1M/uTlDsTIqsyadfW6ze2OEaL958"
    "yURStKLC1REr20ZFVHnJT0uocEGs8MPNdRl9+uKVcsZG/ToAZSZDmBLUakB6tOt9ibHSGi"
    "pbzRhBDxjx/Y2C1qPYhP2wJh0uE2KW/EtqZbwCcBjn1tdP7KPvJX9hN288UxaSPDmCPPny"
    "yz4kyDFgW2uJ66YCt3CPcQpp47b6JXKD4HteEWxnUGZnSIdInHxmRtbf3W7t6w0aE2D20j"
    "mkWXPlqYIwrpyB+W6Mgf0jqynC+GmACGPz3K2OGyaKssODduCexDJu4iFoAj8cgeP5YLQb"
    "A0hLFz+/HYaY//tj3+/pJvhFxex0ia7qXKyDdu77q9X2/+2UT+wf6MoSmlp4hLj88Gi9d5"
    "o2vvIdJVfaTKrbr2YpBlJSMmIF2Sj5hsuVI8/F3WIabxer9+NwPI+2NNBGs5CJx+5WPbfi"
    "fgUaWCTV8cVJl+xEXslaaFxm3d5A0Vh3Xq4E6FzNr7y77ctLpNBH+T/rJq+MW0lL9dKf/w"
    "KmavMchbV73OV9hxUP7v06tW96p9cwN1sReH1RjuMgmAl9z3Lkb0XQe/Y2qXBS9C8kboqi"
    "kSFkQONF9DiislpIg40e70+/eVliYOMMzgw4EAquOWt40wqDLlkI1QaAeuDgSvUL28wNn0"
    "RowDr9ZhjeOi0Eamb6V8jB0bT6bMA/u1YFUjK3Q83uJkafR42NZ49htvOIA8ObMXG1PC/Z"
    "KR5H9EN7LRNp3d2nRwKS+K37zKCu6aBoWt1LvP2Y81H98FwQ433WrsBN9PReD9lI/upxS4"
    "bApYlIwRjxHVcBhfFNlX6SJ/W6WL1K5KQ3Fz7ArFNiueOR/oBJmGugDUbOZZLMvE28Pf8l"
    "S5kKQWEC8rTND+h8xPWdQkCKA8um39Q6K8qEtwc9f9HDSPQH91c3epN98rPNrFC9p31Jn7"
    "Is+B1IzwpbOlJSO06URr+vtf5N6s6V+1Hq5a1+19aaW/48GYseeW5wl90mtkaKWJFifLtN"
    "JX1Vasp2HjlZEPUNvty91DT9WEE30SqIJ8gkyuKiWzEeJj9soR8dIRDWWJi0QqBL1oPXa3"
    "eqw/atb6kidpa/gtP5Bvd4DJ0o+38rML/tll3HMJKm2dT7s77JlSjY1JRgxELrAJKi0NZW"
    "cEThkU1cbfLKEUZ6xQ+RpeFm0NrEO7VvSw65YzxS0I6re351bKCASST9n9HmNUevVYrUst"
    "RMwUyqX1KF8+v470eGBYF1WlEuOsgmrUggn5elSUT6sVqeg4KaZJ4RdMPeQxmQeIqT1lAt"
    "AmsmcYCnA/UfGNCtQz8f8J6mY7QoVqd6873c+nCNIKmYU5qE9Kkk6pWxu9Q59ajkkmoJ+h"
    "CXvBPKODqclV6XD/5A8cbouOIFLdwSbHxyeIMxmdHu3Yhu1yJsR+F4AIjeEO4lbyYUdirA"
    "lCRk+gcCEyKQOVEN6My/7F20D3kFJp4ePC6mMYQ5p4k4Zo+kcjQAwaiIGszgGkWt3crbp5"
    "eJHCDX8SlZTnArJmMAn79Lp90/navoeA4cVhn/7S6sgYYvU/Ofn3E0DsT58y2kyURMdwJv"
    "WY5KKUwnW5oSWDXNtaKm1r0e6x74LNvpSzFqOTtBtgdcWU5zpxOpAgy2npCSqtpWd8G6Uc"
    "XhLWCInGdLXlQ6k6KXzXNXu0g+4ODOWiNo/o8Mo2eGStDBvEN9JjXSGOL4xlzUopVcVw2C"
    "jNgDKlG9Iu95pAv9XqDckRm2+Diw7q1Ta46KQqUubr8f4GaiyY9oRQAs095iIXj8QxiFgn"
    "qpYC2LPk5Jb2KAK1FxwbseEp6ohTHAvZ20NcTFmeMsJt/hZ9qnaenppzh5n2z/521CZyma"
    "eKREBfUxe/EDaLk4pOGZpRjzh9+hS0MFQLQ55/OkUP8idHposRn08mWLyLJY12ot+5PP2M"
    "px6CaDWAvxmel0/Wp4J85tJgV8Dw8sS0sapUoTYPFHNvtO6m1tr+tlP728zN2I8o35fnN6"
    "9FhGwqbaFg3sLSxIUMb95hlWDfURbDVrJE1Dpbyje9oKjykG48TE0Lv+N4asqHCbw/ErM1"
    "wD8vBP75EvDPM8CnAErGGn3JmINNmqcQL6gSHBgIsm2xIFjBd2vjuLy7u4mZNy47yXiLx9"
    "vL9v3RB4m7aESUAJzWkdWnvcxIDymqPNLXXE22VKoyJkeVATuDtH7BL7sAXQmvZS2puZ1o"
    "k2qVTaraR/JdsHloElnMlBOaVRdoOadTxHpKV5nXNuFSvlvHHRYn1Xw+CD6LhZiX1HTTpP"
    "WTlbYSKKyTL3Xy5f7Xrx3vt+tHSZC3brpb34jtnfh3pMd3iXMn8AgX8Owsmq5068BG6Gzm"
    "Ddi3pox7dtmr3E5BdnGCXl3ieZgiojwlojPKRX/gOVHFsoNt04mHPOw4HNwwKcfONm7Sp0"
    "8TzLkp9zV6kl4g0fDJh+AdnBPEyv2zCJQGf4rQXsWRuFYic1bXgNqXMyXkcRkBKE61Gevc"
    "fmHecr0iiU0JgIP2NTR8br50ju99TuObn1gZIakyxHJl//vDXRcNmD0/QfibWLedOVQpAC"
    "c6uLXFisv9r1H1Ei+1eWwtVhyaKq21Oq3V7X8qaa2uYvhvVatrCeitcSNDn/OvnCzT5Myw"
    "zUar3yY0G63L7FKXEdOHl4xZipBUWQ5cN2Lp/LxIxNL5eX7EElxLJFaKSVUCYb95DdHdSj"
    "CBuKOXmegAWkCOqBySJOVkYnno/+RWvweI9hJwAYzlykpSL0lIvdDBZbnNFjf/Mfvr/wG4"
    "n8Xz"
)
