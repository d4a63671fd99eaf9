"""Messages the app posts to its screens about the shared aggregation run.

The run controller publishes one of these on its Textual ``Signal``; every
screen subscribed to it gets the event posted as a message, so a screen
handles ``on_run_started`` / ``on_run_progress`` / ``on_run_logged`` /
``on_run_finished`` with typed fields instead of one message with a ``kind``
string and an ``Any`` payload.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from zoomtui.services.aggregate import Progress, RunResult


class RunEvent(Message):
    """The shared aggregation run changed (base of the four events below)."""


@dataclass(eq=False)
class RunStarted(RunEvent):
    """A run started (``full``: a full run, every user's settings read again)."""

    full: bool


@dataclass(eq=False)
class RunProgress(RunEvent):
    """One phase of the running run moved on.

    Progress of one phase replaces the one still queued, so a busy run never floods a screen.
    """

    progress: Progress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RunProgress) and message.progress.phase == self.progress.phase


@dataclass(eq=False)
class RunLogged(RunEvent):
    """A line was added to the run log (``RunState.log``)."""

    line: str


@dataclass(eq=False)
class RunFinished(RunEvent):
    """The run ended: ``result`` when it recorded a run, else ``error`` says why not."""

    result: RunResult | None
    error: str | None
