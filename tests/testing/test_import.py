"""numora.testing costs nothing until it is used."""

from __future__ import annotations

import subprocess
import sys


def test_import_numora_does_not_load_the_fake() -> None:
    code = (
        "import sys, numora; numora.Numora; "
        "assert 'numora.testing' not in sys.modules, 'numora.testing was imported'; "
        "numora.testing.FakeNumora; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr
