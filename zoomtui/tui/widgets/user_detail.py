"""The detail of one user: record, sign-in history and changes across runs.

It renders the dict it is given (``record``, ``sign_ins``, ``hosting``, ``history``) and
nothing else. Every value came from Zoom, so each one is a ``Text`` with controls made
visible: a Rich table parses plain strings as markup, and a first name ``Bob [/]`` would
crash the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from zoomtui.licences import addon_label, status_word, tokens_of
from zoomtui.tui.safe import safe_text

RECORD_FIELDS = (
    ("email", "Email"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("status", "Status"),
    ("plan", "Plan"),
    ("bundle", "Bundle"),
    ("addons", "Add-ons"),
    ("meetings_hosted_in", "Meetings hosted in"),
    ("dept", "Department"),
    ("account_id", "Account"),
    ("last_login_time", "Last login"),
    ("last_sign_in", "Last sign-in"),
    ("days_inactive", "Days idle"),
    ("last_hosted_month", "Last hosted"),
    ("hosting_since", "Hosting counted since"),
    ("meetings_last_n_days", "Meetings hosted since"),
    ("meeting_minutes_last_n_days", "Meeting minutes since"),
    ("needs_licence", "Needs a licence"),
    ("user_created_at", "Created"),
    ("last_client_version", "Client"),
    ("id", "Zoom id"),
)
MAX_SIGN_INS = 50


def plain(value: Any) -> str:
    """A value as the operator reads it: lists joined, None as a dash, controls made visible."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return safe_text(", ".join(str(v) for v in value)) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_text(value)


def _shown(key: str, record: Mapping[str, Any]) -> Any:
    """Zoom's values in the product's words: add-ons with capacity, "deactivated"."""
    if key == "addons":
        tokens = tokens_of(record.get("addons") or [], record.get("addon_capacities") or {})
        return [addon_label(t) for t in tokens]
    if key == "status":
        return status_word(record.get("status"))
    return record[key]


def _record(record: Mapping[str, Any]) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    shown = set()
    for key, label in RECORD_FIELDS:
        if key == "meetings_hosted_in" and not record.get(key):
            continue  # only worth a line where a host's meetings are hosted in China / India
        if key in record:
            shown.add(key)
            value = plain(_shown(key, record))
            if key == "plan" and record.get("type") is not None and not value.startswith("Type"):
                value += f" (Zoom user type {record['type']})"  # the number alone meant nothing
            table.add_row(label, Text(value))
    return table


def _sign_ins(events: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not events:
        return Text("No sign-in events recorded.", style="dim")
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("Time (UTC)", "Event", "Client", "IP"):
        table.add_column(name, no_wrap=True)
    for event in list(events)[:MAX_SIGN_INS]:
        table.add_row(
            *(Text(plain(event.get(key))) for key in ("time", "type", "client_type", "ip_address"))
        )
    if len(events) > MAX_SIGN_INS:
        table.add_row(f"… {len(events) - MAX_SIGN_INS:,} older", "", "", "")
    return table


def _hosting(months: Sequence[Mapping[str, Any]]) -> RenderableType:
    """Meetings hosted per calendar month (Zoom's host report), newest first."""
    if not months:
        return Text("No hosting recorded.", style="dim")
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("Month", "Meetings", "Minutes", "Participants", ""):
        table.add_column(name, no_wrap=True)
    for month in months:
        table.add_row(
            Text(plain(month.get("month"))),
            Text(plain(month.get("meetings"))),
            Text(plain(month.get("meeting_minutes"))),
            Text(plain(month.get("participants"))),
            Text("" if month.get("complete") else "so far", style="dim"),
        )
    return table


HISTORY_FIELDS = ("status", "plan", "type", "bundle", "addons", "dept", "account_id")


def _history(entries: Sequence[Mapping[str, Any]]) -> RenderableType:
    """Versions of the user across runs: the first one in full, then only what changed."""
    if not entries:
        return Text("No history recorded.", style="dim")
    if any("changes" in e for e in entries):
        lines = Text()
        for entry in entries:
            lines.append(f"run {entry.get('run_id', '?')}\n", style="bold")
            for field, pair in (entry.get("changes") or {}).items():
                lines.append(f"  {field}: {plain(pair[0])} → {plain(pair[1])}\n")
        return lines
    versions = sorted(entries, key=lambda e: e.get("valid_from_run") or 0)
    lines = Text()
    previous: Mapping[str, Any] | None = None
    for version in versions:
        start, end = version.get("valid_from_run"), version.get("valid_to_run")
        span = f"runs {start}–{end - 1}" if isinstance(end, int) else f"since run {start}"
        if previous is None:
            lines.append(f"{span}: first seen\n", style="bold")
            summary = ", ".join(
                f"{f} {plain(version.get(f))}" for f in HISTORY_FIELDS if f in version
            )
            lines.append(f"  {summary}\n")
        else:
            changed = [f for f in HISTORY_FIELDS if previous.get(f) != version.get(f)]
            lines.append(f"{span}\n", style="bold")
            for field in changed or ["(login activity only)"]:
                if field in HISTORY_FIELDS:
                    before, after = plain(previous.get(field)), plain(version.get(field))
                    lines.append(f"  {field}: {before} → {after}\n")
                else:
                    lines.append(f"  {field}\n", style="dim")
        previous = version
    return lines


class UserDetail(VerticalScroll):
    """Three sections, scrollable; empty until ``show`` is called."""

    DEFAULT_CSS = """
    UserDetail > Static { margin-bottom: 1; }
    UserDetail > .detail-title { text-style: bold underline; margin-bottom: 0; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("Record", classes="detail-title")
        yield Static(id="detail-record")
        yield Static("Sign-in history", classes="detail-title")
        yield Static(id="detail-sign-ins")
        yield Static("Hosting by month", classes="detail-title")
        yield Static(id="detail-hosting")
        yield Static("Changes across runs", classes="detail-title")
        yield Static(id="detail-history")

    def show(self, detail: Mapping[str, Any]) -> None:
        record = detail.get("record") or {}
        self.query_one("#detail-record", Static).update(_record(record))
        self.query_one("#detail-sign-ins", Static).update(
            Group(_sign_ins(detail.get("sign_ins") or []))
        )
        self.query_one("#detail-hosting", Static).update(_hosting(detail.get("hosting") or []))
        self.query_one("#detail-history", Static).update(_history(detail.get("history") or []))
