"""Webhooks: integrations are told when seats change (issue 15).

- `models`: the endpoints administrators register, the outbox of events, one delivery per
  event and endpoint, and the attempts made.
- `outbox`: writes an event and its deliveries in the transaction of the change itself.
- `address`: which URLs may be called, checked when registered and again before each attempt.
- `signing`: secrets and Standard Webhooks signatures (the `standardwebhooks` library).
- `delivery`: the job every server process runs, claiming due deliveries and posting them.
- `services`: registering, changing and removing endpoints, and resending.
"""
