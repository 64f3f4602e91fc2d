"""Arguments checked as the signature says: the run-time half of every method's annotations.

A resource method is a plain function with annotations (``schema: str``,
``metadata: Mapping[str, MetadataValue] | None``, ``**options: Unpack[RequestOptions]``).
:func:`spec_of` reads them once, on a method's first use, and compiles them into

* a check run before anything is built or sent: an unknown keyword raises ``TypeError``
  naming the closest valid name, a value of the wrong type raises ``TypeError`` naming the
  argument, what it must be (as the annotation spells it) and what was given (its type
  only, never its value: arguments can be secrets);
* the :class:`inspect.Signature` users see in ``help()``, IDEs and ``inspect.signature``:
  the method's own parameters, then the per-call options spelled out.

Containers annotated as sequences, sets or mappings have their items checked; an argument
annotated ``Iterable`` is only checked to be one (the method reads it lazily and checks each
element as it reads it). Only the annotations the resources use are understood; anything
else fails loudly when the method is first used, so a new annotation cannot go unchecked.
"""

from __future__ import annotations

import inspect
import os
import types
import typing
from collections import abc
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Union, get_args, get_origin

import typing_extensions

from ._record import Record

__all__ = ["ArgumentSpec", "CLIENT_SETTING", "spec_of"]

Predicate = Callable[[object], bool]


