"""What a run reports while it works: one event type for the CLI's stderr and the TUI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One progress event of a run, for the CLI's stderr and the TUI's progress panel."""

    phase: str
    done: int
    total: int | None
    message: str = ""
    waiting_s: float = 0.0
    left_s: float | None = None  # estimated seconds left in the run (services/eta.py)
