"""Hostile user data: names, departments and e-mail addresses written by an attacker.

Why: every Zoom user can edit their own name, so an audit tool must show whatever Zoom
sends without letting it act on the operator's terminal or on a markup parser. A dataset
made with ``hostile=True`` (``zoomtui emulator --hostile``) gives every third user (never
an account owner) text built from :data:`PAYLOADS`: OSC 52 (clipboard) and OSC 0 (window
title) sequences, CSI colour and cursor codes, 8-bit C1 controls, bidi overrides and
isolates, Rich/Textual markup that closes unopened tags, runs actions or opens links, and a
very long name. Each field of a hostile user gets a different payload, so every payload
reaches every field within the first few dozen hostile users.

Hostility is a pure function of the seed-independent serial, like the rest of a user's
identity: ``advance`` keeps it, and users hired later are hostile in the same proportion.
The text stays recognisable (the pool name is kept) so tests can find these users.
Error answers get :data:`ERROR_PAYLOAD` after their text, since Zoom's error texts reach
stderr, the run history and the TUI's notifications.
"""

from __future__ import annotations

import json

import httpx

from zoomtui.emulator.columns import email_of, names
from zoomtui.emulator.names import DEPARTMENTS

EVERY = 3
"""Serials with ``serial % EVERY == 1`` are hostile (owners excepted)."""

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 12
PAYLOADS: tuple[str, ...] = (
    "\x1b]52;c;aGFja2VkIGNsaXBib2FyZA==\x07",  # OSC 52: write the clipboard
    "\x1b]0;pwned window title\x1b\\",  # OSC 0: set the window title (ST-terminated)
    "\x1b[31;1mred\x1b[2J\x1b[H\x1b[?25l",  # CSI: colour, clear screen, home, hide cursor
    "\u202egnp.exe\u202c",  # right-to-left override
    "\u2066iso\u2069\u200f\u061c\u200e",  # isolates and marks
    "Bob [/]",  # closes a tag that was never opened: MarkupError
    "[@click=app.quit]x[/]",  # a markup action
    "[link=https://evil.example/]x[/link]",  # a markup link
    "\x9b31m\x9d0;c1 title\x9c",  # 8-bit C1 CSI, OSC and ST
    "\x7f\x08\x08\r\x1b[K\x07",  # DEL, backspaces, CR, erase line, BEL
    LONG_NAME,
)


def is_hostile(serial: int, accounts: int) -> bool:
    """Whether a serial gets hostile text (account owners never do: they own routes)."""
    return serial >= accounts and serial % EVERY == 1


def variant(serial: int) -> int:
    """Which payload a hostile user's first name gets; the other fields follow on."""
    return serial // EVERY % len(PAYLOADS)


def payload(serial: int, field: int) -> str:
    return PAYLOADS[(variant(serial) + field) % len(PAYLOADS)]


def hostile_names(seed: int, serial: int) -> tuple[str, str, str]:
    """(first_name, last_name, display_name) of a hostile user."""
    first, last, display = names(seed, serial)
    return first + payload(serial, 0), last + payload(serial, 1), display + payload(serial, 2)


def hostile_dept(serial: int, dept: int) -> str:
    """The department of a hostile user: a payload, then the pool name (kept for diffs)."""
    name = DEPARTMENTS[dept]
    return f"{payload(serial, 3)} {name}" if name else payload(serial, 3)


def hostile_email(seed: int, serial: int, domain: str) -> str:
    """The address with a payload in its local part (still unique: the pool part is kept)."""
    local, _, host = email_of(seed, serial, domain).partition("@")
    return f"{local}{payload(serial, 4)}@{host}"


ERROR_PAYLOAD = "\x1b]0;pwned\x07\x1b[2J\u202e[@click=app.quit]x[/] Bob [/]"
"""Appended to every error text a hostile emulator sends (``message`` or ``reason``)."""


def spoil_error(response: httpx.Response) -> httpx.Response:
    """The same error answer with the payload after its ``message`` / ``reason``.

    Appended, not prepended: the client recognises some errors by their words.
    """
    try:
        body = json.loads(response.content)
    except ValueError:
        return response  # an HTML or truncated body stays as it is
    if not isinstance(body, dict):
        return response
    for key in ("message", "reason"):
        if isinstance(body.get(key), str):
            body[key] = f"{body[key]} {ERROR_PAYLOAD}"
    return httpx.Response(
        response.status_code,
        headers=[(k, v) for k, v in response.headers.items() if k.lower() != "content-length"],
        content=json.dumps(body, ensure_ascii=False).encode(),
    )
