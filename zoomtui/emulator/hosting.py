"""Meetings hosted per user and month, derived from the sign-ins the dataset already has.

Zoom's active/inactive host report (``GET /report/users``, zoom-api.md §5.2)
gives per host and period the meetings hosted, their participants and their
minutes. The emulator derives those from a hash of each sign-in event (a
session in which the user may host), so that:

- only users who were active in a month can host in it (they signed in);
- a month's figures never change once the month is over (events are only ever
  appended after ``now``), so a history kept from earlier runs can be checked
  against the truth of any later snapshot;
- the random stream of ``Dataset.generate`` / ``advance`` is untouched: every
  figure comes from ``mix`` of the seed and the event, like ``extra_addons``.

Each user has a fixed hosting habit (a hash of the serial): many never host
(they sign in to attend), most host now and then, a few host often, and a
rare few host seldom but long and large (all-hands). Basic users (type 1 at
the time of the session) host short meetings: Zoom's free plan ends meetings
at 40 minutes and admits 100 participants. Other types (on-prem, unassigned,
none) host nothing here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from zoomtui.emulator.columns import mix
from zoomtui.emulator.events import SIGN_IN, unpack

if TYPE_CHECKING:
    from zoomtui.emulator.dataset import Dataset

HABIT_SALT = 0x4057
EVENT_SALT = 0x4D45
BASIC_MINUTES, BASIC_PARTICIPANTS = 40, 100
# (share in percent, chance a session hosts in percent, meetings per hosting session,
#  minutes per meeting (lo, hi), participants per meeting (lo, hi))
Habit = tuple[int, int, int, tuple[int, int], tuple[int, int]]
HABITS: tuple[Habit, ...] = (
    (45, 0, 0, (0, 0), (0, 0)),  # attends only
    (35, 40, 3, (15, 55), (2, 12)),  # now and then
    (16, 85, 8, (25, 70), (3, 25)),  # often
    (4, 15, 1, (90, 240), (80, 600)),  # seldom, long and large
)

Figures = tuple[int, int, int]  # (meetings, participants, meeting_minutes)


def habit_of(seed: int, serial: int) -> Habit:
    """A user's fixed hosting habit."""
    h = mix(seed, serial ^ HABIT_SALT) % 100
    for habit in HABITS:
        if h < habit[0]:
            return habit
        h -= habit[0]
    return HABITS[-1]


def session_figures(seed: int, key: int, utype: int, habit: Habit) -> Figures:
    """What one sign-in session (a packed event) hosted; zeros for most sessions."""
    if utype not in (1, 2) or not habit[1]:
        return 0, 0, 0
    h = mix(seed ^ EVENT_SALT, key)
    if h % 100 >= habit[1]:
        return 0, 0, 0
    meetings = 1 + (h >> 8) % habit[2]
    lo, hi = habit[3]
    minutes = lo + (h >> 16) % (hi - lo + 1)
    plo, phi = habit[4]
    people = plo + (h >> 28) % (phi - plo + 1)
    if utype == 1:
        minutes, people = min(minutes, BASIC_MINUTES), min(people, BASIC_PARTICIPANTS)
    return meetings, meetings * people, meetings * minutes


def type_at(ds: Dataset, row: int, when: int) -> int:
    """The user's type at a moment: its current type unless it changed later."""
    serial = ds.cols.serial[row]
    for changed_at, old in ds.type_log.get(serial, ()):
        if when < changed_at:
            return old
    return ds.cols.utype[row]


def tally(ds: Dataset, keys: Iterable[int]) -> dict[int, Figures]:
    """Figures per row for some packed events; deleted users are left out."""
    out: dict[int, Figures] = {}
    serials = ds.cols.serial
    habits: dict[int, Habit] = {}
    for key in keys:
        when, serial, _, kind, _ = unpack(key)
        if kind != SIGN_IN:
            continue
        habit = habits.get(serial)
        if habit is None:
            habit = habits[serial] = habit_of(ds.seed, serial)
        if not habit[1]:
            continue
        pos = bisect_left(serials, serial)
        if pos >= len(serials) or serials[pos] != serial:
            continue  # deleted since: Zoom's report for it is not known (docs/usage-report.md)
        m, p, mins = session_figures(ds.seed, key, type_at(ds, pos, when), habit)
        if m:
            old = out.get(pos, (0, 0, 0))
            out[pos] = (old[0] + m, old[1] + p, old[2] + mins)
    return out


def window_hosts(ds: Dataset, acct: int, start: date, end: date) -> list[tuple[int, Figures]]:
    """(row, figures) of an account's hosts in [start, end] (days inclusive), in row order."""

    def build(d: Dataset) -> list[tuple[int, Figures]]:
        return sorted(tally(d, d.event_keys(acct, start, end)).items())

    return ds.cached(("hosting", acct, start, end), build)


def month_of(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m")


def hosting_truth(ds: Dataset) -> dict[str, dict[str, Figures]]:
    """Ground truth: e-mail (lower case) -> {"YYYY-MM": (meetings, participants, minutes)}.

    Covers every event the snapshot keeps (about 200 days; the oldest month is
    only partly kept). Tests compare what zoomtui stored with this.
    """
    from zoomtui.emulator.columns import email_of

    by_month: dict[str, list[int]] = {}
    for key in ds.events:
        when = unpack(key)[0]
        by_month.setdefault(month_of(when), []).append(key)
    out: dict[str, dict[str, Figures]] = {}
    c = ds.cols
    for month, keys in by_month.items():
        for row, figures in tally(ds, keys).items():
            email = email_of(ds.seed, c.serial[row], ds.accounts[c.acct[row]].domain).lower()
            out.setdefault(email, {})[month] = figures
    return out
