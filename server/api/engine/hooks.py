"""The schema extensions' hooks, run at every stage of every operation, for less.

Strawberry's runner finds each extension's hook anew at every stage of every request: it looks
the method up, asks `inspect` what kind of function it is, wraps it in a new context manager
function (copying its name and docstring) and enters it through an async exit stack. For a
query like `seats` that was about a third of executing it.

`QuickHooks` is that runner (the schema hands it over through `Schema.create_extensions_runner`)
with the look-up done once per extension class and stage. A stage whose hooks are all plain
generator functions (`def on_parse(self): ...; yield`, the usual kind and all of ours) is run
by `Stage`: each hook entered in order through contextlib's own context manager, and left in
reverse order; when anything raises, the leaving is handed to contextlib's ExitStack, so that
errors go through the hooks exactly as with strawberry's runner (which, like this one, lets an
error go on even when a hook swallows it). A stage with any other kind
of hook (async generators, plain or async functions) is left to strawberry's runner.
`tests/test_api_one_path.py` runs both on the same hooks and compares what happens.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner

from server.api.engine.bounded import Bounded

# A stage's hooks of one extension class: a context manager factory taking the extension,
# None when the class keeps the default hook, OTHER when strawberry's runner must run it.
OTHER = object()
# By (extension class, stage): a schema has a handful of extension classes; bounded all the
# same, like every cache of the engine.
_hooks: Bounded = Bounded(128)
_UNKNOWN = object()


def _hook(cls: type, stage: str) -> Any:
    key = (cls, stage)
    found = _hooks.get(key, _UNKNOWN)
    if found is not _UNKNOWN:
        return found
    function = getattr(cls, stage)
    if function is getattr(SchemaExtension, stage):
        found = None
    elif inspect.isgeneratorfunction(function):
        found = contextlib.contextmanager(function)
    else:
        found = OTHER
    _hooks[key] = found
    return found


class Stage:
    """The hooks of one stage: entered in order, left in reverse order."""

    __slots__ = ("entered", "factories")

    def __init__(self, factories: list[tuple[Callable[[Any], Any], SchemaExtension]]) -> None:
        self.factories = factories
        self.entered: list[Any] = []

    def __enter__(self) -> None:
        # As ExitStack's entering: a hook that raises leaves the ones before it entered.
        entered = self.entered
        for factory, extension in self.factories:
            manager = factory(extension)
            manager.__enter__()
            entered.append(manager)

    def __exit__(self, exc_type: Any, exc: BaseException | None, traceback: Any) -> bool:
        entered = self.entered
        if exc is None:
            for index in range(len(entered) - 1, -1, -1):
                try:
                    entered[index].__exit__(None, None, None)
                except BaseException as error:
                    # The hooks still to leave see the error, as in an ExitStack.
                    if not _exit_stack(entered[:index], type(error), error, error.__traceback__):
                        raise
                    return False
            return False
        # As strawberry's runner: a hook that swallows the error does not stop it (the hooks
        # before it do not see it any more, the caller does).
        _exit_stack(entered, exc_type, exc, traceback)
        return False

    async def __aenter__(self) -> None:
        self.__enter__()

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, traceback: Any) -> bool:
        return self.__exit__(exc_type, exc, traceback)


def _exit_stack(managers: list[Any], exc_type: Any, exc: Any, traceback: Any) -> bool:
    stack = contextlib.ExitStack()
    for manager in managers:
        stack.push(manager)
    return stack.__exit__(exc_type, exc, traceback)


class QuickHooks(SchemaExtensionsRunner):
    """Strawberry's runner, with the generator hooks of a stage run by `Stage`."""

    def _stage(self, stage: str) -> Stage | None:
        factories = []
        for extension in self.extensions:
            factory = _hook(type(extension), stage)
            if factory is None:
                continue
            if factory is OTHER:
                return None
            factories.append((factory, extension))
        return Stage(factories)

    def operation(self) -> Any:
        return self._stage("on_operation") or super().operation()

    def parsing(self) -> Any:
        return self._stage("on_parse") or super().parsing()

    def validation(self) -> Any:
        return self._stage("on_validate") or super().validation()

    def executing(self) -> Any:
        return self._stage("on_execute") or super().executing()
