"""Issue 11: the fast executor's guards.

The fast executor (server/api/engine/fast.py) answers plain fields from a kept plan. Four
guards send a field or an object to the reference executor instead; each test here fails when
its guard is taken out, because the fast answer then differs from the reference executor's:

1. a field with permissions is never plain (R11: a permission on a field must hold on every
   path, or the first `permission_classes` on a plain field would leak through the plan);
2. resolver middleware (a schema extension with `resolve`) sees every field;
3. an object that is not of the type the schema expects (its `is_type_of` says no, or it is
   another Python type) is completed by the reference executor, with its errors and paths;
4. a scalar that serializes to null, or raises, is the reference executor's error (R14).

Small schemas of their own, no database. Each query is run on the same schema twice: with
the fast executor and with the reference one.
"""

from __future__ import annotations

from typing import Annotated, Any, NewType

import pytest
import strawberry
from graphql.execution.executor import Executor
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.schema.config import StrawberryConfig

from server.api.engine.fast import FastExecutor


def schemas(query: type, **kwargs: Any) -> tuple[strawberry.Schema, strawberry.Schema]:
    """The same schema on the fast executor and on the reference one."""
    fast = strawberry.Schema(query=query, execution_context_class=FastExecutor, **kwargs)
    return fast, strawberry.Schema(query=query, **kwargs)


async def answer(schema: strawberry.Schema, query: str) -> tuple[Any, list]:
    result = await schema.execute(query)
    errors = sorted((error.message, tuple(error.path or ())) for error in result.errors or [])
    return result.data, errors


async def both(query_type: type, query: str, **kwargs: Any) -> tuple[Any, Any]:
    kwargs.setdefault("config", StrawberryConfig(scalar_map={Code: CODE}))
    fast, reference = schemas(query_type, **kwargs)
    return await answer(fast, query), await answer(reference, query)


# 1. Permissions on a plain field.


class NobodyMaySee(BasePermission):
    message = "You may not see this code"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Locker:
    label: str
    code: str | None = strawberry.field(permission_classes=[NobodyMaySee])


@strawberry.type
class Room:
    name: str
    locker: Locker


@strawberry.type
class LockerQuery:
    @strawberry.field
    def locker(self) -> Locker:
        return Locker(label="L1", code="4711")

    @strawberry.field
    def room(self) -> Room:
        return Room(name="Hall", locker=Locker(label="L2", code="4712"))


@pytest.mark.parametrize(
    "query",
    ["{ locker { label code } }", "{ room { name locker { label code } } }"],
    ids=["under-a-resolver", "in-a-plain-object"],
)
async def test_a_field_with_permissions_is_never_answered_by_the_plan(query):
    """Issue 11 guard 1 (R11): the permission is asked on the fast path too; the code
    never leaks, and the refusal is the reference executor's error at the same path."""
    fast, reference = await both(LockerQuery, query)
    assert fast == reference
    assert "471" not in repr(fast[0])
    assert [message for message, _ in fast[1]] == ["You may not see this code"]


# 2. Resolver middleware.


class Shouting(SchemaExtension):
    """Resolver middleware: every string answer in capitals."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        return result.upper() if isinstance(result, str) else result


@strawberry.type
class Owner:
    name: str


@strawberry.type
class Pen:
    colour: str
    owner: Owner


@strawberry.type
class PenQuery:
    @strawberry.field
    def pens(self) -> list[Pen]:
        return [
            Pen(colour="blue", owner=Owner(name="ada")),
            Pen(colour="red", owner=Owner(name="bo")),
        ]


async def test_resolver_middleware_sees_every_plain_field():
    """Issue 11 guard 2: with a schema extension that resolves, no field is planned."""
    fast, reference = await both(
        PenQuery, "{ pens { colour owner { name } } }", extensions=[Shouting]
    )
    assert fast == reference
    assert fast[0] == {
        "pens": [
            {"colour": "BLUE", "owner": {"name": "ADA"}},
            {"colour": "RED", "owner": {"name": "BO"}},
        ]
    }


# 3. An object of another type than the schema expects.


@strawberry.type
class Badge:
    number: int

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, Badge) and obj.number > 0


@strawberry.type
class Tag:
    text: str


class Label:
    """Not a Tag: a resolver returning the wrong thing."""

    def __init__(self, words: str) -> None:
        self.words = words


@strawberry.type
class Member:
    name: str
    badge: Badge | None
    tag: Tag | None


@strawberry.type
class MemberQuery:
    @strawberry.field
    def members(self) -> list[Member]:
        return [
            Member(name="good", badge=Badge(number=7), tag=Tag(text="t")),
            Member(name="refused", badge=Badge(number=-1), tag=Tag(text="t")),
            Member(name="wrong type", badge=None, tag=Label("not a tag")),
        ]

    @strawberry.field
    def tag(self) -> Tag | None:
        return Label("not a tag")


async def test_an_object_its_is_type_of_refuses_is_the_reference_error():
    """Issue 11 guard 3: a type with `is_type_of` is not planned, so a refused object is the
    reference executor's error at its own path, not an answer."""
    fast, reference = await both(MemberQuery, "{ members { name badge { number } } }")
    assert fast == reference
    assert fast[0]["members"][1] == {"name": "refused", "badge": None}
    assert [path for _, path in fast[1]] == [("members", 1, "badge")]


