"""Timing keys in a running Textual app without Pilot's idle waits, for ``tui_speed.py``.

Why not ``pilot.press`` + ``pilot.pause``: both wait for the *process* to look idle
(``textual._wait.wait_for_idle``: 20 ms sleeps until a slice uses under 1 ms of CPU,
up to a second), so a reader thread at work kept a key "unanswered" for up to a
second per wait, and every key carried at least 60 ms of sleeps. Here a key event is
sent as the terminal driver sends it, and the app is polled every 2 ms:

- ``answer_ms``: until the key is handled and the screen painted (no message queued
  on the app or the current screen's widgets, no layout, repaint or style refresh
  pending, two polls in a row), timed at the last frame the app displayed;
- ``first_frame_ms``: until the first frame the app displayed after the key, of the
  screen or dialog it ends on (when the operator first sees it answered: a dialog
  drawn, before the frames that follow for a focus ring, a scrollbar or the
  palette's list), or ``answer_ms`` when the key changed nothing shown;
- ``data_ms``: the same, and no worker of the app still running (reads, navigation);
- ``waited_ms``: until the app was calm with no worker running (what the loop CPU
  and the stalls cover; a worker may run on after the last frame);
- ``loop_cpu_ms``: CPU time of the event-loop thread meanwhile, the polls' own
  excluded (less sensitive to the machine's load than the wall times);
- ``loop_stall_ms`` / ``loop_blocked_ms``: the longest late wake-up of a 10 ms ticker
  in the loop, and the sum of all of them (the loop busy, keys unanswered).

``Breakdown`` (``--breakdown``) adds, per key, the loop CPU spent inside a few of
Textual's own steps (inclusive, so they overlap): CSS re-parse, style application,
layout, painting, DataTable row measuring, and the
garbage collector's passes run on the loop's thread.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.worker import WorkerState

POLL_S = 0.002
TICK_S = 0.010


class Ticker:
    """A task in the app's loop that wakes every 10 ms and keeps its late wake-ups."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.total = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def reset(self) -> tuple[float, float]:
        """(longest, summed) lateness in ms since the last reset."""
        out = (round(self.worst * 1000, 1), round(self.total * 1000, 1))
        self.worst = self.total = 0.0
        return out

    async def _tick(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(TICK_S)
            late = max(0.0, time.perf_counter() - t - TICK_S)
            self.worst = max(self.worst, late)
            self.total += late

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


class Frames:
    """When the app last put a frame on the (headless) terminal."""

    def __init__(self, app: App[Any]) -> None:
        self.last = time.perf_counter()
        self.before: Any = None  # the screen shown when ``timed_key`` sent its key
        self.first: float | None = None  # its first frame since
        self.first_new: float | None = None  # the first frame of another screen (a dialog)
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            self.last = time.perf_counter()
            if renderable is None or app._batch_count:
                return
            if self.first is None:
                self.first = self.last
            if self.first_new is None and screen is not self.before:
                self.first_new = self.last

        app._display = display  # type: ignore[method-assign]


def send_key(app: App[Any], key: str) -> None:
    """Send ``key`` as the terminal driver does (what ``Pilot.press`` sends, no waits)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        name = _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        char: str | None = unicodedata.lookup(name)
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


def _settled(app: App[Any]) -> bool:
    """Nothing queued or pending on the app and the current screen's widgets."""
    nodes: Iterator[Any] = iter([app])
    with suppress(Exception):
        nodes = iter([app, *app.screen.walk_children(with_self=True)])
    for node in nodes:
        if node._pending_message is not None or not node._message_queue.empty():
            return False
        for flag in ("_layout_required", "_repaint_required", "_scroll_required"):
            # A widget off screen (a hidden field) keeps its repaint request forever.
            if getattr(node, flag, False) and (node is app or node.is_on_screen):
                return False
        if getattr(node, "_refresh_styles_required", False) or getattr(node, "_dirty_widgets", ()):
            return False
    return True


def _working(app: App[Any], ignore: str) -> bool:
    return any(
        w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        for w in app.workers
        if not (ignore and w.group.startswith(ignore))
    )


async def timed_key(
    app: App[Any],
    frames: Frames,
    ticker: Ticker,
    key: str,
    *,
    ignore_workers: str = "",
    timeout: float = 120.0,
) -> dict[str, float]:
    """Send ``key`` and time it (see the module docstring); ms, rounded to 0.1.

    The stall figures cover the time since the ticker's last reset (``settle`` resets it).
    """
    start = time.perf_counter()
    cpu = time.thread_time()
    polling = 0.0
    answered: float | None = None
    calm = 0
    frames.before, frames.first, frames.first_new = app.screen, None, None
    send_key(app, key)
    while time.perf_counter() - start < timeout:
        await asyncio.sleep(POLL_S)
        p = time.thread_time()
        settled = _settled(app)
        working = _working(app, ignore_workers)
        polling += time.thread_time() - p
        calm = calm + 1 if settled else 0
        if calm < 2:
            continue
        now = time.perf_counter()
        if answered is None:  # the last frame, or now when the key changed nothing shown
            answered = (frames.last if frames.last > start else now) - start
        if not working:
            break
    data = (frames.last if frames.last > start else time.perf_counter()) - start
    waited = time.perf_counter() - start
    loop_cpu = time.thread_time() - cpu - polling
    stall, blocked = ticker.reset()
    answer = answered if answered is not None else data
    first_at = frames.first if app.screen is frames.before else frames.first_new
    first = answer if first_at is None else min(first_at - start, answer)
    return {
        "answer_ms": round(answer * 1000, 1),
        "first_frame_ms": round(first * 1000, 1),
        "data_ms": round(data * 1000, 1),
        "loop_cpu_ms": round(loop_cpu * 1000, 1),
        "waited_ms": round(waited * 1000, 1),
        "loop_stall_ms": stall,
        "loop_blocked_ms": blocked,
    }


async def settle(app: App[Any], frames: Frames, ticker: Ticker) -> None:
    """Wait until the app is calm and no worker runs (between measurements)."""
    start = time.perf_counter()
    calm = 0
    while calm < 3 and time.perf_counter() - start < 120:
        await asyncio.sleep(POLL_S * 5)
        calm = calm + 1 if _settled(app) and not _working(app, "") else 0
    ticker.reset()


class Breakdown:
    """Loop CPU inside some of Textual's steps, per measured key (inclusive times)."""

    STEPS = (
        ("textual.app", "App", "refresh_css", "css re-parse and restyle of every screen"),
        ("textual.css.stylesheet", "Stylesheet", "parse", "css parse"),
        ("textual.css.stylesheet", "Stylesheet", "apply", "style application"),
        ("textual.app", "App", "update_styles", "restyle after a class change"),
        ("textual.screen", "Screen", "_refresh_layout", "layout"),
        ("textual.screen", "Screen", "_compositor_refresh", "paint"),
        ("textual.widgets._data_table", "DataTable", "add_row", "DataTable.add_row"),
        ("textual.widgets._data_table", "DataTable", "_update_dimensions", "DataTable measure"),
    )

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()
        self._depth: Counter[str] = Counter()
        self._gc_start = 0.0
        gc.callbacks.append(self._gc)
        import importlib

        for module, cls_name, name, label in self.STEPS:
            cls = getattr(importlib.import_module(module), cls_name)
            setattr(cls, name, self._wrap(getattr(cls, name), label))

    def _gc(self, phase: str, _info: dict[str, Any]) -> None:
        """Python's cycle collector, when the loop's thread runs it (it stops every thread)."""
        if threading.current_thread() is not threading.main_thread():
            return
        if phase == "start":
            self._gc_start = time.thread_time()
        else:
            self.spent["garbage collection"] += time.thread_time() - self._gc_start

    def _wrap(self, fn: Callable[..., Any], label: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth[label]:  # recursive: counted once, at the outer call
                return fn(*args, **kwargs)
            self._depth[label] += 1
            t = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth[label] -= 1
                self.spent[label] += time.thread_time() - t

        return timed

    @contextmanager
    def measuring(self, into: dict[str, Any]) -> Iterator[None]:
        self.spent.clear()
        yield
        into["loop_cpu_in_ms"] = {k: round(v * 1000, 1) for k, v in self.spent.most_common()}
