"""The exported schema is the one served, and every part of it is described."""

from __future__ import annotations

import subprocess
import sys
from enum import StrEnum
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType

from server.accounts.models import Role, Scope
from server.api import enums
from server.api.schema import export_schema, schema

ROOT = Path(__file__).resolve().parent.parent


def test_schema_graphql_is_current():
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == export_schema(), "schema.graphql is out of date: run `make schema`"


def test_the_cli_prints_the_same_schema():
    printed = subprocess.run(
        [sys.executable, "-m", "server", "export-schema"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert printed == export_schema()


def test_every_type_field_and_argument_has_a_description():
    missing = []
    for name, kind in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        elif isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
        elif isinstance(kind, GraphQLUnionType):
            pass
    assert missing == []


def test_the_api_enums_are_the_model_enums_each_member_described():
    """One definition of each enum: the API exposes the domain's own, and a member without a
    description (or a description without its member) is refused when the schema is built."""
    assert enums.Role is Role and enums.Scope is Scope

    class Colour(StrEnum):
        RED = "RED"
        BLUE = "BLUE"

    with pytest.raises(TypeError, match="BLUE"):
        enums.exposed(Colour, "Colours.", RED="Red.")
    with pytest.raises(TypeError, match="GREEN"):
        enums.exposed(Colour, "Colours.", RED="Red.", BLUE="Blue.", GREEN="Green.")
