"""``python -m numora`` and the ``numora`` console script; see ``numora --help``."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``numora`` command line with ``argv`` (default ``sys.argv[1:]``).

    Returns the exit code: 0 ok, 1 API or network error, 2 usage or configuration error,
    3 webhook verification failed, 4 a wait timed out.
    """
    from numora._cli import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
