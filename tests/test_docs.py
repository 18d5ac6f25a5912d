"""The README says what the code does: every error code the service answers with is in it, every
code its table lists is one the service answers with, and every setting the service reads from
the environment is in its settings table (and read in `Settings` only)."""

from __future__ import annotations

import ast
import enum
import re
from pathlib import Path

from server.accounts import models as account_models
from server.accounts import queries as account_queries
from server.billing import models as billing_models
from server.licensing import bulk as bulk_changes
from server.licensing import models as licensing_models
from server.webhooks.models import DeliveryStatus

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SERVER = [p for p in (ROOT / "server").rglob("*.py") if "migrations" not in p.parts]
CODE_LIKE = re.compile(r"(?=[A-Z_]{6,}$)[A-Z]+(_[A-Z]+)*")
# Capitalised words that are not codes: HTTP methods, log levels.
NOT_CODES = {"POST", "HEAD", "OPTIONS", "INFO", "DEBUG", "WARNING", "ERROR"}


def _strings(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _enum_values() -> set[str]:
    """Values of the model enums (roles, kinds, reasons…): words of the data, not codes."""
    values: set[str] = set()
    for module in (account_models, account_queries, billing_models, licensing_models, bulk_changes):
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, enum.Enum):
                values |= {str(member.value) for member in item}
                values |= set(item.__members__)
    # Where a webhook delivery stands (its event types share a name with an error code:
    # LICENSE_COUNT_CHANGED, which stays one).
    return values | {status.value for status in DeliveryStatus}


def _settings_read() -> dict[str, set[str]]:
    """Environment variables read, by file."""
    read: dict[str, set[str]] = {}
    for path in SERVER:
        names = {s for s in _strings(path) if s == "DATABASE_URL" or s.startswith("SEATS_")}
        if names:
            read[str(path.relative_to(ROOT))] = names
    return read


def _codes_answered() -> set[str]:
    words = set().union(*(_strings(path) for path in SERVER))
    codes = {w for w in words if CODE_LIKE.fullmatch(w)}
    settings = set().union(*_settings_read().values())
    return codes - _enum_values() - settings - NOT_CODES


def readme_table(header: str) -> set[str]:
    """The first column's `names` of the README table under `header`."""
    rows = README.split(header, 1)[1].split("\n\n", 1)[0].splitlines()
    return {name for row in rows[2:] for name in re.findall(r"`([A-Z_0-9]+)`", row.split("|")[1])}


def test_every_code_the_service_answers_is_in_the_readme_and_no_other():
    answered = _codes_answered()
    documented = set(re.findall(r"`([A-Z_]+)`", README))
    assert answered - documented == set(), "answered but not in the README"
    table = readme_table("| code | when |")
    assert table - answered == set(), "in the README's table but never answered"


def test_every_setting_is_read_in_settings_and_listed_in_the_readme():
    read = _settings_read()
    assert set(read) == {"server/settings.py"}, f"settings read outside Settings: {read}"
    table = readme_table("| variable | default | |")
    assert read["server/settings.py"] == table
