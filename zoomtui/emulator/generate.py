"""Generate the initial account family: users, bundles, add-ons, six months of sign-ins.

Proportions follow what audits of real tenants look like: about 5% pending
invitations, 8% deactivated users, a few never-logged-in users, a licensed /
basic / unassigned mix, Zoom United and Zoom Workplace bundles (including
Education bitmasks above 2**53) and add-ons on a minority of licensed users.
"""

from __future__ import annotations

import math
import random
from array import array
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from zoomtui.emulator.accounts import Account
from zoomtui.emulator.columns import ACTIVE, INACTIVE, PENDING, Columns, mix
from zoomtui.emulator.events import SIGN_IN, SIGN_OUT, pack, recorded_login
from zoomtui.emulator.names import CLIENTS, DEPARTMENTS, LANGUAGES, TIMEZONES
from zoomtui.emulator.plans import (
    ADDON_RATE,
    ADDONS,
    BUSINESS_ZOOM_ONE,
    EDU_ZOOM_ONE,
    EXCLUSIVE,
    EXTRA_RATE,
)
from zoomtui.emulator.usage import fit_hosts

if TYPE_CHECKING:
    from zoomtui.emulator.dataset import Dataset

DAY = 86_400
WINDOW = 183 * DAY
# weekly sign-in rate by activity profile, and each profile's share in percent
RATES = (0.0, 0.03, 0.1, 0.3)
RATE_SHARES = (25, 20, 35, 20)


def make_accounts(rng: random.Random, account_id: str, start: datetime) -> tuple[Account, ...]:
    """Main account plus two or three sub accounts, one of them Education."""

    def sub_id() -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        return "".join(rng.choice(alphabet) for _ in range(22))

    def created(years: float) -> datetime:
        return (start - timedelta(days=int(365 * years))).replace(microsecond=0)

    accounts = [
        Account(
            account_id,
            "Example Corp",
            "example.com",
            "Business",
            10_000_001,
            created(7),
            master=True,
            united=32,
        ),
        Account(
            sub_id(),
            "Example EMEA GmbH",
            "emea.example.com",
            "Business",
            10_000_002,
            created(4),
            united=64,
        ),
        Account(
            sub_id(),
            "Example University",
            "uni.example.edu",
            "Education",
            10_000_003,
            created(3),
            education=True,
            duplicate_plans=True,
        ),
    ]
    if rng.random() < 0.6:
        accounts.append(
            Account(
                sub_id(),
                "Example Labs",
                "labs.example.com",
                "Pro",
                10_000_004,
                created(1.5),
                united=1,
            )
        )
    return tuple(accounts)


def generate(
    cls: type[Dataset], users: int, seed: int, start: datetime, account_id: str
) -> Dataset:
    """Build a ``cls`` (a ``Dataset``); see ``Dataset.generate``.

    The class is passed in, so this module never imports the dataset that calls it.
    """
    if start.tzinfo is None:
        raise ValueError("start must be an aware UTC datetime")
    rng = random.Random(seed)
    now = int(start.timestamp())
    accounts = make_accounts(rng, account_id, start)
    weights = [0.68, 0.14, 0.12, 0.06][: len(accounts)]
    cols = Columns()
    events: list[int] = []
    for serial in range(max(users, len(accounts))):
        acct = serial if serial < len(accounts) else rng.choices(range(len(accounts)), weights)[0]
        add_user(rng, seed, cols, events, accounts, serial, acct, now, owner=serial < len(accounts))
    events.sort()
    ds = cls(
        seed=seed,
        now=start,
        accounts=accounts,
        cols=cols,
        events=array("q", events),
        hosts={},
        next_serial=len(cols),
    )
    for acct in range(len(accounts)):
        fit_hosts(ds, acct, spare=0)
        for key, hosts in list(ds.hosts.items()):
            if key[0] == acct:
                ds.hosts[key] = hosts + max(1, math.ceil(hosts * rng.uniform(0.02, 0.15)))
        ds.hosts.setdefault((acct, "plan_zoom_events", "zoomevents1000_monthly"), 2)
    ds._cache.clear()
    return ds


