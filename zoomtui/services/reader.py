"""The TUI's database reads, in threads of their own, each on its own connection.

Why: a query over a 100,000-user run takes tens to hundreds of milliseconds and an
export of every row over a second; on the event loop that is a frozen screen and
keys answered late. SQLite releases the GIL while it works, and WAL lets several
connections read one snapshot each while a run writes, so reads go to a small
pool whose threads each open their own ``Store`` once and keep it.

A service function takes an ``AppContext``; the reader calls it with a copy of the
app's context whose store is the calling thread's own, so the services stay
synchronous and unaware of threads.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from zoomtui.services.context import AppContext
from zoomtui.store import Store

P = ParamSpec("P")
T = TypeVar("T")

THREADS = 2
"""One for what a screen shows, one more so an export never holds a screen's read up."""


class Reader:
    """Runs ``fn(ctx, …)`` in a reader thread and awaits its result on the event loop."""

    def __init__(self, context: Callable[[], AppContext], threads: int = THREADS) -> None:
        self._context = context  # read at each call: the app replaces its settings
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="zoomtui-read")
        self._local = threading.local()
        self._stores: list[Store] = []
        self._lock = threading.Lock()
        self._closed = False
        self._stopping = threading.Event()

    def stopping(self) -> bool:
        """Whether the reader is closing: a long job in a reader thread stops at its next step."""
        return self._stopping.is_set()

    async def __call__(
        self, fn: Callable[Concatenate[AppContext, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(ctx, *args, **kwargs)`` in a reader thread, on that thread's connection."""
        return await self.start(fn, *args, **kwargs)

    def start(
        self, fn: Callable[Concatenate[AppContext, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> asyncio.Future[T]:
        """The same read handed to a reader thread now, its answer awaited later.

        Why: awaiting ``self(fn)`` hands the read over only when the awaiting coroutine
        first runs, after what the loop does meanwhile: the Reclaim dialog's plan was
        written 60 ms after its key, behind the dialog's first layout.
        """
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self._pool, lambda: self.call(fn, *args, **kwargs))

    def call(
        self, fn: Callable[Concatenate[AppContext, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """The same, blocking, in the calling thread (which must be a reader thread)."""
        ctx = self._context()
        view = dataclasses.replace(ctx, _store=self._store(ctx))
        return fn(view, *args, **kwargs)

    def _store(self, ctx: AppContext) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is not None and getattr(self._local, "path", None) != ctx.db_path:
            # The app switched profile: this thread's connection is to the old history.
            with self._lock:
                self._stores.remove(store)
            store.close()
            store = None
        if store is None:
            # Opened like the app's own store: a first start creates the empty history.
            store = Store.open(ctx.db_path, clock=ctx.clock, readonly=ctx.readonly)
            with self._lock:
                if self._closed:
                    store.close()
                    raise RuntimeError("the reader is closed")
                self._stores.append(store)
            self._local.store, self._local.path = store, ctx.db_path
        return store

    def close(self) -> None:
        """Wait for reads under way, then close every thread's connection."""
        with self._lock:
            self._closed = True
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            stores, self._stores = self._stores, []
        for store in stores:
            store.close()
