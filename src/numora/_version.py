"""The SDK's version: the one place it is written.

The wheel's metadata reads it from here (``[tool.hatch.version]`` in pyproject.toml), and
the ``User-Agent`` header and ``numora --version`` show it. Cut a release by changing this
line (docs/releasing.md).
"""

__version__ = "0.1.0"
