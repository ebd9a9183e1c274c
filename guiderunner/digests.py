"""SHA-256 without importing hashlib: loading OpenSSL for it is 3-4 ms of every start.

A warm start takes a few digests (the settings' and the page's memos, the pages' content
hashes); hashlib loads OpenSSL's library to give them. The standard library does the same for
its own start (random.py takes `_sha512` before hashlib): the interpreter's built-in module
when it has one, hashlib otherwise. The digests are the same (tests/unit/test_digests.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["sha256"]

if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # Python 3.12 and later
        except ImportError:  # an interpreter built without them
            from hashlib import sha256
