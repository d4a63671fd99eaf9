"""Compact column storage for users and identity helpers derived from a serial.

A 100,000-user account has to fit in a few megabytes, so users live in typed
``array`` columns (one small integer per field) rather than dicts; names,
e-mail addresses, ids and PMIs are pure functions of the user's serial and
the seed, computed only when a page is rendered.
"""

from __future__ import annotations

import base64
import hashlib
from array import array
from collections.abc import Iterable, Sequence

from zoomtui.emulator.names import FIRST_NAMES, LAST_NAMES

STATUS_BY_CODE = ("active", "inactive", "pending")  # the index is the status code stored per user
ACTIVE, INACTIVE, PENDING = 0, 1, 2
_MASK64 = (1 << 64) - 1
_NCOMBO = len(FIRST_NAMES) * len(LAST_NAMES)
_PERM_A = 1021  # coprime with _NCOMBO, so serial -> name pair is a bijection per block

# name -> array typecode; "b" fields are indices into fixed pools.
FIELDS: dict[str, str] = {
    "serial": "i",
    "acct": "b",
    "status": "b",
    "utype": "b",
    "dept": "b",
    "role": "b",
    "tz": "b",
    "lang": "b",
    "client": "b",
    "created": "q",
    "last_login": "q",  # 0 = never logged in
    "united": "i",  # plan_united_type or 0
    "zoom_one": "q",  # zoom_one_type or 0 (values reach 2**59)
    "addons": "i",  # add-on bit mask, see plans.ADDONS
}


class Columns:
    """One typed array per user field; row ``i`` of every array is one user."""

    __slots__ = tuple(FIELDS)

    serial: array[int]
    acct: array[int]
    status: array[int]
    utype: array[int]
    dept: array[int]
    role: array[int]
    tz: array[int]
    lang: array[int]
    client: array[int]
    created: array[int]
    last_login: array[int]
    united: array[int]
    zoom_one: array[int]
    addons: array[int]

    def __init__(self) -> None:
        for name, code in FIELDS.items():
            setattr(self, name, array(code))

    def __len__(self) -> int:
        return len(self.serial)

    def append(self, **values: int) -> None:
        """Add one user; every field must be given."""
        for name in FIELDS:
            getattr(self, name).append(values[name])

    def copy(self) -> Columns:
        """An independent copy (arrays copy with one memcpy each)."""
        other = Columns()
        for name in FIELDS:
            setattr(other, name, array(FIELDS[name], getattr(self, name)))
        return other

    def without(self, rows: Iterable[int]) -> Columns:
        """A copy without the given rows (order of the others kept)."""
        drop = set(rows)
        keep = [i for i in range(len(self)) if i not in drop]
        other = Columns()
        for name in FIELDS:
            col: Sequence[int] = getattr(self, name)
            setattr(other, name, array(FIELDS[name], [col[i] for i in keep]))
        return other


def mix(seed: int, value: int) -> int:
    """Splitmix64 of (seed, value): a fast deterministic per-user hash."""
    z = (seed * 0x9E3779B97F4A7C15 + value * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def name_pair(seed: int, serial: int) -> int:
    """Which (first, last) combination a serial gets; users sharing it share their names."""
    return (serial * _PERM_A + seed) % _NCOMBO


def name_of(seed: int, serial: int) -> tuple[int, int, int]:
    """(first name index, last name index, disambiguation suffix) of a serial."""
    pair = name_pair(seed, serial)
    return pair // len(LAST_NAMES), pair % len(LAST_NAMES), serial // _NCOMBO


def names(seed: int, serial: int) -> tuple[str, str, str]:
    """(first_name, last_name, display_name) with the pools' accents kept."""
    fi, li, _ = name_of(seed, serial)
    first, last = FIRST_NAMES[fi][0], LAST_NAMES[li][0]
    if first[0] > "\u2e80" and last[0] > "\u2e80":  # CJK: family name first, no space
        return first, last, last + first
    return first, last, f"{first} {last}"


def email_of(seed: int, serial: int, domain: str) -> str:
    """The user's address: first.last[N][+zoom]@domain; about 5% plus-addressed."""
    fi, li, k = name_of(seed, serial)
    local = f"{FIRST_NAMES[fi][1]}.{LAST_NAMES[li][1]}{k or ''}"
    if mix(seed, serial) % 20 == 7:
        local += "+zoom"
    return f"{local}@{domain}"


def user_id(seed: int, serial: int) -> str:
    """A 22-character Zoom-looking id that encodes the serial reversibly."""
    head = hashlib.blake2b(f"{seed}:{serial}".encode(), digest_size=12).digest()
    tail = (serial ^ int.from_bytes(head[:4], "big") ^ (seed & 0xFFFFFFFF)).to_bytes(4, "big")
    return base64.urlsafe_b64encode(head + tail).decode().rstrip("=")


def serial_of_id(seed: int, text: str) -> int | None:
    """The serial encoded in ``user_id``'s output, or None for a foreign id."""
    if len(text) != 22:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "==")
    except (ValueError, TypeError):
        return None
    if len(raw) != 16:
        return None
    serial = int.from_bytes(raw[12:], "big") ^ int.from_bytes(raw[:4], "big") ^ (seed & 0xFFFFFFFF)
    return serial if user_id(seed, serial) == text else None


def pmi_of(seed: int, serial: int) -> int:
    """A ten-digit personal meeting id."""
    return 2_000_000_000 + mix(seed, serial ^ 0x5A5A) % 7_999_999_999


def ip_of(seed: int, serial: int, when: int) -> str:
    """A plausible public IPv4 address for one sign-in."""
    h = mix(seed ^ when, serial)
    return f"{(h & 0x7F) + 24}.{h >> 8 & 0xFF}.{h >> 16 & 0xFF}.{(h >> 24 & 0xFD) + 1}"
