"""The collector: reads frozen once landed, no passes during reads, a full pass when quiet."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from zoomtui.services.context import AppContext
from zoomtui.tui.collector import LONGEST_PAUSE_S, QUIET_S, Collector, FreezingReader


@pytest.fixture(autouse=True)
def restore_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_frozen_cycle_is_freed_by_the_pass_once_the_operator_is_quiet() -> None:
    clock = Clock()
    collector = Collector(clock)
    gc.collect()

    class Node:
        pass

    node = Node()
    node.self = node  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    ref = weakref.ref(node)
    collector.freeze()
    del node
    gc.collect()
    assert ref() is not None  # frozen: skipped by the collector's passes
    assert not collector.collect_if_quiet()  # the operator typed a moment ago
    clock.now = QUIET_S - 1
    collector.input_seen()
    clock.now += QUIET_S - 1
    assert not collector.collect_if_quiet()
    clock.now += 2
    assert collector.collect_if_quiet()
    assert ref() is None
    assert gc.get_freeze_count() > 0  # what survived is frozen again
    assert not collector.collect_if_quiet()  # nothing frozen since: no second pass
    collector.close()
    assert gc.get_freeze_count() == 0


def test_no_pass_runs_while_a_read_is_under_way(empty_ctx: AppContext, tmp_path: Path) -> None:
    import asyncio

    collector = Collector()
    reader = FreezingReader(lambda: empty_ctx, collector)
    seen: list[bool] = []

    def read(_ctx: AppContext, n: int) -> list[dict[str, list[int]]]:
        seen.append(gc.isenabled())
        return [{"x": [i]} for i in range(n)]

    def failing(_ctx: AppContext) -> None:
        seen.append(gc.isenabled())
        raise ValueError("no such run")

    async def both() -> None:
        rows, _ = await asyncio.gather(reader(read, 1000), reader(read, 10))
        assert len(rows) == 1000
        assert gc.isenabled()
        with pytest.raises(ValueError):
            await reader(failing)

    try:
        asyncio.run(both())
    finally:
        reader.close()
    assert seen == [False, False, False]
    assert gc.isenabled()  # a failed read gives the passes back too
    assert gc.get_freeze_count() > 0


def test_a_long_job_gets_the_passes_back_after_a_while() -> None:
    clock = Clock()
    collector = Collector(clock)
    collector.reading()  # a reclaim apply: minutes in a reader thread
    collector.tick()
    assert not gc.isenabled()
    clock.now += LONGEST_PAUSE_S + 1
    collector.tick()
    assert gc.isenabled()
    collector.reading()  # a read starting meanwhile does not pause them again
    assert gc.isenabled()
    collector.landed()
    collector.landed()
    assert gc.isenabled()
    collector.close()
