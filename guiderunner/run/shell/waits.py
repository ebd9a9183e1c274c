"""Which file descriptors a process asleep in poll() or select() is waiting on.

A process asleep in poll or select with the terminal as its stdin is not necessarily waiting
for the terminal: `curl` polls its socket, with stdin left on the terminal. So the runner
reads the arguments of the call (/proc/PID/syscall) and the descriptor sets they point to
(/proc/PID/mem): only a process that watches the terminal itself is waiting for a reader.
"""

from __future__ import annotations

import struct
from pathlib import Path

POLL = {"7", "271"}
"""poll and ppoll (x86-64): an array of `struct pollfd` and its length."""
SELECT = {"23", "270"}
"""select and pselect6: the highest descriptor + 1, then the read set."""
POLLIN = 0x0001
POLLFD = struct.Struct("ihh")


def watched(pid: int) -> list[int] | None:
    """Descriptors the process waits to read, or None when it is in neither call (or hidden).

    >>> watched(0) is None
    True
    """
    try:
        call = Path(f"/proc/{pid}/syscall").read_text().split()
        if not call or call[0] not in POLL | SELECT:
            return None
        first, second = int(call[1], 16), int(call[2], 16)
        if call[0] in POLL:
            return _polled(pid, address=first, count=second)
        return _selected(pid, highest=first, address=second)
    except (OSError, ValueError, IndexError, struct.error):
        return None


def _polled(pid: int, *, address: int, count: int) -> list[int]:
    raw = _memory(pid, address, POLLFD.size * min(count, 4096))
    entries = (POLLFD.unpack_from(raw, n * POLLFD.size) for n in range(len(raw) // POLLFD.size))
    return [fd for fd, events, _ in entries if fd >= 0 and events & POLLIN]


def _selected(pid: int, *, highest: int, address: int) -> list[int]:
    if address == 0:
        return []
    bits = int.from_bytes(_memory(pid, address, (min(highest, 65536) + 7) // 8), "little")
    return [fd for fd in range(highest) if bits >> fd & 1]


def _memory(pid: int, address: int, size: int) -> bytes:
    with Path(f"/proc/{pid}/mem").open("rb", buffering=0) as memory:
        memory.seek(address)
        return memory.read(size)