@pytest.mark.parametrize(
    "query",
    ["{ members { name tag { text } } }", "{ tag { text } }"],
    ids=["in-a-plain-object", "under-a-resolver"],
)
async def test_an_object_of_another_python_type_is_the_reference_error(query):
    """Issue 11 guard 3: an object that is not of the field's type is read field by field by
    the reference executor: the error is at the field that cannot be read (`text`), not at
    the object or the resolver above it."""
    fast, reference = await both(MemberQuery, query)
    assert fast == reference
    assert len(fast[1]) == 1 and fast[1][0][1][-1] == "text"


@strawberry.interface
class Animal:
    name: str


@strawberry.type
class Dog(Animal):
    barks: bool


@strawberry.type
class Cat(Animal):
    purrs: bool


@strawberry.type
class Stone:
    name: str


@strawberry.type
class Home:
    pet: Animal | None
    dog: Dog | None
    any: Annotated[Cat | Stone, strawberry.union("CatOrStone")] | None


@strawberry.type
class HomeQuery:
    @strawberry.field
    def homes(self) -> list[Home]:
        return [
            Home(pet=Dog(name="rex", barks=True), dog=Dog(name="fido", barks=False), any=None),
            Home(pet=Stone(name="rock"), dog=Stone(name="pebble"), any=Stone(name="flint")),
            Home(
                pet=Cat(name="tom", purrs=True),
                dog=Cat(name="kit", purrs=True),
                any=Dog(name="odd", barks=True),
            ),
        ]


async def test_abstract_and_interface_typed_fields_are_the_reference_answer():
    """Issue 11 guard 3: fields of an interface or union type, and objects of a type with
    interfaces (strawberry gives those an `is_type_of`), are left to the reference executor:
    a value of a type not in the field's type is its error; a type that is an `Animal` of
    another kind is what the reference executor makes of it."""
    query = (
        "{ homes { pet { __typename name ... on Dog { barks } ... on Cat { purrs } }"
        " dog { name barks } any { __typename ... on Stone { name } } } }"
    )
    fast, reference = await both(HomeQuery, query)
    assert fast == reference
    assert fast[0]["homes"][0] == {
        "pet": {"__typename": "Dog", "name": "rex", "barks": True},
        "dog": {"name": "fido", "barks": False},
        "any": None,
    }
    paths = {path for _, path in fast[1]}
    assert {("homes", 1, "pet"), ("homes", 1, "dog"), ("homes", 2, "dog", "barks")} <= paths


# 4. A scalar that serializes to null or raises.


def serialize_code(value: str) -> str | None:
    if value == "broken":
        raise ValueError("this code cannot be written")
    return None if value == "void" else value.upper()


Code = NewType("Code", str)
CODE = strawberry.scalar(
    name="Code", description="A code.", serialize=serialize_code, parse_value=str
)


@strawberry.type
class Part:
    name: str
    code: Code
    spare: Code | None


@strawberry.type
class PartQuery:
    @strawberry.field
    def parts(self) -> list[Part | None]:
        return [
            Part(name="fine", code="ab", spare="cd"),
            Part(name="void spare", code="ab", spare="void"),
            Part(name="void code", code="void", spare="cd"),
            Part(name="broken", code="broken", spare=None),
        ]


async def test_a_scalar_serialized_to_null_or_raising_is_the_reference_error():
    """Issue 11 guard 4 (R14): a serializer's null is an error even in a nullable field, a
    null in a non-null one nulls its object, and a raising serializer is an error at its
    field, exactly as on the reference executor."""
    fast, reference = await both(PartQuery, "{ parts { name code spare } }")
    assert fast == reference
    assert fast[0]["parts"][2:] == [None, None]
    assert {path for _, path in fast[1]} == {
        ("parts", 1, "spare"),
        ("parts", 2, "code"),
        ("parts", 3, "code"),
    }


async def test_a_serializer_null_in_a_nullable_field_is_the_reference_error():
    """Issue 11 guard 4: the nullable field alone, so the non-null check cannot stand in."""
    fast, reference = await both(PartQuery, "{ parts { name spare } }")
    assert fast == reference
    assert fast[0]["parts"][1] == {"name": "void spare", "spare": None}
    assert [path for _, path in fast[1]] == [("parts", 1, "spare")]


async def test_plain_objects_are_planned_here(resolved_fields):
    """The schemas above do take the fast path where no guard applies: the plan reads the
    attributes without the reference executor's resolvers."""
    fast, _ = schemas(PenQuery)
    result = await fast.execute("{ pens { colour owner { name } } }")
    assert result.errors is None and resolved_fields == ["PenQuery.pens"]


async def test_a_list_a_resolver_returns_is_planned_whole(monkeypatch):
    """A resolver's list of plain objects is completed by the plan in one go, as a plain list
    field is: no item goes through the reference executor's completion, which costs several
    microseconds an item (the 10 000 lines of a busy organisation's next invoice). The guards
    above hold for such lists too: `members` and `parts` come from resolvers."""
    items: list[int] = []
    complete_item = Executor.complete_list_item_value

    def recording(self, *args, **kwargs):
        items.append(1)
        return complete_item(self, *args, **kwargs)

    monkeypatch.setattr(Executor, "complete_list_item_value", recording)
    fast, reference = schemas(PenQuery)
    query = "{ pens { colour owner { name } } }"
    result = await fast.execute(query)
    assert result.errors is None and items == []
    expected = await reference.execute(query)
    assert expected.data == result.data and len(items) == 2
