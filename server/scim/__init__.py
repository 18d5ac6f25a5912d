"""SCIM 2.0 (RFC 7643, RFC 7644) at /scim/v2: identity providers provision people (R17).

A transport, like server/api/: the protocol (routing, parsing, the filter grammar, PATCH,
discovery, errors) is scim2-server's and scim2-models'; `storage.py` maps SCIM users to the
domain's people and calls the domain (server/licensing/services.py) for every change;
`application.py` authenticates the identity provider's token (scope `scim`) and maps the
domain's refusals to SCIM errors.
"""
