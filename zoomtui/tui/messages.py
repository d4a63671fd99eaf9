"""Messages the app posts to its screens (the widgets define their own)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class RunUpdated(Message):
    """The shared aggregation run changed: started, progressed or finished.

    Progress updates replace each other in the queue, so a busy run never floods a screen.
    """

    def __init__(self, kind: str, progress: Any = None) -> None:
        super().__init__()
        self.kind = kind
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        return (
            isinstance(message, RunUpdated)
            and self.kind == "progress"
            and message.kind == "progress"
            and getattr(message.progress, "phase", None) == getattr(self.progress, "phase", None)
        )
