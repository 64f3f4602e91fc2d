"""The suite itself must not depend on when it runs (issue 12: a CI that never flakes).

A value computed at collection (inside ``@pytest.mark.parametrize``, a default argument or a
module-level constant) is as old as the whole run when its test finally uses it: a webhook
signed there fails as ``timestamp_out_of_tolerance`` once the suite takes over 300 s, which
happened on a busy machine. This scans every test module for clock reads and signing done at
collection; lambdas and function bodies run with their test and are fine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
NEVER_RUN = {"typing"}  # checked by the type checkers only (tests/typing/README.md)
# Calls that read the clock, or sign with it.
CLOCK_CALLS = frozenset(
    {"sign", "time", "time_ns", "now", "utcnow", "today", "monotonic", "perf_counter"}
)


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _clock_calls(node: ast.AST) -> Iterator[ast.Call]:
    """Calls evaluated when ``node`` is: not inside a lambda or a nested function."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(current, ast.Call) and _called(current) in CLOCK_CALLS:
            yield current
        stack.extend(ast.iter_child_nodes(current))


def _evaluated_at_collection(tree: ast.Module) -> Iterator[ast.AST]:
    """What runs when a test module is imported: module and class statements, decorators and
    default values (not function bodies)."""
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        statement = statements.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from statement.decorator_list
            yield from statement.args.defaults
            yield from (d for d in statement.args.kw_defaults if d is not None)
        elif isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            statements.extend(statement.body)
        else:
            yield statement


def test_no_test_signs_or_reads_the_clock_at_collection() -> None:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.relative_to(TESTS).parts[0] in NEVER_RUN:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in _evaluated_at_collection(tree):
            found += [
                f"{path.relative_to(TESTS)}:{call.lineno}: {ast.unparse(call)}"
                for call in _clock_calls(node)
            ]
    assert not found, "evaluated at collection, do it inside the test:\n" + "\n".join(found)


def test_the_scan_finds_signing_in_parametrize() -> None:
    # The check itself must be able to fail.
    tree = ast.parse(
        "import pytest\n"
        "@pytest.mark.parametrize('h', [webhooks.sign(b'{}', 'whsec_x')])\n"
        "def test_x(h): pass\n"
        "SIGNED_AT_IMPORT = sign(b'', 's')\n"
        "LATER = lambda: sign(b'', 's')\n"
    )
    calls = [c for node in _evaluated_at_collection(tree) for c in _clock_calls(node)]
    assert [c.lineno for c in sorted(calls, key=lambda c: c.lineno)] == [2, 4]
