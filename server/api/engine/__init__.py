"""How the GraphQL surface (the other modules of server/api) is executed.

Every GraphQL request, over HTTP (GET or POST, the first time or the hundredth:
server/api/http.py) and over a websocket (strawberry's view), runs through strawberry's
schema with the same extensions; nothing here bypasses them. What makes a repeated request
cheap is kept behind strawberry's public extension points:

- documents.py: one schema extension that parses a text once and validates a document once
  (with the depth, alias and token limits of limits.py), handing every request with the same
  text the same document object;
- fast.py: the executor class given to graphql-core, which completes plain fields with plans
  kept per document across requests;
- hooks.py: the extensions' hooks, found once per extension class instead of at every stage
  of every request;
- errors.py: the masking extension and the codes of every error;
- schema.py: the schema class and the extensions every schema has;
- limits.py: the depth and alias rules; bounded.py: the bound of every cache here.

The transport (server/api/http.py) reads a request's operation as strawberry's view reads it
(tests/test_api_one_path.py compares them) and calls `schema.execute`.
"""
