"""Schedule: interval parsing, due times and their plain-words description."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from zoomtui.services.schedule import (
    NEVER_RUN,
    describe_due,
    format_interval,
    is_due,
    next_due,
    parse_interval,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("7d", timedelta(days=7)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
        (" 2H ", timedelta(hours=2)),
        ("1d 6h 30m", timedelta(days=1, hours=6, minutes=30)),
        ("off", None),
        ("OFF", None),
    ],
)
def test_parse_interval_accepts(text: str, expected: timedelta | None) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "24", "h", "10s", "1.5h", "-1h", "daily", "1h1d", "1h2h"])
def test_parse_interval_rejects_with_clear_message(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_interval(text)
    message = str(info.value)
    assert repr(text) in message
    assert message.endswith(".")


def test_parse_interval_rejects_zero() -> None:
    with pytest.raises(ValueError, match="longer than zero"):
        parse_interval("0h")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("30m", "30m"), ("90m", "1h30m"), ("7d", "1w"), ("1d12h", "1d12h"), ("off", "off")],
)
def test_format_interval_is_canonical(text: str, canonical: str) -> None:
    assert format_interval(parse_interval(text)) == canonical


def test_next_due_adds_interval_to_last_complete_run() -> None:
    last = datetime(2026, 3, 1, 3, 17, tzinfo=UTC)
    assert next_due(last, timedelta(hours=24)) == datetime(2026, 3, 2, 3, 17, tzinfo=UTC)


def test_next_due_off_and_never_run() -> None:
    assert next_due(NOW, None) is None
    assert next_due(None, None) is None
    assert next_due(None, timedelta(hours=1)) == NEVER_RUN


def test_is_due() -> None:
    day = timedelta(days=1)
    assert is_due(None, day, now=NOW)
    assert not is_due(None, None, now=NOW)
    assert not is_due(NOW - timedelta(hours=2), day, now=NOW)
    assert is_due(NOW - timedelta(hours=25), day, now=NOW)
    assert is_due(NOW - day, day, now=NOW)


def test_is_due_allows_a_daily_timer_to_catch_a_run_that_finished_late() -> None:
    # Yesterday's run started at 03:17 and finished at 03:25; today's timer fires at 03:17.
    finished = datetime(2026, 3, 1, 3, 25, tzinfo=UTC)
    timer = datetime(2026, 3, 2, 3, 17, tzinfo=UTC)
    assert is_due(finished, timedelta(days=1), now=timer)
    # ...but an hourly timer does not run a daily aggregation two hours early.
    assert not is_due(finished, timedelta(days=1), now=timer - timedelta(hours=2))


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 1, 12, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due(naive, timedelta(hours=1))
    with pytest.raises(ValueError, match="timezone-aware"):
        describe_due(naive, NOW)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=-1), "due now"),
        (timedelta(0), "due now"),
        (timedelta(seconds=20), "due in 1 min"),
        (timedelta(minutes=45), "due in 45 min"),
        (timedelta(hours=3, minutes=20), "due in 3 h 20 min"),
        (timedelta(hours=3, minutes=19, seconds=30), "due in 3 h 20 min"),
        (timedelta(hours=5), "due in 5 h"),
        (timedelta(days=2, hours=4), "due in 2 d 4 h"),
        (timedelta(days=7), "due in 7 d"),
    ],
)
def test_describe_due(delta: timedelta, text: str) -> None:
    assert describe_due(NOW, NOW + delta) == text


def test_describe_due_not_scheduled_and_never_run() -> None:
    assert describe_due(NOW, None) == "not scheduled"
    assert describe_due(NOW, NEVER_RUN) == "due now"


@pytest.mark.parametrize(
    "text", ["99999999999d", "3000000d", "53w", "367d", "1" + "0" * 5000 + "m"]
)
def test_parse_interval_refuses_more_than_a_year(text: str) -> None:
    with pytest.raises(ValueError, match="longer than a year"):
        parse_interval(text)
