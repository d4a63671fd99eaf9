"""Fixtures of the service tests: a world with an emulated account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.emuworld import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path / "history.db")
    yield w
    w.ctx.close()
