"""The state key: a random secret, generated at first start, for the keyed hashes that stand in for people.

Takes: the state file's folder. Gives: ``load_key`` (reads ``<folder>/state.key``, creating it 0600 with 32
random bytes when missing), ``new_key`` (replaces it atomically: every hash made with the old key stops
matching anyone) and ``keyed_hash`` (HMAC-SHA256 of its parts, 32 hex digits). There is no built-in default:
without this file nobody, the operator included, can tell whose a hash is.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

from .schema import StateError

log = logging.getLogger(__name__)

KEY_FILE = "state.key"
KEY_BYTES = 32


def key_path(folder: Path) -> Path:
    return folder / KEY_FILE


def load_key(folder: Path) -> bytes:
    """The key in ``folder``, created on first use; StateError when the file is not a key."""
    path = key_path(folder)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")
    log.info("%s: new state key generated", path)
    return _read(path)


def _read(path: Path) -> bytes:
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)
        log.warning("%s: was readable by others; now owner-only (0600)", path)
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise StateError(path, f"not a state key ({2 * KEY_BYTES} hex digits expected); delete it to make a new "
                               "one (past votes can then no longer be told apart)")
    return key


def new_key(folder: Path) -> bytes:
    """Replace the key with a fresh one (written to a 0600 temp file, then renamed over the old one)."""
    path = key_path(folder)
    temp = path.with_name(f".{KEY_FILE}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")
    os.replace(temp, path)
    return _read(path)


def keyed_hash(key: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts (joined by NUL), as 32 hex digits."""
    return hmac.new(key, "\0".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()[:32]
