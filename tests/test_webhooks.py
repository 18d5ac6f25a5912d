"""Issue 15, webhooks: the outbox, the delivery job, signatures and the address check, on the
database the run uses, with a real HTTP receiver on loopback."""

from __future__ import annotations

import asyncio
import ipaddress
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from server.billing import services as billing
from server.errors import InvalidInput
from server.licensing import services
from server.licensing.models import LicenseChange
from server.settings import Settings
from server.webhooks import address, delivery
from server.webhooks import services as webhooks_services
from server.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.factories import MAXIMUM, make_org
from tests.servers import free_port
from tests.webhook_receiver import Receiver

ALL_EVENTS = list(EventType)


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The setting that lets endpoints be on loopback and plain http, as tests need."""
    monkeypatch.setenv("SEATS_WEBHOOKS_ALLOW_PRIVATE", "1")
    return Settings(
        webhooks_allow_private=True, webhook_retry_seconds=0.05, webhook_timeout_seconds=3
    )


async def deliver_until_done(client, settings: Settings, *, rounds: int = 200) -> None:
    """Run the delivery job until nothing is pending (retries included)."""
    for _ in range(rounds):
        await delivery.deliver_due(client, settings)
        if not await WebhookDelivery.filter(status=DeliveryStatus.PENDING).exists():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("deliveries still pending")


def verified(secret: str, received) -> dict:
    return Webhook(secret).verify(received.body, received.headers)


async def make_changes(org) -> int:
    """One change of every kind an endpoint can hear of; how many events they make."""
    await services.set_license_count(org.actor, 3, maximum=MAXIMUM)  # count
    person = await org.add("Ada")  # access given (no count change: 2 of 3 used)
    await services.toggle_access(org.actor, person.id, False, maximum=MAXIMUM)  # access
    later = datetime.now(UTC).date() + timedelta(days=30)
    await services.terminate(org.actor, person.id, later)  # scheduled
    await services.cancel_termination(org.actor, person.id)  # cancelled
    await services.terminate(org.actor, person.id, date(2025, 6, 1))  # terminated
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM)  # count
    return 7


async def test_issue_15_every_event_is_delivered_signed_once_the_receiver_comes_up(
    db, allow_private
):
    """Issue 15: a receiver down for the first attempts, then up and failing each message's
    first arrival: every event arrives, every signature verifies with the library, and a
    message sent again carries the same webhook-id and body."""
    receiver = Receiver(free_port(), fail_first=True)
    org = await make_org(license_count=1)
    secret, endpoint = await webhooks_services.create_endpoint(
        org.id, receiver.url, "Payroll", ALL_EVENTS, enabled=True
    )
    changes = await make_changes(org)
    events = await WebhookEvent.filter(organization_id=org.id)
    assert len(events) == changes
    async with delivery.new_client() as client:
        for _ in range(3):  # the receiver is down: each attempt fails and is kept
            assert await delivery.deliver_due(client, allow_private) > 0
            await asyncio.sleep(0.2)
        assert await WebhookAttempt.filter(status_code=None).count() >= changes
        assert not await WebhookDelivery.filter(status=DeliveryStatus.DELIVERED).exists()
        await receiver.start()
        try:
            await deliver_until_done(client, allow_private)
        finally:
            await receiver.stop()
    assert receiver.ids() == {e.message_id for e in events}
    assert len(receiver.ids()) == changes
    by_id = defaultdict(list)
    for arrival in receiver.received:
        payload = verified(secret, arrival)
        by_id[arrival.message_id].append(arrival)
        assert payload["type"] in {t.value for t in EventType}
    for message_id, arrivals in by_id.items():
        assert len(arrivals) == 2, "the first arrival failed, the retry carried the same id"
        assert len({a.body for a in arrivals}) == 1, message_id
    types = sorted(orjson.loads(a[0].body)["type"] for a in by_id.values())
    assert types == sorted(
        ["license.count_changed"] * 2
        + ["resource.access_changed"] * 2
        + ["termination.scheduled", "termination.cancelled", "resource.terminated"]
    )
    endpoint = await WebhookEndpoint.get(id=endpoint.id)
    assert endpoint.failing_since is None and endpoint.enabled


async def test_issue_15_the_outbox_row_and_the_change_commit_or_roll_back_together(
    db, allow_private, monkeypatch
):
    org = await make_org(license_count=1)
    await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/hooks", "", ALL_EVENTS, enabled=True
    )

    async def fails(*args, **kwargs):
        raise RuntimeError("the database failed at the end of the change")

    monkeypatch.setattr(services, "record_usage", fails)
    with pytest.raises(RuntimeError):
        await services.set_license_count(org.actor, 5, maximum=MAXIMUM)
    assert (await org.refresh()).license_count == 1
    assert not await WebhookEvent.exists()
    assert not await WebhookDelivery.exists()
    monkeypatch.undo()
    await services.set_license_count(org.actor, 5, maximum=MAXIMUM)
    assert (await org.refresh()).license_count == 5
    event = await WebhookEvent.get()
    payload = orjson.loads(event.payload)
    assert payload["type"] == "license.count_changed"
    assert payload["data"]["previousCount"] == 1 and payload["data"]["licenseCount"] == 5
    assert await WebhookDelivery.filter(event_id=event.id).count() == 1


async def test_issue_15_only_enabled_endpoints_that_listen_get_a_delivery(db, allow_private):
    org = await make_org(license_count=1)
    other = await make_org(license_count=1)
    _, counts = await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/a", "", [EventType.LICENSE_COUNT_CHANGED], enabled=True
    )
    await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/b", "", [EventType.INVOICE_ISSUED], enabled=True
    )
    await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/c", "", ALL_EVENTS, enabled=False
    )
    await webhooks_services.create_endpoint(
        other.id, "https://93.184.216.34/d", "", ALL_EVENTS, enabled=True
    )
    await services.set_license_count(org.actor, 4, maximum=MAXIMUM)
    deliveries = await WebhookDelivery.all()
    assert [d.endpoint_id for d in deliveries] == [counts.id]


async def test_issue_15_an_issued_invoice_is_an_event_of_its_transaction(db, allow_private):
    org = await make_org(license_count=2, now=datetime(2026, 1, 5, tzinfo=UTC))
    await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/a", "", [EventType.INVOICE_ISSUED], enabled=True
    )
    issued = await billing.issue_due_invoices(datetime(2026, 3, 2, tzinfo=UTC))
    assert issued
    events = await WebhookEvent.filter(type="invoice.issued").order_by("id")
    numbers = [orjson.loads(e.payload)["data"]["invoice"]["number"] for e in events]
    assert numbers == [i.number for i in issued]


async def test_issue_15_a_rotated_secret_signs_beside_the_old_one_during_the_overlap(
    db, allow_private
):
    receiver = Receiver(free_port())
    org = await make_org(license_count=1)
    old, endpoint = await webhooks_services.create_endpoint(
        org.id, receiver.url, "", ALL_EVENTS, enabled=True
    )
    new, _ = await webhooks_services.rotate_secret(org.id, endpoint.id, overlap_hours=24)
    assert new != old
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM)
    await receiver.start()
    try:
        async with delivery.new_client() as client:
            await deliver_until_done(client, allow_private)
            (arrival,) = receiver.received
            assert len(arrival.headers["webhook-signature"].split(" ")) == 2
            verified(old, arrival)
            verified(new, arrival)
            newest, _ = await webhooks_services.rotate_secret(org.id, endpoint.id, 0)
            await services.set_license_count(org.actor, 3, maximum=MAXIMUM)
            await deliver_until_done(client, allow_private)
    finally:
        await receiver.stop()
    last = receiver.received[-1]
    verified(newest, last)
    for gone in (old, new):
        with pytest.raises(WebhookVerificationError):
            verified(gone, last)


async def test_issue_15_redirects_are_not_followed_and_long_answers_are_cut(db, allow_private):
    receiver = Receiver(
        free_port(), status=302, body=b"x" * 1_000_000, headers={"location": "/elsewhere"}
    )
    org = await make_org(license_count=1)
    await webhooks_services.create_endpoint(org.id, receiver.url, "", ALL_EVENTS, enabled=True)
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM)
    await receiver.start()
    try:
        async with delivery.new_client() as client:
            assert await delivery.deliver_due(client, allow_private) == 1
    finally:
        await receiver.stop()
    assert [r.headers.get("host") for r in receiver.received] == [f"127.0.0.1:{receiver.port}"]
    attempt = await WebhookAttempt.get()
    assert attempt.status_code == 302
    assert attempt.error == "The endpoint answered 302."
    assert attempt.response_excerpt == "x" * delivery.EXCERPT_CHARS
    assert (await WebhookDelivery.get()).status is DeliveryStatus.PENDING


async def test_issue_15_an_endpoint_failing_for_three_days_is_disabled(db, allow_private):
    org = await make_org(license_count=1)
    _, endpoint = await webhooks_services.create_endpoint(
        org.id, f"http://127.0.0.1:{free_port()}/down", "", ALL_EVENTS, enabled=True
    )
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM)
    await services.set_license_count(org.actor, 3, maximum=MAXIMUM)
    long_ago = datetime.now(UTC) - timedelta(days=3, minutes=1)
    await WebhookEndpoint.filter(id=endpoint.id).update(failing_since=long_ago)
    async with delivery.new_client() as client:
        await delivery.deliver_due(client, allow_private)
    endpoint = await WebhookEndpoint.get(id=endpoint.id)
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "Every delivery failed for three days."
    assert not await WebhookDelivery.filter(status=DeliveryStatus.PENDING).exists()
    with pytest.raises(InvalidInput):
        await webhooks_services.resend(org.id, (await WebhookDelivery.first()).id)
    enabled = await webhooks_services.update_endpoint(org.id, endpoint.id, enabled=True)
    assert enabled.enabled and enabled.disabled_reason is None
    again = await webhooks_services.resend(org.id, (await WebhookDelivery.first()).id)
    assert again.delivery.status is DeliveryStatus.PENDING


async def test_issue_15_a_delivery_failing_for_three_days_has_failed(db, allow_private):
    org = await make_org(license_count=1)
    await webhooks_services.create_endpoint(
        org.id, f"http://127.0.0.1:{free_port()}/down", "", ALL_EVENTS, enabled=True
    )
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM)
    await WebhookDelivery.all().update(created_at=datetime.now(UTC) - timedelta(days=3))
    async with delivery.new_client() as client:
        await delivery.deliver_due(client, allow_private)
    assert (await WebhookDelivery.get()).status is DeliveryStatus.FAILED


def test_issue_15_retries_wait_longer_each_time_with_jitter_for_about_three_days():
    waits = [delivery.retry_wait(n, 30) for n in range(1, 40)]
    for n, wait in enumerate(waits, start=1):
        full = min(30 * 2 ** (n - 1), delivery.MAX_WAIT_SECONDS)
        assert full / 2 <= wait <= full
    # Over the three days of retries: about twenty attempts, whatever the jitter draws.
    for share in (0.5, 1.0):
        elapsed, attempts = 0.0, 0
        while elapsed < delivery.RETRY_WINDOW.total_seconds():
            attempts += 1
            elapsed += share * min(30 * 2 ** (attempts - 1), delivery.MAX_WAIT_SECONDS)
        assert 15 <= attempts <= 35, (share, attempts)


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "ff02::1",
    ],
)
def test_issue_15_addresses_that_are_not_public_are_refused(ip):
    assert address.refusal(ipaddress.ip_address(ip)) is not None


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_issue_15_public_addresses_are_allowed(ip):
    assert address.refusal(ipaddress.ip_address(ip)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hooks",
        "ftp://93.184.216.34/",
        "https://user:pw@93.184.216.34/",
        "https:///nohost",
        "https://93.184.216.34/#frag",
        "https://localhost/hooks",
        "https://127.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://93.184.216.34:99999/",
        "https://" + "a" * 2000 + ".com/",
    ],
)
async def test_issue_15_endpoint_urls_must_be_public_https(url):
    with pytest.raises(InvalidInput) as refused:
        await address.resolve(url, allow_private=False)
    assert refused.value.extensions["field"] == "url"


async def test_issue_15_the_setting_allows_loopback_and_http():
    target = await address.resolve("http://127.0.0.1:8080/a?b=1", allow_private=True)
    assert target.connect_url == "http://127.0.0.1:8080/a?b=1"
    assert target.host_header == "127.0.0.1:8080"


async def test_issue_15_a_target_connects_to_the_checked_address_by_name():
    target = address.Target("https", "hooks.example.com", 443, "/x", ipaddress.ip_address("::1"))
    assert target.connect_url == "https://[::1]:443/x"
    assert target.host_header == "hooks.example.com"


async def test_issue_15_the_address_is_checked_again_at_delivery(db, allow_private):
    org = await make_org(license_count=1)
    await webhooks_services.create_endpoint(
        org.id, f"http://127.0.0.1:{free_port()}/x", "", ALL_EVENTS, enabled=True
    )
    await services.set_license_count(org.actor, 2, maximum=MAXIMUM)
    strict = Settings(webhooks_allow_private=False, webhook_retry_seconds=0.05)
    async with delivery.new_client() as client:
        await delivery.deliver_due(client, strict)
    attempt = await WebhookAttempt.get()
    assert attempt.status_code is None
    assert attempt.error.startswith("The URL must start with https://")


async def test_issue_15_every_license_change_row_has_its_count_event(db, allow_private):
    """The events come from the skeleton: each change of the count, whichever its reason
    (manual, auto-increase, termination), makes one license.count_changed."""
    org = await make_org(license_count=1)
    await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/a", "", [EventType.LICENSE_COUNT_CHANGED], enabled=True
    )
    before = await LicenseChange.filter(organization_id=org.id).count()
    await org.add("A")  # auto-increase 1 -> 2
    await org.add("B")  # auto-increase 2 -> 3
    people = await org.add("C")
    await services.terminate(org.actor, people.id, date(2025, 6, 1))
    rows = await LicenseChange.filter(organization_id=org.id).count() - before
    assert await WebhookEvent.filter(type="license.count_changed").count() == rows == 4


# The receiver's examples of the README ("Integrations: webhooks"), run here as written there.
VERIFY_SH = r"""
secret=$1 id=$2 timestamp=$3 signatures=$4 body=$5
now=$(date +%s)
if [ $((now - timestamp)) -gt 300 ] || [ $((timestamp - now)) -gt 300 ]; then
  echo "timestamp too old or too new" >&2; exit 1
