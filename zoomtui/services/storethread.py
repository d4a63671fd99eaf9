"""A run's own store connection, used only from one worker thread.

SQLite does its work with the GIL released, so a run's writes (staging pages,
sign-in batches, the final commit) overlap the event loop's parsing instead of
stalling it — and the TUI's own connection, on its UI thread, never shares a
connection or a transaction with a running aggregation.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from zoomtui.store import Store


class StoreThread:
    """Calls ``Store`` methods by name on a connection that lives in one thread."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zoomtui-store")
        self._store: Store | None = None

    async def __aenter__(self) -> StoreThread:
        self._store = await self._submit(Store.open, self._path)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._store is not None:
            self.now("close")
        self._pool.shutdown(wait=True)

    async def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``store.<method>(*args, **kwargs)`` in the store's thread and await it."""
        return await self._submit(getattr(self._opened(), method), *args, **kwargs)

    def now(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """The same, blocking: for endings where the event loop may be going away."""
        call = functools.partial(getattr(self._opened(), method), *args, **kwargs)
        return self._pool.submit(call).result()

    def _opened(self) -> Store:
        if self._store is None:
            raise RuntimeError("the run's store is not open")
        return self._store

    async def _submit(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
