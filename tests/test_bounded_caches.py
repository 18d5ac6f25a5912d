"""Issue 13 goal 7: no cache in the service grows without bound. Each cache kept across
requests is filled past its limit here and stays at it.

Not here, because they cannot grow: the statement texts built once without arguments
(`@cache` on functions that take none: one value each); what lives for one request (the
loaders, the executor's own layouts) or one document (what the executor learnt of it, bounded
by the document's size, and gone with it); an enum's names by member (as many as it has
members); and the registries of open websockets and their news (an entry per open socket,
removed when it closes, limited per credential)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from strawberry.extensions import SchemaExtension

from server import sql
from server.api.engine import hooks
from server.api.engine.documents import known_documents
from server.api.engine.fast import FastExecutor
from server.api.schema import schema
from server.billing import kept
from server.billing import services as billing
from tests.factories import make_org


def test_issue_13_goal_7_parsed_documents_stay_at_their_limit():
    known = known_documents(introspection=False)
    limit = known.parsed.size
    texts = [f"{{ a{i}: seats {{ used }} }}" for i in range(limit + 50)]
    for text in texts:
        known.document(text)
    assert len(known.parsed) == limit
    assert texts[0] not in known.parsed  # the least recently used went first
    assert texts[-1] in known.parsed


def test_issue_13_goal_7_validated_documents_stay_at_their_limit():
    known = known_documents(introspection=False)
    limit = known.validated.size
    for i in range(limit + 50):
        document = known.document(f"{{ a{i}: seats {{ used }} }}")
        assert known.errors(schema._schema, document, known.rules) == []
    assert len(known.validated) == limit


async def test_issue_13_goal_7_learnt_documents_stay_at_their_limit(client):
    org = await make_org()
    await client.login(org.admin.email)
    limit = FastExecutor.learnt.size
    for i in range(limit + 20):
        data = await client.data(f"{{ a{i}: seats {{ used }} }}")
        assert data == {f"a{i}": {"used": 1}}
    assert len(FastExecutor.learnt) == limit


def test_issue_13_goal_7_extension_hooks_stay_at_their_limit():
    limit = hooks._hooks.size
    classes = [type(f"Extension{i}", (SchemaExtension,), {}) for i in range(limit + 30)]
    for extension in classes:
        assert hooks._hook(extension, "on_execute") is None  # the default hook
    assert len(hooks._hooks) == limit


def test_issue_13_goal_7_statement_texts_stay_at_their_limit():
    limit = sql._for_dialect.cache_info().maxsize
    for i in range(limit + 40):
        assert sql._for_dialect(f"SELECT $1 AS a{i}", True) == f"SELECT ? AS a{i}"
    assert sql._for_dialect.cache_info().currsize == limit


def test_issue_13_goal_7_placeholder_lists_stay_at_their_limit():
    limit = sql._placeholders.cache_info().maxsize
    for count in range(1, limit + 20):
        assert sql._placeholders(count).count("$") == count
    assert sql._placeholders.cache_info().currsize == limit


def test_issue_13_goal_7_model_columns_stay_at_their_limit():
    limit = sql.columns.cache_info().maxsize
    fields = [("id", None, None)]
    for i in range(limit + 10):
        meta = SimpleNamespace(db_native_fields=fields, db_default_fields=[], db_complex_fields=[])
        assert sql.columns(type(f"Model{i}", (), {"_meta": meta})) == ("id",)
    assert sql.columns.cache_info().currsize == limit


def test_issue_13_goal_7_r9_kept_invoices_stay_at_their_limit_of_organisations():
    assert billing._kept.max_entries == kept.MAX_ORGANISATIONS
    drafts = kept.KeptDrafts()
    for organization_id in range(kept.MAX_ORGANISATIONS + 100):
        drafts.put(organization_id, (1, date(2026, 5, 1)), f"draft {organization_id}", 2)
    assert len(drafts) == kept.MAX_ORGANISATIONS
    assert drafts.lines == 2 * kept.MAX_ORGANISATIONS
    assert drafts.get(0, (1, date(2026, 5, 1))) is None  # the least recently used went first
    last = kept.MAX_ORGANISATIONS + 99
    assert drafts.get(last, (1, date(2026, 5, 1))) == f"draft {last}"


def test_issue_13_goal_7_r9_kept_invoices_stay_at_their_limit_of_lines():
    assert billing._kept.max_lines == kept.MAX_LINES
    drafts = kept.KeptDrafts()
    big = kept.MAX_LINES // 4
    for organization_id in range(10):
        drafts.put(organization_id, 1, "big draft", big)
        assert drafts.lines <= kept.MAX_LINES
    assert (len(drafts), drafts.lines) == (4, kept.MAX_LINES)
    drafts.put(99, 1, "too big to keep", kept.MAX_LINES + 1)
    assert drafts.get(99, 1) is None
    assert (len(drafts), drafts.lines) == (4, kept.MAX_LINES)
    # A new draft of an organisation replaces its old one: the lines are counted once.
    drafts.put(9, 2, "again", 10)
    assert (len(drafts), drafts.lines) == (4, 3 * big + 10)
