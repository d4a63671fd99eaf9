"""Evolve a dataset by some days: the changes an audit must notice between runs.

Every kind of change happens at least once per call when a candidate exists
(hires, accepted invitations, deactivations, deletions, upgrades, downgrades,
add-ons granted and removed, department moves, new sign-ins), so a diff test
on a small account always has something of each kind to find. The random
stream is seeded by (seed, now, days): the same state advanced by the same
number of days always gives the same next state.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from zoomtui.emulator.columns import ACTIVE, INACTIVE, PENDING, Columns
from zoomtui.emulator.events import SIGN_IN, extend_sorted, pack
from zoomtui.emulator.generate import DAY, add_user, draw_addons, login_rate, sign_ins
from zoomtui.emulator.names import DEPARTMENTS
from zoomtui.emulator.oplog import TYPE_NAMES, OpEntry, feature_label
from zoomtui.emulator.plans import ADDONS, EXCLUSIVE
from zoomtui.emulator.usage import fit_hosts

if TYPE_CHECKING:
    from zoomtui.emulator.dataset import Dataset

RETAIN = 200 * DAY  # events older than this are never reportable again


def advance(ds: Dataset, days: int, churn: float = 1.0) -> Dataset:
    """The account ``days`` later; see ``Dataset.advance``.

    ``churn`` multiplies how many users admins change (and hire) in that time:
    ``advance(1, churn=7)`` is a week's changes in one day, so a benchmark can
    change ~2% of an account without the time passing that makes every stored
    settings read due for its refresh anyway.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    tag = "" if churn == 1.0 else f":{churn}"
    rng = random.Random(f"advance:{ds.seed}:{ds.now_epoch}:{days}{tag}")
    start, end = ds.now_epoch, ds.now_epoch + days * DAY
    week = days / 7 * churn
    cols = ds.cols.copy()
    events: list[int] = []
    seed = ds.seed
    # A stream of its own: the account evolves exactly as before the log was kept.
    log_rng = random.Random(f"oplog:{ds.seed}:{ds.now_epoch}:{days}")
    oplog: list[OpEntry] = []

    def note(row: int, action: str, verb: str, change: str = "") -> None:
        """An admin's entry in the operation logs about the user in ``row``."""
        acct = cols.acct[row]
        detail = f"{verb} User {ds.email(cols.serial[row], acct)}"
        if change:
            detail += f"  - {change}"
        oplog.append(OpEntry(log_rng.randrange(start, end), acct,
                             f"admin@{ds.accounts[acct].domain}", "User", action,
                             detail))  # fmt: skip

    def typed(row: int) -> str:
        dept = ds.dept_name(cols.serial[row], cols.dept[row])
        return f"User Type: {TYPE_NAMES.get(cols.utype[row], cols.utype[row])} - Department: {dept}"

    def set_addons(row: int, mask: int) -> None:
        before = cols.addons[row]
        for addon in ADDONS:
            was, now = before >> addon.bit & 1, mask >> addon.bit & 1
            if was != now:
                change = "from Off to On" if now else "from On to Off"
                note(row, "Update", "Update", f"{feature_label(addon.feature)}: {change}")
        cols.addons[row] = mask

    def pick(rows: list[int], weekly_share: float) -> list[int]:
        if not rows:
            return []
        k = min(len(rows), max(1, round(len(rows) * weekly_share * week)))
        return sorted(rng.sample(rows, k))

    def where(status: int) -> list[int]:
        return [i for i in range(len(cols)) if cols.status[i] == status and cols.role[i] != 0]

    def login(row: int, rate: float, at_least_one: bool = False) -> None:
        serial, acct, client = cols.serial[row], cols.acct[row], cols.client[row]
        previous = cols.last_login[row]
        last = sign_ins(rng, seed, events, serial, acct, client, cols.created[row], end, rate,
                        previous, begin=start)  # fmt: skip
        if at_least_one and last == previous:
            when = rng.randrange(start, end)
            events.append(pack(when, serial, acct, SIGN_IN, client))
            last = when if previous == 0 or when - previous >= 3 * DAY else previous
        cols.last_login[row] = last

    # invitations accepted: pending -> active, same serial (gets its id), same e-mail
    for row in pick(where(PENDING), 0.4):
        cols.status[row] = ACTIVE
        login(row, 0.5, at_least_one=True)
    # deactivations free the add-on seats
    for row in pick(where(ACTIVE), 0.005):
        cols.status[row] = INACTIVE
        cols.addons[row] = 0
        note(row, "Update", "Deactivate")
    # upgrades (basic -> licensed) and downgrades (plain licensed -> basic)
    type_log = dict(ds.type_log)

    def retype(row: int, utype: int) -> None:
        # Kept so a past month's hosting is judged by the type the user had then.
        serial = cols.serial[row]
        type_log[serial] = (*type_log.get(serial, ()), (start, cols.utype[row]))
        names = TYPE_NAMES.get(cols.utype[row], "?"), TYPE_NAMES.get(utype, "?")
        note(row, "Update", "Update", "User Type: from {} to {}".format(*names))
        cols.utype[row] = utype

    for row in pick([i for i in where(ACTIVE) if cols.utype[i] == 1], 0.005):
        retype(row, 2)
    plain = [i for i in where(ACTIVE) if cols.utype[i] == 2 and not _bundled(cols, i)]
    for row in pick(plain, 0.005):
        retype(row, 1)
        cols.addons[row] = 0  # a downgrade takes the add-ons with the licence
    # add-ons granted to plain licensed users, and removed from holders
    plain = [i for i in where(ACTIVE) if cols.utype[i] == 2 and not _bundled(cols, i)]
    for row in pick(plain, 0.01):
        set_addons(row, granted(cols.addons[row], draw_addons(rng) or 1 << rng.randrange(5, 10)))
    for row in pick([i for i in where(ACTIVE) if cols.addons[i]], 0.03):
        mask = cols.addons[row]
        bits = [b for b in range(32) if mask >> b & 1]
        set_addons(row, mask & ~(1 << rng.choice(bits)))
    # department moves
    for row in pick(where(ACTIVE), 0.003):
        before = ds.dept_name(cols.serial[row], cols.dept[row])
        cols.dept[row] = (cols.dept[row] + rng.randrange(1, len(DEPARTMENTS))) % len(DEPARTMENTS)
        after = ds.dept_name(cols.serial[row], cols.dept[row])
        note(row, "Update", "Update", f"Department: from {before} to {after}")
    # sign-ins of everyone still active
    for row in range(len(cols)):
        if cols.status[row] == ACTIVE:
            login(row, login_rate(seed, cols.serial[row], cols.role[row] == 0))
    # deletions: long-deactivated users and expired invitations disappear
    gone = pick(where(INACTIVE), 0.03) + pick(where(PENDING), 0.05)
    for row in gone:
        note(row, "Delete", "Delete", typed(row))
    if gone:
        cols = cols.without(gone)
    # hires: most arrive as pending invitations, some are active at once (SSO)
    serial = ds.next_serial
    for _ in range(max(1, round(len(cols) * 0.004 * week))):
        acct = rng.choices(range(len(ds.accounts)), [0.68, 0.14, 0.12, 0.06][: len(ds.accounts)])[0]
        status = PENDING if rng.random() < 0.6 else ACTIVE
        created = rng.randrange(start, end)
        add_user(rng, seed, cols, events, ds.accounts, serial, acct, end, status=status,
                 created=created)  # fmt: skip
        note(len(cols) - 1, "Add", "Add", typed(len(cols) - 1))
        serial += 1
    nxt = _next(ds, cols, events, end, serial, days)
    nxt.oplog = tuple(e for e in (*ds.oplog, *sorted(oplog)) if e.when >= end - RETAIN)
    nxt.type_log = type_log
    for acct in range(len(ds.accounts)):
        fit_hosts(nxt, acct, spare=rng.randrange(1, 5))
    nxt._cache.clear()
    return nxt


