"""Turning exceptions into the one sentence the operator reads."""

from __future__ import annotations


def error_text(exc: BaseException) -> str:
    """The one sentence an exception carries (our errors have ``.message``)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]  # a task group's first failure says what went wrong
    message = getattr(exc, "message", None)
    return str(message) if message else f"{type(exc).__name__}: {exc}"
