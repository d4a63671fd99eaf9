"""A run's own store connection, used only from one worker thread.

SQLite does its work with the GIL released, so a run's writes (staging pages,
sign-in batches, the final commit) overlap the event loop's parsing instead of
stalling it — and the TUI's own connection, on its UI thread, never shares a
connection or a transaction with a running aggregation.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from zoomtui.store import Store

P = ParamSpec("P")
R = TypeVar("R")


class StoreThread:
    """Calls ``Store`` methods on a connection that lives in one thread.

    Methods are passed unbound (``await db(Store.stage_users, run_id, rows)``) so
    mypy checks the arguments against the method's signature.
    """

    def __init__(self, path: Path, depth: int = 4) -> None:
        self._path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zoomtui-store")
        self._store: Store | None = None
        self._depth = depth
        self._room: asyncio.Semaphore | None = None  # made on first use, inside the loop
        self._behind: set[asyncio.Future[Any]] = set()

    async def __aenter__(self) -> StoreThread:
        self._store = await self._submit(functools.partial(Store.open, self._path))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._behind:  # a run that ended early: its queued writes still finish first
            await asyncio.wait(self._behind)
            with contextlib.suppress(BaseException):  # the run's own error is reported
                self._raise_failed()
        if self._store is not None:
            self.call_blocking(Store.close)
        self._pool.shutdown(wait=True)

    async def __call__(
        self, method: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run ``method(store, *args, **kwargs)`` in the store's thread and await it."""
        return await self._submit(self._bound(method, *args, **kwargs))

    async def enqueue(
        self, method: Callable[Concatenate[Store, P], Any], *args: P.args, **kwargs: P.kwargs
    ) -> None:
        """Queue a write without waiting for it, so the caller goes on fetching.

        At most ``depth`` such writes wait in the queue (the caller waits for room
        beyond that). Writes run in order, before anything queued after them; the
        first failure is raised by the next ``enqueue`` or by :meth:`drain`.
        """
        self._raise_failed()
        if self._room is None:
            self._room = asyncio.Semaphore(self._depth)
        room = self._room
        await room.acquire()
        # Handed to the thread now, so it runs before any call made after this one.
        future = asyncio.get_running_loop().run_in_executor(
            self._pool, self._bound(method, *args, **kwargs)
        )
        self._behind.add(future)
        future.add_done_callback(lambda _f: room.release())

    async def drain(self) -> None:
        """Wait for every queued write; raise the first that failed."""
        if self._behind:
            await asyncio.wait(self._behind)
        self._raise_failed()

    def _raise_failed(self) -> None:
        done = {f for f in self._behind if f.done()}
        self._behind -= done
        # Every outcome is read, so none is logged as "never retrieved"; a write
        # that never ran is a failure too (the run must not complete without it).
        errors = [asyncio.CancelledError() if f.cancelled() else f.exception() for f in done]
        for error in errors:
            if error is not None:
                raise error

    def call_blocking(
        self, method: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """The same, blocking: for endings where the event loop may be going away."""
        return self._pool.submit(self._bound(method, *args, **kwargs)).result()

    def _bound(
        self, method: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> Callable[[], R]:
        """``method`` bound to the store and its arguments, to run in the store's thread."""
        if self._store is None:
            raise RuntimeError("the run's store is not open")
        return functools.partial(method, self._store, *args, **kwargs)

    async def _submit(self, call: Callable[[], R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)
