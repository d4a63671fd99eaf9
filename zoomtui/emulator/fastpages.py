"""JSON text of the two hottest pages, user lists and sign-in reports, without dicts.

A first aggregation of a 100,000-user account asks for ~330 user-list pages
and ~1,300 sign-in report pages; building a dict per row with ``render`` and
encoding it was a quarter of a local run's CPU. These functions write the
same JSON text as those dicts encoded (tests compare the two over whole
datasets with awkward names) straight from the columns, with the pieces many
rows share escaped once per dataset. Every string that comes from a pool, an
account or a name goes through orjson, so escaping never differs.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from zoomtui.emulator import hostile_text
from zoomtui.emulator.columns import (
    PENDING,
    STATUS_BY_CODE,
    email_of,
    mix,
    name_pair,
    names,
    pmi_of,
    user_id,
)
from zoomtui.emulator.dataset import Dataset
from zoomtui.emulator.events import EPOCH0
from zoomtui.emulator.names import CLIENTS, DEPARTMENTS, TIMEZONES
from zoomtui.emulator.render import HOURS_MINUTES as _MINUTES
from zoomtui.emulator.render import SECONDS as _SECONDS
from zoomtui.emulator.render import bundle_license, day_prefix, group_id, iso

_MASK64 = (1 << 64) - 1
_OCTETS = tuple(str(i) for i in range(256))
_FIRST_OCTETS = tuple(str(i + 24) for i in range(128))
_LAST_OCTETS = tuple(str((i & 0xFD) + 1) for i in range(256))
_KINDS = ('","type":"Sign in","ip_address":"', '","type":"Sign out","ip_address":"')


def quote(text: str) -> str:
    """``text`` as a JSON string literal, escaped as ``json.dumps`` would."""
    return orjson.dumps(text).decode()


class Pieces:
    """Escaped JSON pieces of one dataset that many rows share, built on first use.

    E-mail addresses are the expensive per-user piece that both pages need
    (a user has about four events in six months): ~80 bytes each, so about
    11 MB for 100,000 users, held in one list per account indexed by serial
    (a dict cost twice the memory and a slower lookup per event). Names
    repeat every few thousand users, everything else comes from small pools.
    """

    def __init__(self, ds: Dataset) -> None:
        self.seed, self.now_epoch = ds.seed, ds.now_epoch
        # a hostile dataset's odd users are rendered one by one (see emulator.hostile_text)
        self.hostile, self.owners = ds.hostile, len(ds.accounts)
        self.domains = tuple(account.domain for account in ds.accounts)
        # [account index][serial] -> quoted address; serials stay below next_serial
        self.emails: list[list[str | None]] = [[None] * ds.next_serial for _ in ds.accounts]
        self.names: dict[int, str] = {}  # name_pair -> first, last and display name fields
        self.bundles: dict[tuple[int, int], str] = {}  # (account, zoom_one) -> license field
        self.clients = tuple(
            f'","client_type":{quote(client_type)},"version":{quote(version)}}}'
            for _, client_type, version in CLIENTS
        )
        self.versions = tuple(f',"last_client_version":{quote(v)}' for v, _, _ in CLIENTS)
        self.timezones = tuple(f',"timezone":{quote(tz)}' for tz in TIMEZONES)
        self.depts = tuple(f',"dept":{quote(d)}' if d else "" for d in DEPARTMENTS)
        self.groups = tuple(f',"group_ids":[{quote(group_id(i))}]' if d else ',"group_ids":[]'
                            for i, d in enumerate(DEPARTMENTS))  # fmt: skip
        self.statuses = tuple(f',"status":{quote(status)},"role_id":"' for status in STATUS_BY_CODE)

    def email(self, serial: int, acct: int) -> str:
        """The quoted address of a user (the account is part of the key, as in events)."""
        found = self.emails[acct][serial]
        if found is None:
            if self.hostile and hostile_text.is_hostile(serial, self.owners):
                address = hostile_text.hostile_email(self.seed, serial, self.domains[acct])
            else:
                address = email_of(self.seed, serial, self.domains[acct])
            found = self.emails[acct][serial] = quote(address)
        return found

    def name_fields(self, serial: int) -> str:
        """``"first_name":…,"last_name":…,"display_name":…`` of a user."""
        if self.hostile and hostile_text.is_hostile(serial, self.owners):
            first, last, display = hostile_text.hostile_names(self.seed, serial)
            return (f'"first_name":{quote(first)},"last_name":{quote(last)},'
                    f'"display_name":{quote(display)}')  # fmt: skip
        key = name_pair(self.seed, serial)
        found = self.names.get(key)
        if found is None:
            first, last, display = names(self.seed, serial)
            found = self.names[key] = (f'"first_name":{quote(first)},"last_name":{quote(last)},'
                                       f'"display_name":{quote(display)}')  # fmt: skip
        return found

    def dept(self, serial: int, dept: int) -> str:
        """``,"dept":…`` of a user, or nothing when the user has no department."""
        if dept and self.hostile and hostile_text.is_hostile(serial, self.owners):
            return f',"dept":{quote(hostile_text.hostile_dept(serial, dept))}'
        return self.depts[dept]

    def bundle(self, ds: Dataset, row: int) -> str:
        """``,"license_info_list":[…]`` of a bundle holder."""
        key = (ds.cols.acct[row], ds.cols.zoom_one[row])
        found = self.bundles.get(key)
        if found is None:
            entry = orjson.dumps([bundle_license(ds, row)]).decode()
            found = self.bundles[key] = f',"license_info_list":{entry}'
        return found


def pieces(ds: Dataset) -> Pieces:
    """The dataset's pieces; a new snapshot (``advance``) starts with fresh ones."""
    return ds.cached("fastpages", Pieces)