class _ClientSetting:
    """The default shown for a per-call option that falls back to the client's setting."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<client setting>"


CLIENT_SETTING: Any = _ClientSetting()


def _anything(value: object) -> bool:
    return True


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_file_object(value: object) -> bool:
    return callable(getattr(value, "read", None))


_CONCRETE = (list, tuple, set, frozenset, abc.KeysView, abc.ValuesView)


def _items(item: Predicate, container: type | tuple[type, ...]) -> Predicate:
    if item is _anything:
        return lambda value: isinstance(value, container)

    def check(value: object) -> bool:
        if not isinstance(value, container):
            return False
        if isinstance(value, (str, bytes)):
            return True  # a string's items are strings; its own type was checked
        if not isinstance(value, _CONCRETE):
            return True  # an iterator is not consumed here; the method checks what it reads
        return all(item(v) for v in value)

    return check


def _mapping(key: Predicate, val: Predicate) -> Predicate:
    if key is _anything and val is _anything:
        return lambda value: isinstance(value, abc.Mapping)

    def check(value: object) -> bool:
        if not isinstance(value, abc.Mapping):
            return False
        return all(key(k) and val(v) for k, v in value.items())

    return check


def _typeddict(cls: Any) -> Predicate:
    hints = typing_extensions.get_type_hints(cls)
    fields = {name: predicate(tp) for name, tp in hints.items()}
    required = frozenset(getattr(cls, "__required_keys__", fields))

    def check(value: object) -> bool:
        if not isinstance(value, abc.Mapping) or not required <= value.keys():
            return False
        return all(k in fields and fields[k](v) for k, v in value.items())

    return check


def predicate(tp: Any) -> Predicate:
    """A function telling whether a value is of the (resolved) annotation ``tp``."""
    if isinstance(tp, typing_extensions.TypeAliasType):
        return predicate(tp.__value__)
    if tp is Any or tp is object:
        return _anything
    if tp is None or tp is type(None):
        return lambda value: value is None
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is typing_extensions.Annotated:
        return predicate(args[0])
    if origin is Union or origin is types.UnionType:
        options = [predicate(arg) for arg in args]
        if _anything in options:
            return _anything
        return lambda value: any(p(value) for p in options)
    if origin is Literal:
        allowed = frozenset((type(a), a) for a in args)

        def is_allowed(value: object) -> bool:
            try:
                return (type(value), value) in allowed
            except TypeError:  # unhashable, so not one of the literals
                return False

        return is_allowed
    if tp is bool:
        return lambda value: isinstance(value, bool)
    if tp is int:
        return _is_int
    if tp is float:
        return _is_number
    if tp in (str, bytes, datetime):
        return lambda value: isinstance(value, tp)
    if origin in (abc.Mapping, dict):
        return (
            _mapping(predicate(args[0]), predicate(args[1]))
            if args
            else _mapping(_anything, _anything)
        )
    if origin is tuple and args and args[-1] is not Ellipsis:
        parts = [predicate(arg) for arg in args]
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(parts)
            and all(p(v) for p, v in zip(parts, value, strict=True))
        )
    containers: dict[Any, type | tuple[type, ...]] = {
        abc.Sequence: abc.Sequence,
        list: list,
        tuple: tuple,
        abc.Collection: abc.Collection,
        abc.Set: abc.Set,
    }
    if origin in containers:
        return _items(predicate(args[0]) if args else _anything, containers[origin])
    # An Iterable is read lazily by the method, which checks each element as it reads it
    # (create_many reports a bad entry in its outcome): here only the container is checked.
    if origin is abc.Iterable:
        return lambda value: isinstance(value, abc.Iterable)
    if origin is abc.AsyncIterable:
        return lambda value: isinstance(value, abc.AsyncIterable)
    if origin is abc.Callable or tp is abc.Callable:
        return callable
    if origin is os.PathLike or tp is os.PathLike:
        return lambda value: isinstance(value, os.PathLike)
    if origin is typing.IO or tp is typing.IO:
        return _is_file_object
    if typing_extensions.is_typeddict(tp):
        return _typeddict(tp)
    if isinstance(tp, type):
        return lambda value: isinstance(value, tp)
    raise TypeError(f"numora: no run-time check for the annotation {tp!r}")


def _type_name(value: object) -> str:
    if value is None:
        return "None"
    cls = type(value)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def _offending_item(tp: Any, value: object) -> str:
    """Where inside a container the value went wrong, e.g. ``"['a'] is a list"`` (or "")."""
    for alias in get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,):
        option: Any = alias
        if isinstance(alias, typing_extensions.TypeAliasType):
            option = alias.__value__
        origin, args = get_origin(option), get_args(option)
        if origin in (abc.Mapping, dict) and args and isinstance(value, abc.Mapping):
            key_ok, val_ok = predicate(args[0]), predicate(args[1])
            for k, v in value.items():
                if not key_ok(k):
                    return f" with the key {k!r}" if isinstance(k, str) else " with a non-str key"
                if not val_ok(v):
                    return f" whose [{k!r}] is {_type_name(v)}"
        if origin in (abc.Sequence, list, tuple) and args:
            item_ok = predicate(args[0])
            if isinstance(value, _CONCRETE):
                for i, v in enumerate(value):
                    if not item_ok(v):
                        return f" whose item {i} is {_type_name(v)}"
    return ""


class ArgumentSpec(Record):
    """What one method accepts: its signature and the checks that enforce it.

    ``spelled`` maps each argument to its annotation as written (for messages),
    ``annotations`` to its resolved annotation.
    """

    __slots__ = ("annotations", "by_name", "positional", "qualname", "signature", "spelled")

    def __init__(
        self,
        *,
        qualname: str,
        signature: inspect.Signature,
        positional: tuple[tuple[str, Predicate], ...],
        by_name: dict[str, Predicate],
        spelled: dict[str, str],
        annotations: dict[str, Any],
    ) -> None:
        self.qualname = qualname
        self.signature = signature
        self.positional = positional
        self.by_name = by_name
        self.spelled = spelled
        self.annotations = annotations

    def check(self, args: tuple[object, ...], kwargs: dict[str, object]) -> None:
        """Raise ``TypeError`` for an unknown keyword or a value of the wrong type."""
        # Surplus positional arguments are left to Python's own error when the call is made.
        for (name, ok), value in zip(self.positional, args, strict=False):
            if not ok(value):
                raise self._wrong_type(name, value)
        if kwargs:
            by_name = self.by_name
            for name, value in kwargs.items():
                check = by_name.get(name)
                if check is None:
                    raise self._unknown(name)
                if not check(value):
                    raise self._wrong_type(name, value)

    def _unknown(self, name: str) -> TypeError:
        import difflib  # here: only a misspelt argument needs it, and it is slow to import

        close = difflib.get_close_matches(name, list(self.by_name), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        valid = ", ".join(self.by_name)
        return TypeError(
            f"{self.qualname}() got an unexpected keyword argument {name!r}{hint} "
            f"(it takes: {valid})"
        )

    def _wrong_type(self, name: str, value: object) -> TypeError:
        where = _offending_item(self.annotations[name], value)
        return TypeError(
            f"{self.qualname}() argument {name!r} must be {self.spelled[name]}, "
            f"got {_type_name(value)}{where}"
        )


def _spelled(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    return inspect.formatannotation(annotation)


def spec_of(function: Callable[..., Any], *, skip_first: bool, returns: Any) -> ArgumentSpec:
    """Compile the checks and the public signature of ``function``.

    ``skip_first`` drops ``self``; ``**options: Unpack[SomeOptions]`` is spelled out as
    keyword-only parameters whose default is the client's setting (or ``None``).
    ``returns`` is the return annotation users see (the result, not the request).
    """
    hints = typing_extensions.get_type_hints(function, include_extras=True)
    raw = dict(function.__annotations__)
    params: list[inspect.Parameter] = []
    positional: list[tuple[str, Predicate]] = []
    by_name: dict[str, Predicate] = {}
    spelled: dict[str, str] = {}
    annotations: dict[str, Any] = {}
    parameters = list(inspect.signature(function).parameters.values())
    if skip_first:
        parameters = parameters[1:]
    for param in parameters:
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            options = get_args(hints[param.name])[0]  # Unpack[RequestOptions] → the TypedDict
            option_hints = typing_extensions.get_type_hints(options)
            for name, tp in option_hints.items():
                default = CLIENT_SETTING if name in ("timeout", "max_retries") else None
                params.append(
                    inspect.Parameter(
                        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=tp
                    )
                )
                by_name[name] = predicate(tp)
                spelled[name] = _spelled(options.__annotations__[name])
                annotations[name] = tp
            continue
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            raise TypeError(f"{function.__qualname__}: *args cannot be checked")
        tp = hints[param.name]
        params.append(param.replace(annotation=tp))
        check = predicate(tp)
        by_name[param.name] = check
        spelled[param.name] = _spelled(raw[param.name])
        annotations[param.name] = tp
        if param.kind is not inspect.Parameter.KEYWORD_ONLY:
            positional.append((param.name, check))
    return ArgumentSpec(
        qualname=function.__qualname__,
        signature=inspect.Signature(params, return_annotation=returns),
        positional=tuple(positional),
        by_name=by_name,
        spelled=spelled,
        annotations=annotations,
    )
