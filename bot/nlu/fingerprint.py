"""A fingerprint of this package's source, so Rasa retrains our components when it changes.

Rasa's training cache keys a component by its class's own source (``inspect.getsource``), its
config and its inputs. Our components lean on module-level helpers (the linear model's
``_model``, placeholders, slipped copies, rare words, the typo corrector's word list): without
this, a change there kept the old trained component and `make train` served a stale model.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent


def source_digest(package: Path = PACKAGE) -> str:
    """SHA-256 over the names and contents of the package's Python files."""
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class PackageFingerprint:
    """Mixin for our graph components: their cache key includes ``source_digest()``."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return source_digest()
