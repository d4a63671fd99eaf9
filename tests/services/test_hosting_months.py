"""Which host report months a run asks for: only what the history lacks."""

from __future__ import annotations

from datetime import date

from zoomtui.services.hosting import months_to_read


def test_first_run_reads_six_months_back_the_oldest_cut() -> None:
    months = months_to_read(date(2026, 6, 15), {})
    assert months[0] == (date(2025, 12, 15), date(2025, 12, 31), False)
    assert months[1] == (date(2026, 1, 1), date(2026, 1, 31), True)
    assert months[-1] == (date(2026, 6, 1), date(2026, 6, 15), False)
    assert len(months) == 7


def test_rerun_reads_the_open_months_only() -> None:
    known = {
        "2025-12": {"complete": False},  # cut by the six-month limit: cannot get better
        **{f"2026-0{m}": {"complete": True} for m in range(1, 5)},
        "2026-05": {"complete": False},  # read while it was the current month
        "2026-06": {"complete": False},
    }
    assert months_to_read(date(2026, 6, 15), known) == [
        (date(2026, 5, 1), date(2026, 5, 31), True),
        (date(2026, 6, 1), date(2026, 6, 15), False),
    ]


def test_a_month_starting_on_the_bound_is_whole() -> None:
    months = months_to_read(date(2026, 6, 1), {})
    assert months[0] == (date(2025, 12, 1), date(2025, 12, 31), True)