def _bundled(cols: Columns, row: int) -> bool:
    return bool(cols.zoom_one[row] or cols.united[row])


def _next(
    ds: Dataset, cols: Columns, events: list[int], end: int, serial: int, days: int
) -> Dataset:
    return type(ds)(  # the dataset's own class: this module never imports it
        seed=ds.seed,
        now=ds.now + timedelta(days=days),
        accounts=ds.accounts,
        cols=cols,
        events=extend_sorted(ds.events, events, keep_from=end - RETAIN),
        hosts=dict(ds.hosts),
        next_serial=serial,
        hostile=ds.hostile,
    )


def granted(held: int, new: int) -> int:
    """The add-on mask after an admin grants ``new`` to a user holding ``held``.

    A user holds one licence of a family: Zoom's User API spec has one
    ``feature.webinar`` flag with one ``webinar_capacity``, one
    ``large_meeting_capacity``, and ``concurrent_meeting`` as one string
    (``Basic`` | ``Plus`` | ``None``) (zoom-api.md §12; the spec vendored in
    folio-sec/terraform-provider-zoom). Granting another capacity or level of a
    held family replaces it: OR-ing the two gave a user Webinar 500 *and* 1000,
    one licence in settings but two seats in plan usage.
    """
    for pair in EXCLUSIVE:
        family = sum(1 << bit for bit in pair)
        if new & family:
            held &= ~family
    return held | new
