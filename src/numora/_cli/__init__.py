"""The ``numora`` command line: ``numora sandbox``, ``numora documents …``, ``numora webhooks …``.

Only :mod:`argparse` is imported to parse the command line; each command loads the SDK (httpx,
pydantic, the fake) when it runs, so ``numora --help`` and ``numora --version`` stay instant.

Exit codes: 0 ok; 1 the API (or a webhook receiver) refused or could not be reached;
2 usage or configuration error; 3 webhook verification failed; 4 ``wait`` timed out;
130 ``documents upload`` was interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from numora._version import __version__

__all__ = [
    "EXIT_API",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "EXIT_VERIFY",
    "build_parser",
    "run",
]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_VERIFY = 3
EXIT_TIMEOUT = 4

Handler = Callable[[argparse.Namespace], int]

_EPILOG = """\
environment:
  NUMORA_API_KEY         the API key (sk_live_… or a sandbox sk_test_…)
  NUMORA_BASE_URL        your workspace's API host (`numora sandbox` prints a local one)
  NUMORA_WEBHOOK_SECRET  default --secret for `numora webhooks …`

exit codes: 0 ok, 1 API or network error, 2 usage or configuration error,
            3 webhook verification failed, 4 wait timed out, 130 upload interrupted
"""


def _command(
    group: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: str,
    help: str,
    parents: Sequence[argparse.ArgumentParser] = (),
) -> argparse.ArgumentParser:
    """A leaf command; ``handler`` is ``module:function``, imported only when it runs."""
    parser = group.add_parser(name, help=help, description=help, parents=list(parents))
    parser.set_defaults(handler=handler)
    return parser


def _api_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    common.add_argument("--base-url", metavar="URL", help="API host (default: $NUMORA_BASE_URL)")
    common.add_argument(
        "--api-key",
        metavar="KEY",
        help="API key (default: $NUMORA_API_KEY; prefer the env var: argv is visible to "
        "other local users)",
    )
    return common


def _add_documents(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    docs = commands.add_parser(
        "documents", help="create, inspect, review and dispatch documents"
    ).add_subparsers(title="commands", metavar="COMMAND", required=True)
    mod = "._documents:"

    create = _command(docs, "create", mod + "create", "submit a document", [common])
    create.add_argument("--schema", required=True, help="e.g. invoice_v2, receipt_v1")
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--file-url", metavar="URL", help="an https URL Numora fetches")
    source.add_argument("--file", metavar="PATH", help="a local file to upload")
    create.add_argument(
        "--external-id", metavar="ID", help="your id: makes a retry return the same document"
    )
    create.add_argument(
        "--metadata", metavar="KEY=VALUE", action="append", default=[], help="repeatable"
    )
    create.add_argument("--wait", action="store_true", help="then wait until it leaves processing")
    create.add_argument(
        "--deadline",
        "--timeout",
        dest="deadline",
        type=float,
        default=300.0,
        help="overall seconds for --wait (default 300; --timeout is the old name)",
    )

    upload = _command(
        docs, "upload", "._upload:upload", "upload files and folders in one batch", [common]
    )
    upload.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders to walk")
    upload.add_argument("--schema", required=True, help="e.g. invoice_v2, receipt_v1")
    upload.add_argument(
        "--concurrency", type=int, default=8, help="uploads in flight, 1-100 (default 8)"
    )
    upload.add_argument("--wait", action="store_true", help="also wait until each is extracted")
    upload.epilog = (
        "Each file gets an external_id derived from its bytes: running the same command "
        "again creates nothing twice and reports those files as already existing. "
        "Exit 0 when nothing failed, 1 otherwise."
    )

    listing = _command(docs, "list", mod + "list_", "list documents, newest first", [common])
    listing.add_argument("--status")
    listing.add_argument("--schema")
    listing.add_argument("--external-id", metavar="ID")
    listing.add_argument("--limit", type=int, default=20, help="page size, 1-100 (default 20)")
    listing.add_argument("--cursor", help="a next_cursor printed by an earlier list")
    listing.add_argument("--all", action="store_true", help="follow every page")

    for name, function, text in (
        ("get", "get", "show a document's status and fields"),
        ("result", "result", "show the extraction result"),
    ):
        _command(docs, name, mod + function, text, [common]).add_argument("document_id")

    wait = _command(docs, "wait", mod + "wait", "wait until a document reaches a status", [common])
    wait.add_argument("document_id")
    wait.add_argument(
        "--until",
        metavar="STATUS",
        action="append",
        help="repeatable (default: until it leaves processing)",
    )
    wait.add_argument(
        "--deadline",
        "--timeout",
        dest="deadline",
        type=float,
        default=300.0,
        help="overall seconds (default 300; --timeout is the old name)",
    )
    wait.add_argument("--interval", type=float, default=1.0, help="first poll interval (1 s)")

    approve = _command(docs, "approve", mod + "approve", "approve the extraction", [common])
    approve.add_argument("document_id")
    approve.add_argument(
        "--expected-updated-at",
        metavar="TIMESTAMP",
        help="refuse (409) if the document changed since this updated_at",
    )

    reject = _command(docs, "reject", mod + "reject", "reject the extraction", [common])
    reject.add_argument("document_id")
    reject.add_argument("--reason")
    reject.add_argument("--expected-updated-at", metavar="TIMESTAMP")

    dispatch = _command(
        docs, "dispatch", mod + "dispatch", "start delivery of a reviewed document", [common]
    )
    dispatch.add_argument("document_id")
    dispatch.add_argument("--provider", default="dynamics365", help="default dynamics365")


def _add_webhooks(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = commands.add_parser(
        "webhooks", help="send signed sample events, verify deliveries"
    ).add_subparsers(title="commands", metavar="COMMAND", required=True)
    mod = "._webhooks:"
    signing_help = "the endpoint's signing secret, whsec_… (default: $NUMORA_WEBHOOK_SECRET)"

    trigger = _command(
        hooks, "trigger", mod + "trigger", "POST a correctly signed sample event to a URL"
    )
    trigger.add_argument(
        "event_type",
        metavar="EVENT_TYPE",
        help="document.processing, document.review_required, document.reviewed, "
        "push.succeeded, push.failed or run.failed",
    )
    trigger.add_argument("--forward-to", metavar="URL", required=True, help="your receiver")
    trigger.add_argument("--secret", help=signing_help)
    trigger.add_argument("--document-id", metavar="ID", help="use this id in the sample data")
    trigger.add_argument("--json", action="store_true", help="print JSON (for scripts)")

    verify = _command(
        hooks,
        "verify",
        mod + "verify",
        "check a delivery's signature: valid, or which check failed",
    )
    verify.add_argument("--secret", action="append", help=signing_help + "; repeatable")
    verify.add_argument(
        "--headers",
        metavar="FILE",
        help="'Name: value' lines or a JSON object ('-' for stdin)",
    )
    verify.add_argument(
        "--body", metavar="FILE", help="the raw body, byte for byte ('-' for stdin)"
    )
    verify.add_argument(
        "--tolerance", type=float, default=300.0, help="seconds of clock skew (default 300)"
    )
    verify.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    verify.epilog = (
        "Without --headers and --body, stdin holds the whole request: header lines, an "
        "empty line, then the body (a leading 'POST /path HTTP/1.1' line is skipped)."
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``numora`` argument parser (no SDK import)."""
    parser = argparse.ArgumentParser(
        prog="numora",
        description="The Numora command line: a local sandbox, documents, and webhooks.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"numora {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    sandbox = _command(
        commands,
        "sandbox",
        "._sandbox:sandbox",
        "run a local fake Numora API and print the settings to use it",
    )
    sandbox.add_argument("--port", type=int, default=8765, help="0 picks a free port (8765)")
    sandbox.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    sandbox.add_argument(
        "--processing-delay",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="seconds a new document stays processing (default 2)",
    )
    sandbox.add_argument(
        "--dispatch-route",
        choices=("workflow", "n8n_executor"),
        default="workflow",
        help="how dispatched documents are pushed (default workflow)",
    )
    sandbox.add_argument("--quiet", action="store_true", help="do not log requests")

    _add_documents(commands, _api_options())
    _add_webhooks(commands)
    return parser


def _resolve(handler: str) -> Handler:
    module, _, function = handler.partition(":")
    found: Handler = getattr(import_module(module, __name__), function)
    return found


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), run the command, return the exit code."""
    try:
        args = build_parser().parse_args(argv)
        handler = _resolve(args.handler)
        from ._output import guarded

        return guarded(handler, args)
    except BrokenPipeError:
        # `numora documents list | head`: the reader left, which is not an error. Point
        # stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
