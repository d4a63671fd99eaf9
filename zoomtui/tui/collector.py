"""When Python's cycle collector walks the TUI's long-lived objects: while nobody types.

Why: with a 100,000-user history the app holds 80,000–300,000 objects that live
as long as it does (Textual's screens and caches, the reclaim candidates, the diff),
and every full pass of the collector walked them all on whichever thread
allocated last: 0.1–0.6 s of the event loop per first visit of a screen
(``bench/tui_speed.py --breakdown``), and up to 2.4 s more in the reader threads,
which hold the GIL meanwhile. What a read brings back is frozen once it lands
(``gc.freeze``: the collector skips it; plain reference counting still frees it),
so the passes during keys only walk what is new; while a read runs there are no
automatic passes at all (for ``LONGEST_PAUSE_S`` at most: an export or a reclaim
apply runs long). The price of freezing: a cycle that dies after being frozen
stays until the next full pass, which runs once the operator has been quiet for
``QUIET_S`` (unfreeze, collect, freeze again); at exit the app unfreezes all.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from zoomtui.services.context import AppContext
from zoomtui.services.reader import Reader

P = ParamSpec("P")
T = TypeVar("T")

QUIET_S = 10.0
"""Seconds without a key, a click or the wheel before the full pass that frees frozen cycles."""

LONGEST_PAUSE_S = 30.0
"""Passes resume after this long even while reads go on (a reclaim apply lasts minutes).

An export of 100,000 users (12-16 s) stays under it: passes resumed after 5 s
walked its growing rows in the reader thread, stalling keys for up to 0.35 s.
"""


class Collector:
    """Freezes after reads, and runs the full pass in quiet time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._frozen_since_pass = False
        self._reads = 0
        self._paused_at = 0.0
        self.passes = 0

    def tick(self) -> None:
        """Called every few seconds on the loop: end a long pause, or run the quiet pass."""
        if self._reads and self._clock() - self._paused_at > LONGEST_PAUSE_S:
            gc.enable()  # a long job (an apply lasts minutes): its cycles are freed as usual
        self.collect_if_quiet()

    def reading(self) -> None:
        """A read starts: no automatic pass until it has landed and is frozen.

        What a read builds (rows as dicts and lists) survives every pass by design, so
        passes meanwhile only walked it again and again, holding the GIL: 0.2–0.7 s
        of a Seats or Reclaim visit. Passes resume once the result is frozen.
        """
        if self._reads == 0:
            gc.disable()
            self._paused_at = self._clock()
        self._reads += 1

    def landed(self) -> None:
        """A read has ended (answered, failed or dropped): freeze, then let passes run."""
        self._reads -= 1
        self.freeze()
        if self._reads == 0:
            gc.enable()

    def freeze(self) -> None:
        """What exists now is long-lived: keep the collector's passes off it."""
        gc.freeze()
        self._frozen_since_pass = True

    def input_seen(self) -> None:
        self._last_input = self._clock()

    def quiet_for(self) -> float:
        """Seconds since the operator's last key, click or scroll (or since the app started)."""
        return self._clock() - self._last_input

    def collect_if_quiet(self) -> bool:
        """The full pass, if something was frozen since the last and nobody is typing."""
        if not self._frozen_since_pass or self._clock() - self._last_input < QUIET_S:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._frozen_since_pass = False
        self.passes += 1
        return True

    def close(self) -> None:
        """The app ends: its objects go back to the collector (tests run many apps)."""
        gc.unfreeze()
        if self._reads:
            self._reads = 0
            gc.enable()


class FreezingReader(Reader):
    """The app's ``Reader``, freezing what each read brought back once it lands on the loop."""

    def __init__(self, context: Callable[[], AppContext], collector: Collector) -> None:
        super().__init__(context)
        self._collector = collector

    def start(
        self, fn: Callable[Concatenate[AppContext, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> asyncio.Future[T]:
        """Every read, awaited at once or later (``Reader.__call__`` starts it here too)."""
        self._collector.reading()
        future = super().start(fn, *args, **kwargs)
        future.add_done_callback(lambda _done: self._collector.landed())  # answered or dropped
        return future


def collector_of(app: object) -> Collector | None:
    """The app's collector, if it has one (a ``ZoomApp``; not a test's bare Textual app)."""
    collector = getattr(app, "collector", None)
    return collector if isinstance(collector, Collector) else None
