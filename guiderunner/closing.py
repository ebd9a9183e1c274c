"""Closing: the one context-manager shape of things that must be closed.

Several stages hold a resource that has to be let go however a page ends (a bash parser,
a recording, a page's services, a page's life, the Docker ownership proxy). Each of them
was a context manager whose `__enter__` returned itself and whose `__exit__` closed it;
that shape lives here once, so a class only says what closing means.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """A context manager whose leaving is its `close()`, however the block was left.

    Subclasses define `close()`; one that must do work on entering overrides `__enter__`
    and returns `self`.

    >>> class Door(Closing):
    ...     def close(self) -> None:
    ...         print("closed")
    >>> with Door() as door:
    ...     isinstance(door, Door)
    True
    closed
    """

    __slots__ = ()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> object:
        """Let go of what the object holds; safe to call again once it is closed."""
        raise NotImplementedError