def add_user(
    rng: random.Random,
    seed: int,
    cols: Columns,
    events: list[int],
    accounts: tuple[Account, ...],
    serial: int,
    acct: int,
    now: int,
    *,
    owner: bool = False,
    status: int | None = None,
    created: int | None = None,
) -> None:
    """Draw one user (and its sign-ins up to ``now``) and append it."""
    account = accounts[acct]
    r = rng.random()
    if status is None:
        status = ACTIVE if owner or r >= 0.13 else PENDING if r < 0.05 else INACTIVE
    utype, united, zoom_one = draw_plan(rng, account, owner)
    if created is None:
        age = rng.uniform(1, 30) if status == PENDING else rng.uniform(30, 6 * 365)
        if status == PENDING and mix(seed, serial ^ 0x1A7E) % 5 == 0:
            # An expired invitation stays listed as pending (its link answers 1120,
            # zoom-api.md §7, §10): one in five is months old, still holding a seat.
            age *= 6
        created = now - int(age * DAY)
    client = rng.randrange(len(CLIENTS))
    last_login = 0
    if status != PENDING:
        end = now if status == ACTIVE else now - int(rng.uniform(1, 150) * DAY)
        rate = login_rate(seed, serial, owner)
        last_login = sign_ins(rng, seed, events, serial, acct, client, created, end, rate)
    addons = 0
    if status == ACTIVE and utype == 2 and not zoom_one:
        addons = draw_addons(rng) | extra_addons(seed, serial)
    cols.append(
        serial=serial, acct=acct, status=status, utype=utype,
        dept=rng.randrange(len(DEPARTMENTS)) if rng.random() > 0.05 else 0,
        role=0 if owner else 1 if rng.random() < 0.01 else 2,
        tz=rng.randrange(len(TIMEZONES)), lang=rng.randrange(len(LANGUAGES)), client=client,
        created=created, last_login=last_login, united=united, zoom_one=zoom_one, addons=addons,
    )  # fmt: skip


def login_rate(seed: int, serial: int, owner: bool = False) -> float:
    """Weekly sign-in rate of a user: a fixed trait, so later periods stay in character."""
    if owner:
        return 0.5
    h = mix(seed, serial ^ 0xF00D) % 100
    for rate, share in zip(RATES, RATE_SHARES, strict=True):
        if h < share:
            return rate
        h -= share
    return RATES[-1]


def draw_plan(rng: random.Random, account: Account, owner: bool) -> tuple[int, int, int]:
    """(type, plan_united_type, zoom_one_type) for a new user of an account."""
    r = rng.random()
    if account.education:
        utype = 2 if owner or r < 0.65 else 1
    else:
        utype = 2 if owner or r < 0.5 else 1 if r < 0.9 else 4 if r < 0.96 else 99
    if utype != 2 or owner:
        return utype, 0, 0
    b = rng.random()
    if account.education:
        return 2, 0, rng.choice(EDU_ZOOM_ONE) if b < 0.6 else 0
    if b < 0.12 and account.united:
        return 2, account.united, 0
    if b < 0.27:
        return 2, 0, rng.choice(BUSINESS_ZOOM_ONE)
    return 2, 0, 0


def draw_addons(rng: random.Random) -> int:
    """An add-on mask for a licensed user (most have none)."""
    mask = 0
    for addon, rate in zip(ADDONS[: len(ADDON_RATE)], ADDON_RATE, strict=True):
        if rng.random() < rate:
            mask |= 1 << addon.bit
    return exclusive(mask)


def extra_addons(seed: int, serial: int) -> int:
    """The later add-ons of a licensed user, from a hash so the random stream is unchanged."""
    mask = 0
    for bit, per_mille in EXTRA_RATE.items():
        if mix(seed, serial ^ (0xADD0 + bit)) % 1000 < per_mille:
            mask |= 1 << bit
    return exclusive(mask)


def exclusive(mask: int) -> int:
    """Keep one capacity or level per add-on family."""
    for keep, drop in EXCLUSIVE:
        if mask >> keep & 1:
            mask &= ~(1 << drop)
    return mask


def sign_ins(
    rng: random.Random,
    seed: int,
    events: list[int],
    serial: int,
    acct: int,
    client: int,
    created: int,
    end: int,
    rate: float,
    previous: int = 0,
    begin: int | None = None,
) -> int:
    """Append sign-in (and most sign-out) events in [begin, end); return last_login_time."""
    fresh = begin is None
    begin = max(created, end - WINDOW if begin is None else begin)
    if end <= begin:
        return previous
    n = poisson(rng, rate * (end - begin) / (7 * DAY))
    times = sorted(rng.randrange(begin, end) for _ in range(n))
    for when in times:
        events.append(pack(when, serial, acct, SIGN_IN, client))
        out = when + int(rng.uniform(0.5, 9) * 3600)
        if out < end and mix(seed, when) % 10 < 7:
            events.append(pack(out, serial, acct, SIGN_OUT, client))
    if fresh and not times and rate > 0 and end - created > WINDOW:
        before = end - WINDOW - rng.randrange(1, 400) * DAY // 2  # logged in before the window
        return max(before, created + DAY)
    return recorded_login(previous, times)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's Poisson sampler (lam is small here)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
