"""Fail unless two wheels hold the same files with the same bytes.

    python .ci/compare_wheels.py FROM_SDIST.whl DIRECT.whl

Used to prove that the sdist is complete: the wheel pip builds from it on a user's machine
is the wheel CI tested. Archive metadata (timestamps, order) does not count, content does.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path


def contents(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {
            info.filename: hashlib.sha256(archive.read(info)).hexdigest()
            for info in archive.infolist()
            if not info.is_dir()
        }


def main() -> int:
    first, second = (Path(arg) for arg in sys.argv[1:3])
    a, b = contents(first), contents(second)
    problems = [f"only in {first.name} from the sdist: {name}" for name in sorted(a.keys() - b)]
    problems += [f"only in the direct {second.name}: {name}" for name in sorted(b.keys() - a)]
    problems += [f"differs: {name}" for name in sorted(a.keys() & b) if a[name] != b[name]]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"the wheel built from the sdist equals the direct wheel ({len(a)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
