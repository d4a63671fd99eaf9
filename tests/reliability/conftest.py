"""Fixtures of the reliability suite: emulated worlds on virtual time, and the ``slow`` marker.

Why a virtual clock: retries and 429 pauses must really happen (the client
counts and schedules them) without the suite really waiting for them.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: starts real subprocesses (still run in CI; deselect with -m 'not slow')"
    )
