"""What the Connection form holds, in the order an operator fills it in.

Why apart from the screen: the declarations are data the screen, its tests and its dialog
labels share; the screen module keeps the behaviour (focus, unsaved edits, save, test).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from zoomtui import regions

TEXT_FIELDS: tuple[tuple[str, str, bool, str], ...] = (
    # key, label, secret, group (s2s / jwt / custom)
    ("account_id", "Account ID", False, "s2s"),
    ("client_id", "Client ID", False, "s2s"),
    ("client_secret", "Client secret", True, "s2s"),
    ("api_key", "API key", False, "jwt"),
    ("api_secret", "API secret", True, "jwt"),
    ("api_url", "API URL", False, "custom"),
    ("oauth_url", "OAuth URL", False, "custom"),
)
REGIONS = (
    *((r.label, r.name) for r in regions.REGIONS.values()),
    (regions.CUSTOM_LABEL, regions.CUSTOM),
)
HINT = "Tab: next field · Esc: leave the field, then 1-7 switch screens"
"""Why a hint and no alt+digit: Textual reads ESC+digit as a macOS Option character (™)."""
FIELD_LABELS = {
    "auth": "Auth method",
    "region": "Region",
    "rate_tier": "Rate tier",
    "active": "Active",
}
TIERS = (("Free", "free"), ("Pro", "pro"), ("Business / Education", "business"))
AUTHS = (
    ("Server-to-Server OAuth", "s2s"),
    ("JWT app (retired by Zoom 2023-09-08)", "jwt"),
)


def select_row(label: str, options: tuple[tuple[str, str], ...], id: str) -> ComposeResult:
    """One labelled drop-down on one line."""
    with Horizontal(classes="field-row"):
        yield Label(label, classes="field-label")
        yield Select(options, id=id, allow_blank=False, compact=True)


def text_rows(groups: tuple[str, ...]) -> ComposeResult:
    """The text fields of some groups, each followed by the line its error goes on."""
    for key, label, secret, group in TEXT_FIELDS:
        if group in groups:
            with Horizontal(classes=f"field-row group-{group}", id=f"row-{key}"):
                yield Label(label, classes="field-label")
                yield Input(id=f"in-{key}", password=secret, compact=True)
            yield Label("", id=f"err-{key}", classes="field-error")
