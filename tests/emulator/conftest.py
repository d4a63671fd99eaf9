"""Fixtures: one small generated account shared by the session, and a fresh emulator on it."""

from __future__ import annotations

import pytest

from tests.helpers.emuapi import START, Api, make_api
from zoomtui.emulator import Dataset


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return Dataset.generate(users=1500, seed=7, start=START)


@pytest.fixture
def api(dataset: Dataset) -> Api:
    return make_api(dataset)
