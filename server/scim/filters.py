"""SCIM filters (RFC 7644 §3.4.2.2) as database conditions on the organisation's people.

scim2-models parses the filter (a LALR grammar: linear in its length, which is bounded
first) and checks it against the User schema; this module turns its syntax tree into one
tortoise `Q`, so that a search reads only the matching page and counts only the matches.
Every attribute Seats keeps can be compared with every operator; case follows the schema
(userName, emails and names ignore case; externalId and id are exact).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scim2_models import InvalidFilterException
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from tortoise.expressions import Q

from server.accounts.models import ResourceKind
from server.api import ids
from server.scim.schema import SEATS_SCHEMA, USER_SCHEMA

NOTHING = Q(id__lt=0)
EVERYTHING = Q()


@dataclass(frozen=True)
class Column:
    """A SCIM attribute kept in a column: its name, whether it ignores case, its kind."""

    name: str
    case_exact: bool = False
    kind: str = "text"  # text, boolean, datetime


# SCIM attribute (lower case, "attr" or "attr.sub") -> the column that keeps it.
COLUMNS = {
    "username": Column("email"),
    "emails": Column("email"),
    "emails.value": Column("email"),
    "displayname": Column("display_name"),
    "name.givenname": Column("given_name"),
    "name.familyname": Column("family_name"),
    "externalid": Column("external_id", case_exact=True),
    "id": Column("id", case_exact=True),
    "active": Column("active", kind="boolean"),
    "consultant": Column("kind", kind="boolean"),
    "meta.created": Column("created_at", kind="datetime"),
}
# Attributes of the schema every person has with one fixed value.
CONSTANTS = {"emails.type": "work", "emails.primary": True, "meta.resourcetype": "User"}

_TEXT_LOOKUPS: dict[CompareOperator, tuple[str, str]] = {
    # operator -> (lookup ignoring case, exact lookup)
    CompareOperator.eq: ("iexact", "exact"),
    CompareOperator.co: ("icontains", "contains"),
    CompareOperator.sw: ("istartswith", "startswith"),
    CompareOperator.ew: ("iendswith", "endswith"),
    CompareOperator.gt: ("gt", "gt"),
    CompareOperator.ge: ("gte", "gte"),
    CompareOperator.lt: ("lt", "lt"),
    CompareOperator.le: ("lte", "lte"),
}


def condition(node: FilterNode) -> Q:
    """The condition a parsed filter sets on people."""
    return _node(node, prefix=None)


def _key(path: AttrPath, prefix: str | None) -> str | None:
    """The attribute's key in COLUMNS, or None for an attribute the schema does not have
    (which matches nobody, RFC 7644 §3.4.2.1)."""
    uri = (path.uri or "").lower()
    attr = path.attr.lower()
    if uri == SEATS_SCHEMA.lower():
        return "consultant" if attr == "consultant" and not path.sub_attr else None
    if uri and uri != USER_SCHEMA.lower():
        return None
    if prefix is not None:
        return f"{prefix}.{attr}"
    return f"{attr}.{path.sub_attr.lower()}" if path.sub_attr else attr


def _node(node: FilterNode, prefix: str | None) -> Q:
    if isinstance(node, LogicalExpr):
        terms = [_node(term, prefix) for term in node.terms]
        join: Callable[[Q, Q], Q] = (
            (lambda a, b: a & b) if node.op is LogicalOperator.and_ else (lambda a, b: a | b)
        )
        result = terms[0]
        for term in terms[1:]:
            result = join(result, term)
        return result
    if isinstance(node, Not):
        return ~_node(node.expr, prefix)
    if isinstance(node, ValuePath):
        if prefix is not None:
            raise InvalidFilterException(detail="A value filter cannot hold another.")
        key = _key(node.attr_path, None)
        if key != "emails":
            return NOTHING
        return _node(node.val_filter, "emails")
    if isinstance(node, Present):
        return _present(_key(node.attr_path, prefix))
    if isinstance(node, Comparison):
        return _comparison(_key(node.attr_path, prefix), node.op, node.value)
    raise InvalidFilterException(detail=f"This filter cannot be read: {node}.")


def _present(key: str | None) -> Q:
    if key in CONSTANTS or key in ("active", "consultant", "id", "meta.created"):
        return EVERYTHING
    column = COLUMNS.get(key or "")
    if column is None:
        return NOTHING
    return Q(**{f"{column.name}__isnull": False}) & ~Q(**{column.name: ""})


def _comparison(key: str | None, op: CompareOperator, value: Any) -> Q:
    if key in CONSTANTS:
        return _constant(CONSTANTS[key], op, value)
    column = COLUMNS.get(key or "")
    if column is None:
        return NOTHING
    if column.kind == "boolean":
        return _boolean(column, op, value)
    if column.kind == "datetime":
        return _datetime(column, op, value)
    if not isinstance(value, str):
        # A text attribute compared with a number, a boolean or null matches nobody, but
        # `ne` of such a value matches everyone.
        return EVERYTHING if op is CompareOperator.ne else NOTHING
    if column.name == "id":
        return _id(op, value)
    if op is CompareOperator.ne:
        return ~_comparison(key, CompareOperator.eq, value)
    ignoring_case, exact = _TEXT_LOOKUPS[op]
    if column.name == "email":
        # Addresses are kept in lower case: an exact lookup of the lowered value uses the
        # organisation's unique index.
        value = value.lower()
        lookup = exact
    else:
        lookup = exact if column.case_exact else ignoring_case
    return Q(**{_lookup(column.name, lookup): value})


def _lookup(field: str, lookup: str) -> str:
    return field if lookup == "exact" else f"{field}__{lookup}"


def _constant(constant: Any, op: CompareOperator, value: Any) -> Q:
    if isinstance(constant, str) and isinstance(value, str):
        same = constant.lower() == value.lower()
    else:
        same = constant == value
    if op is CompareOperator.eq:
        return EVERYTHING if same else NOTHING
    if op is CompareOperator.ne:
        return NOTHING if same else EVERYTHING
    raise InvalidFilterException(detail=f"Only eq and ne compare this attribute ({value!r}).")


def _boolean(column: Column, op: CompareOperator, value: Any) -> Q:
    if not isinstance(value, bool) or op not in (CompareOperator.eq, CompareOperator.ne):
        raise InvalidFilterException(detail="A boolean attribute is compared with eq or ne.")
    wanted = value if op is CompareOperator.eq else not value
    if column.name == "kind":
        kind = ResourceKind.EXTERNAL_CONSULTANT if wanted else ResourceKind.EMPLOYEE
        return Q(kind=kind)
    # SCIM `active` is login access (R17): active in Seats, and allowed to sign in.
    signs_in = Q(active=True) & Q(login_access=True)
    return signs_in if wanted else ~signs_in


def _datetime(column: Column, op: CompareOperator, value: Any) -> Q:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidFilterException(detail=f"'{value}' is not a dateTime.") from None
    if op is CompareOperator.ne:
        return ~Q(**{column.name: moment})
    lookup = {
        CompareOperator.eq: "exact",
        CompareOperator.gt: "gt",
        CompareOperator.ge: "gte",
        CompareOperator.lt: "lt",
        CompareOperator.le: "lte",
    }.get(op)
    if lookup is None:
        raise InvalidFilterException(detail=f"{op.value} does not compare a dateTime.")
    return Q(**{_lookup(column.name, lookup): moment})


def _id(op: CompareOperator, value: str) -> Q:
    if op not in (CompareOperator.eq, CompareOperator.ne):
        raise InvalidFilterException(detail="An id is compared with eq or ne.")
    resource_id = ids.key_of(value, ids.RESOURCE)
    matched = Q(id=resource_id) if resource_id is not None else NOTHING
    return matched if op is CompareOperator.eq else ~matched
