"""The ``numora`` logger. ``NUMORA_LOG=info|debug`` turns it on without touching your config.

What is logged: method, path, status, request id, retries and their delays. Never headers,
bodies, API keys or webhook secrets.
"""

from __future__ import annotations

import logging
import os

__all__ = ["setup_logging"]

logger = logging.getLogger("numora")
_configured = False


def setup_logging() -> None:
    """Apply ``NUMORA_LOG`` once per process (called when a client is created)."""
    global _configured  # noqa: PLW0603  (once per process, on purpose)
    if _configured:
        return
    _configured = True
    level = os.environ.get("NUMORA_LOG", "").strip().upper()
    if level not in ("DEBUG", "INFO"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