fi
key=$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
expected=$({ printf '%s.%s.' "$id" "$timestamp"; cat "$body"; } |
  openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
case " $signatures " in
  *" v1,$expected "*) echo verified ;;
  *) echo "no matching signature" >&2; exit 1 ;;
esac
"""


def test_issue_15_the_readmes_shell_check_verifies_what_the_service_signs(tmp_path):
    import subprocess

    from server.webhooks import signing

    old, new, other = signing.new_secret(), signing.new_secret(), signing.new_secret()
    body = '{"type":"license.count_changed","data":{"name":"Zoë"}}'
    headers = signing.headers([new, old], "msg_1", datetime.now(UTC), body)
    (tmp_path / "body.json").write_bytes(body.encode())
    (tmp_path / "verify.sh").write_text(VERIFY_SH)
    results = {}
    for name, secret in (("new", new), ("old", old), ("other", other)):
        done = subprocess.run(
            ["sh", str(tmp_path / "verify.sh"), secret, headers["webhook-id"],
             headers["webhook-timestamp"], headers["webhook-signature"],
             str(tmp_path / "body.json")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        results[name] = (done.returncode, done.stdout.strip())
    assert results == {"new": (0, "verified"), "old": (0, "verified"), "other": (1, "")}


@pytest.mark.parametrize(
    ("deactivation", "told"),
    [
        ("REMOVE_ACCESS", ["resource.access_changed"]),
        ("TERMINATE", ["resource.terminated", "license.count_changed"]),
    ],
)
async def test_issue_15_an_identity_providers_deactivation_is_told_as_any_other(
    db, allow_private, deactivation, told
):
    """Issue 15 with R17: a deletion over SCIM does what the organisation chose, through the
    same domain functions as the page (R5 removes access, R7 terminates), and tells the
    endpoints the same events."""
    from server.accounts.models import Deactivation
    from server.accounts.services import set_deactivation

    org = await make_org(license_count=2)
    person = await org.add("Ada")
    await set_deactivation(org.id, Deactivation(deactivation))
    await webhooks_services.create_endpoint(
        org.id, "https://93.184.216.34/a", "", ALL_EVENTS, enabled=True
    )
    await services.deprovision(org.actor, person.id)
    events = await WebhookEvent.filter(organization_id=org.id).order_by("id")
    assert sorted(event.type for event in events) == sorted(told)
