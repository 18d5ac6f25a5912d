"""Helpers of the SCIM tests (R17): an organisation, an identity provider's token, and a
client speaking SCIM to the app in the test's process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from server.accounts import tokens
from server.accounts.models import Scope
from tests.factories import Org

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SEATS = "urn:seats:params:scim:schemas:extension:seats:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_JSON = "application/scim+json"


async def scim_token(
    org: Org, name: str = "Okta", scopes: tuple[Scope, ...] = (Scope.SCIM,)
) -> str:
    token, _ = await tokens.create_api_token(org.id, name, list(scopes), created_by_id=org.admin.id)
    return token


@dataclass
class Scim:
    """Requests to /scim/v2 with a bearer token."""

    http: httpx.AsyncClient
    token: str

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": SCIM_JSON}

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.http.get(f"/scim/v2{path}", params=params, headers=self._headers())

    async def post(self, path: str, body: Any) -> httpx.Response:
        return await self.http.post(f"/scim/v2{path}", json=body, headers=self._headers())

    async def put(self, path: str, body: Any) -> httpx.Response:
        return await self.http.put(f"/scim/v2{path}", json=body, headers=self._headers())

    async def patch(self, path: str, *operations: dict[str, Any]) -> httpx.Response:
        body = {"schemas": [PATCH], "Operations": list(operations)}
        return await self.http.patch(f"/scim/v2{path}", json=body, headers=self._headers())

    async def delete(self, path: str) -> httpx.Response:
        return await self.http.delete(f"/scim/v2{path}", headers=self._headers())

    async def create(self, email: str, **attributes: Any) -> httpx.Response:
        return await self.post("/Users", user(email, **attributes))


def user(
    email: str,
    *,
    given: str = "Ada",
    family: str = "Lovelace",
    active: bool | None = True,
    external_id: str | None = None,
    consultant: bool | None = None,
    display_name: str | None = None,
) -> dict[str, Any]:
    """A user as Okta sends it."""
    body: dict[str, Any] = {
        "schemas": [USER],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": True, "value": email, "type": "work"}],
    }
    if display_name is not None:
        body["displayName"] = display_name
    if active is not None:
        body["active"] = active
    if external_id is not None:
        body["externalId"] = external_id
    if consultant is not None:
        body["schemas"].append(SEATS)
        body[SEATS] = {"consultant": consultant}
    return body


def scim_error(response: httpx.Response, status: int, scim_type: str | None = None) -> str:
    """The detail of a SCIM error answer, checked to be one (RFC 7644 §3.12)."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert body["schemas"] == [ERROR], body
    assert str(body["status"]) == str(status), body
    assert body.get("scimType") == scim_type, body
    return body["detail"]
