"""Each user's scheduled meetings and webinars, and who is hosting right now.

``GET /users/{userId}/meetings`` ("List all the meetings that were scheduled
for a user", ``type`` = ``scheduled`` | ``live`` | ``upcoming`` |
``upcoming_meetings`` | ``previous_meetings``; ``meeting:read:admin``, Medium)
and ``GET /users/{userId}/webinars`` (``webinar:read:admin``, Medium): sources
in docs/reclaim.md (docs.rs ``zoom-api`` 0.10 ``meetings.rs``, PSZoom
``Get-ZoomMeetingsFromUser.ps1``). Items carry ``start_time`` and ``duration``
in minutes, as in Zoom's list replies.

Derived, like the host report (emulator/hosting.py), from the user's fixed
hosting habit and a hash of the serial, so the random stream of the dataset
is untouched and a test can read the truth: people who never host schedule
nothing; the rare long-and-large hosts schedule long meetings; only webinar
licence holders schedule webinars. Meetings sit at fixed times of a weekly
cycle, so "upcoming" moves with the clock without changing the schedule.
Live: a frequent host is in one of its meetings in a few half-hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomtui.emulator.call import (
    Reject,
    Result,
    envelope,
    invalid_field,
    not_found_user,
    paginate,
)
from zoomtui.emulator.columns import ACTIVE, mix, pmi_of, user_id
from zoomtui.emulator.hosting import BASIC_MINUTES, habit_of
from zoomtui.emulator.render import iso

if TYPE_CHECKING:
    from zoomtui.emulator.call import Call
    from zoomtui.emulator.dataset import Dataset

MEETING_SALT, WEBINAR_SALT, LIVE_SALT = 0x4D54, 0x5742, 0x4C56
WEEK, SLOT = 7 * 86_400, 1800
WEBINAR_BITS = (2, 3)  # plans.ADDONS: webinar 500 / 1000
MEETING_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")

Meeting = tuple[int, int, str]  # (start epoch, duration minutes, topic)


def upcoming_meetings(ds: Dataset, row: int, now: int) -> list[Meeting]:
    """The user's scheduled meetings that start after ``now``, soonest first."""
    c = ds.cols
    if c.status[row] != ACTIVE or c.utype[row] not in (1, 2) or not c.last_login[row]:
        return []  # someone who never signed in has scheduled nothing
    serial = c.serial[row]
    habit = habit_of(ds.seed, serial)
    if not habit[1]:
        return []
    count = mix(ds.seed, serial ^ MEETING_SALT) % (min(habit[2], 4) + 1)
    out = []
    for i in range(count):
        h = mix(ds.seed ^ MEETING_SALT, serial * 16 + i)
        lo, hi = habit[3]
        minutes = lo + (h >> 20) % (hi - lo + 1)
        if c.utype[row] == 1:
            minutes = min(minutes, BASIC_MINUTES)
        out.append(
            (_next(now, h % (WEEK // SLOT) * SLOT), minutes - minutes % 5, f"Meeting {i + 1}")
        )
    return sorted(out)


def upcoming_webinars(ds: Dataset, row: int, now: int) -> list[Meeting]:
    """A webinar licence holder's scheduled webinars after ``now`` (none for half of them)."""
    c = ds.cols
    mask = c.addons[row]
    if c.status[row] != ACTIVE or not c.last_login[row]:
        return []
    if not any(mask >> bit & 1 for bit in WEBINAR_BITS):
        return []
    h = mix(ds.seed, c.serial[row] ^ WEBINAR_SALT)
    if h % 2:
        return []
    return [(_next(now, (h >> 8) % (WEEK // SLOT) * SLOT), 60, "Webinar")]


def hosting_now(ds: Dataset, row: int, now: int) -> bool:
    """Whether the user is in one of their meetings in the current half-hour."""
    c = ds.cols
    if c.status[row] != ACTIVE or c.utype[row] not in (1, 2) or not c.last_login[row]:
        return False
    habit = habit_of(ds.seed, c.serial[row])
    if habit[1] < 80:  # only the frequent hosts
        return False
    return mix(ds.seed ^ LIVE_SALT, c.serial[row] * 100_000 + now // SLOT) % 25 == 0


def _next(now: int, offset: int) -> int:
    """The next moment after ``now`` at ``offset`` seconds into a weekly cycle."""
    start = now - now % WEEK + offset
    return start if start > now else start + WEEK


def _item(ds: Dataset, row: int, meeting: Meeting, index: int, webinar: bool) -> dict[str, Any]:
    start, duration, topic = meeting
    serial = ds.cols.serial[row]
    number = 80_000_000_000 + mix(ds.seed, serial * 64 + index + (32 if webinar else 0)) % 10**10
    return {
        "uuid": f"{number:x}==",
        "id": number,
        "host_id": user_id(ds.seed, serial),
        "topic": topic,
        "type": 5 if webinar else 2,  # 5: webinar, 2: scheduled meeting
        "start_time": iso(start),
        "duration": duration,
        "timezone": "UTC",
        "created_at": iso(ds.cols.created[row]),
        "join_url": f"https://us06web.zoom.us/{'w' if webinar else 'j'}/{number}",
    }


def _listing(call: Call, key: str, items: list[dict[str, Any]]) -> Result:
    """One page of ``page_size`` items (default 30, at most 300) and the token of the next.

    Zoom's List meetings / List webinars (its Meeting API spec, as generated in the
    openapi TS clients' ``MeetingsService.meetings``): ``page_size`` "The number of
    records returned within a single API call", default 30; "a next page token will be
    returned whenever the set of available results exceeds the current page size",
    valid 15 minutes; the envelope carries ``page_count``, ``page_number``,
    ``page_size``, ``total_records``. A client that reads only the first page misses
    the rest.
    """
    offset, size = paginate(call)
    body = envelope(call, len(items), offset, size)
    body[key] = items[offset : offset + size]
    return 200, body


def _user_row(call: Call) -> int:
    row = call.ds.find(call.acct, call.params["userId"])
    if row is None:
        raise Reject(*not_found_user(call.params["userId"]))
    return row


# List meetings, Zoom's Meeting API spec (openapi TS clients' ``MeetingsService.meetings``
# error table): HTTP 400, code 3161. Users of type 4 ("Unassigned without Meetings
# Basic") and 99 (None) hold no Meetings licence at all (zoom-api.md §2.3), so they are
# the users it names; Basic (1) and Licensed (2) may host.
CANNOT_HOST = "Meeting hosting and scheduling capabilities are not allowed for your user account."


def list_meetings(call: Call) -> Result:
    """GET /users/{userId}/meetings: ``live`` and upcoming kinds are answered; past is empty."""
    kind = call.query.get("type", "scheduled")
    if kind not in MEETING_TYPES:
        raise invalid_field("type", "Invalid field.")
    ds, row, now = call.ds, _user_row(call), call.now
    if ds.cols.utype[row] not in (1, 2):
        raise Reject(400, {"code": 3161, "message": CANNOT_HOST})
    meetings: list[Meeting] = []
    if kind == "live" and hosting_now(ds, row, now):
        meetings = [
            (now - now % SLOT, 60, f"Live meeting of {pmi_of(ds.seed, ds.cols.serial[row])}")
        ]
    elif kind in ("scheduled", "upcoming", "upcoming_meetings"):
        meetings = upcoming_meetings(ds, row, now)
    items = [_item(ds, row, m, i, False) for i, m in enumerate(meetings)]
    return _listing(call, "meetings", items)


WEBINAR_PLAN_MISSING = (
    "Webinar plan is missing. You must subscribe to the webinar plan and enable webinars "
    "for this user in order to perform this action."
)


def list_webinars(call: Call) -> Result:
    """GET /users/{userId}/webinars: the user's scheduled webinars.

    A user without a webinar licence gets HTTP 400, code 200 "Webinar plan is missing",
    not an empty list: Zoom's webinar API spec lists code 200 with that message for the
    webinar endpoints; Zoom's older error table (harrisyang/api errors/WebinarAPIs.md,
    "List webinars": 200 "Cannot use webinar API, You need to subscribe webinar plan and
    then enable webinar for this user") says the same; dlt's Zoom source ignores
    "Webinar plan is missing" on ``/users/{user_id}/webinars`` as a normal answer.
    """
    ds, row = call.ds, _user_row(call)
    if not any(ds.cols.addons[row] >> bit & 1 for bit in WEBINAR_BITS):
        raise Reject(400, {"code": 200, "message": WEBINAR_PLAN_MISSING})
    items = [_item(ds, row, m, i, True) for i, m in enumerate(upcoming_webinars(ds, row, call.now))]
    return _listing(call, "webinars", items)
