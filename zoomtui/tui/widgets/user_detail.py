"""The detail of one user: record, sign-in history and changes across runs.

It renders the dict it is given (``record``, ``sign_ins``, ``hosting``, ``history``) and
nothing else. Every value came from Zoom, so each one is a ``Text`` with controls made
visible: a Rich table parses plain strings as markup, and a first name ``Bob [/]`` would
crash the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

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
        lines.rstrip()  # its last newline drew a second blank line at the end
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
    lines.rstrip()  # its last newline drew a second blank line at the end
    return lines


SECTIONS = (
    ("record", "Record"),
    ("sign-ins", "Sign-in history"),
    ("hosting", "Hosting by month"),
    ("history", "Changes across runs"),
)


class UserDetail(ScrollView, can_focus=True):
    """Four titled sections in one scrollable widget; empty until ``show`` is called.

    Why one line-API widget and not a Static per section: Textual measured each Static's
    height by rendering its Rich table, rendered it again to draw it, and laid the dialog
    out again when the tables arrived. Here the sections are rendered once per width.
    """

    DEFAULT_CSS = """
    UserDetail { overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections: dict[str, RenderableType] = {}
        self._drawn: list[list[Segment]] = []  # the lines, before the widget's own style
        self._lines: list[Strip] = []
        self._styled_with: Style | None = None  # the widget's style in _lines (a theme change)
        self._fitted: tuple[int, int] | None = None  # (width, height) the lines are for
        self._reserved = 0  # lines to scroll over before any detail is shown (``reserve``)

    def reserve(self, lines: int) -> None:
        """Scroll over ``lines`` blank lines until ``show`` is called.

        Why: built ahead with nothing to show, the widget had no scrollbar; the first
        record shown (most are longer than the dialog) then made one appear, and Textual
        laid the dialog out twice more (the scrollbar's visibility, then its size) after
        the first frame. Reserving lines lays the scrollbar out ahead, unseen.
        """
        self._reserved, self.sections = lines, {}
        self._refit()

    def show(self, detail: Mapping[str, Any]) -> None:
        self._reserved = 0
        self.sections = {
            "record": _record(detail.get("record") or {}),
            "sign-ins": _sign_ins(detail.get("sign_ins") or []),
            "hosting": _hosting(detail.get("hosting") or []),
            "history": _history(detail.get("history") or []),
        }
        self._refit()

    def _refit(self) -> None:
        self._fitted = None
        # Known before any rendering, so the first layout already has its scrollbar
        # and fitting to the width does not lay the dialog out again.
        self.virtual_size = Size(0, self._fewest_lines())
        self._fit()

    def _fewest_lines(self) -> int:
        """The lines the sections take at any width: each row, title and gap at least one."""
        if self._reserved:
            return self._reserved
        count = 0
        for key, _title in SECTIONS:
            body = self.sections.get(key)
            if isinstance(body, Table):
                count += body.row_count + (1 if body.show_header else 0)
            elif isinstance(body, Text):
                count += len(body.plain.split("\n"))  # a final newline draws a blank line
            count += 2  # the title and the blank line after the section
        return count

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Render the sections for the width there is, with room for a scrollbar if needed."""
        region = self.content_region
        if not region.width or (region.width, region.height) == self._fitted:
            return
        self._fitted = (region.width, region.height)
        width = region.width
        room = self.styles.scrollbar_size_vertical  # the CSS width, shown or not yet
        if self._fewest_lines() > region.height and width > room:
            width -= room  # it will scroll: render once, beside the scrollbar
        lines = self._draw(width)
        if len(lines) > region.height and width == region.width and width > room:
            width -= room  # long values wrapped onto more lines than there is room for
            lines = self._draw(width)
        self._drawn, self._styled_with = lines, None
        # Only the height: a change of the virtual size lays the whole dialog out again,
        # and the width is never scrolled (overflow-x: hidden).
        self.virtual_size = Size(0, len(lines))
        self.refresh()

    def _draw(self, width: int) -> list[list[Segment]]:
        if self._reserved:
            return [[] for _ in range(self._reserved)]
        console = self.app.console
        options = self.app.console_options.update(highlight=False, width=width)
        lines: list[list[Segment]] = []
        for key, title in SECTIONS:
            for renderable in (Text(title, style="bold underline"), self.sections.get(key)):
                if renderable is None:
                    continue
                segments = console.render(renderable, options)
                for line in Segment.split_and_crop_lines(
                    segments, width, pad=False, include_new_lines=False
                ):
                    lines.append(line)
            lines.append([])  # a blank line after each section
        return lines

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if base != self._styled_with:  # as a Static does: the widget's style under each cell
            self._lines = [Strip(Segment.apply_style(line, base)) for line in self._drawn]
            self._styled_with = base
        index = int(self.scroll_offset.y) + y
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return Strip.blank(0)
