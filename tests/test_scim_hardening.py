"""Untrusted input over SCIM (R14, R17, issue 14): every refusal in SCIM's error shape with
the right status and scimType, bounded bodies, no stack trace, 503 with Retry-After when the
database cannot be reached."""

from __future__ import annotations

import pytest
from tortoise.exceptions import DBConnectionError

from server.accounts.models import Resource
from server.scim import storage
from tests.factories import make_org
from tests.scim import SCIM_JSON, Scim, scim_error, user


@pytest.fixture
async def org(db):
    return await make_org(license_count=3)


def headers(scim: Scim) -> dict[str, str]:
    return {"Authorization": f"Bearer {scim.token}", "Content-Type": SCIM_JSON}


async def test_r14_a_body_over_the_limit_is_413_in_scim_shape(scim, settings):
    body = b'{"userName": "' + b"a" * settings.max_body_bytes + b'@example.com"}'
    response = await scim.http.post("/scim/v2/Users", content=body, headers=headers(scim))
    assert "at most" in scim_error(response, 413)
    assert response.headers["content-type"].startswith("application/scim+json")


async def test_r14_nul_characters_are_refused_in_scim_shape(scim):
    body = user("nul@example.com", display_name="A\u0000B")
    response = await scim.post("/Users", body)
    assert "NUL" in scim_error(response, 400)
    assert not await Resource.filter(email="nul@example.com").exists()


async def test_r14_a_body_that_is_not_json_is_invalid_syntax(scim):
    response = await scim.http.post("/scim/v2/Users", content=b"{not json", headers=headers(scim))
    scim_error(response, 400, "invalidSyntax")


async def test_r14_names_too_long_are_invalid_values_and_nothing_is_written(scim):
    for body in (
        user("long@example.com", given="G" * 201),
        user("long@example.com", external_id="x" * 256),
        user("long@example.com", display_name="D" * 201),
    ):
        scim_error(await scim.post("/Users", body), 400, "invalidValue")
    assert not await Resource.filter(email="long@example.com").exists()


async def test_r14_unknown_paths_and_methods_are_scim_errors(scim):
    scim_error(await scim.get("/Groups"), 404)
    scim_error(await scim.get("/Users/not-an-id"), 404)
    response = await scim.post("/Bulk", {"schemas": [], "Operations": []})
    assert response.status_code == 501, response.text


async def test_r14_an_unexpected_error_is_500_without_a_trace(scim, monkeypatch):
    async def broken(self, *args, **kwargs):
        raise RuntimeError("a bug with a secret inside")

    monkeypatch.setattr(storage.SeatsStorage, "search", broken)
    response = await scim.get("/Users")
    detail = scim_error(response, 500)
    assert "secret" not in response.text and "Traceback" not in response.text, detail


async def test_r14_no_database_is_503_with_retry_after(scim, monkeypatch):
    async def unreachable(self, *args, **kwargs):
        raise DBConnectionError("connection refused")

    monkeypatch.setattr(storage.SeatsStorage, "search", unreachable)
    response = await scim.get("/Users")
    scim_error(response, 503)
    assert int(response.headers["retry-after"]) > 0
