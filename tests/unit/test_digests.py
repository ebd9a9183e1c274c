"""The start's SHA-256 (guiderunner.digests) is hashlib's, byte for byte."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from guiderunner.digests import sha256


@given(st.binary(max_size=4096), st.binary(max_size=64))
def test_the_same_digest_as_hashlib(data, more):
    ours, theirs = sha256(data), hashlib.sha256(data)
    ours.update(more)
    theirs.update(more)
    assert (ours.hexdigest(), ours.digest()) == (theirs.hexdigest(), theirs.digest())


def test_a_known_digest():
    assert sha256(b"abc").hexdigest().startswith("ba7816bf8f01cfea414140de5dae2223")