def activity_logs(ds: Dataset, keys: Sequence[int]) -> orjson.Fragment:
    """``activity_logs`` of packed events, as ``Dataset.event_json`` shapes each one.

    ``events.unpack``, ``render.iso`` and ``columns.ip_of`` (with ``mix``) are
    inlined: at ~400,000 events per run their calls were a third of the cost.
    """
    p = pieces(ds)
    seed, emails, email, clients = p.seed, p.emails, p.email, p.clients
    out: list[str] = []
    append, day, date = out.append, -1, ""
    mask, minutes, seconds, kinds = _MASK64, _MINUTES, _SECONDS, _KINDS
    first, octets, last = _FIRST_OCTETS, _OCTETS, _LAST_OCTETS
    for key in keys:
        low = key & 0xFFFFFFFF
        when, serial = (key >> 32) + EPOCH0, low >> 8
        second = when % 86_400
        if when - second != day:  # pages are in time order: the date rarely changes
            day = when - second
            date = day_prefix(day // 86_400)
        z = ((seed ^ when) * 0x9E3779B97F4A7C15 + serial * 0xBF58476D1CE4E5B9
             + 0x94D049BB133111EB) & mask  # fmt: skip
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        h = z ^ (z >> 31)
        append(
            f'{{"email":{emails[low >> 5 & 7][serial] or email(serial, low >> 5 & 7)},"time":"'
            f"{date}{minutes[second // 60]}{seconds[second % 60]}"
            f"{kinds[low >> 4 & 1]}{first[h & 0x7F]}.{octets[h >> 8 & 0xFF]}."
            f"{octets[h >> 16 & 0xFF]}.{last[h >> 24 & 0xFF]}{clients[low & 15]}"
        )
    return orjson.Fragment(f"[{','.join(out)}]".encode())


def user_list(ds: Dataset, rows: Sequence[int], request_epoch: int) -> orjson.Fragment:
    """``users`` of GET /users for these rows, as ``render.user_list_json`` shapes each."""
    p = pieces(ds)
    return orjson.Fragment(f"[{','.join([_user(p, ds, r, request_epoch) for r in rows])}]".encode())


def _user(p: Pieces, ds: Dataset, row: int, request_epoch: int) -> str:
    """One user object; the quirks are ``render.user_list_json``'s (see there)."""
    c = ds.cols
    seed, serial, status = p.seed, c.serial[row], c.status[row]
    created, dept = c.created[row], c.dept[row]
    if status == PENDING:
        head, pmi, verified, created_at = "{", "", ',"verified":0', iso(request_epoch)
    else:
        head = f'{{"id":"{user_id(seed, serial)}",'
        pmi, verified = f',"pmi":{pmi_of(seed, serial)}', ',"verified":1'
        bump = mix(seed, serial ^ 0xC0DE)
        created_at = iso(min(created + (bump % 3 == 0) * (bump % 200) * 86_400, p.now_epoch))
    login = c.last_login[row]
    last = f',"last_login_time":"{iso(login)}"{p.versions[c.client[row]]}' if login else ""
    united = f',"plan_united_type":"{c.united[row]}"' if c.united[row] else ""
    bundle = (
        p.bundle(ds, row) if c.zoom_one[row] and ds.accounts[c.acct[row]].duplicate_plans else ""
    )
    return (
        f'{head}{p.name_fields(serial)},"email":{p.email(serial, c.acct[row])},'
        f'"type":{c.utype[row]}{pmi}{p.timezones[c.tz[row]]}{verified}{p.dept(serial, dept)},'
        f'"created_at":"{created_at}","user_created_at":"{iso(created)}"{last}{united}'
        f'{p.statuses[status]}{c.role[row]}"{p.groups[dept]},"im_group_ids":[]{bundle}}}'
    )
