"""The typing suite is checked by mypy and pyright, never executed by pytest."""

collect_ignore_glob = ["*.py"]
