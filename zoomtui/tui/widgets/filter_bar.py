"""The users filter bar: search always visible, the other filters one key away.

It only collects what the operator chose and posts ``FilterBar.Changed`` with a plain
``FilterState``; the screen turns that into a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Label, Select

from zoomtui.filters import FilterFields
from zoomtui.tui.safe import safe, safe_text
from zoomtui.tui.widgets.toggles import TextCheckbox

ANY = Select.NULL
SEARCH_DEBOUNCE_S = 0.15


@dataclass(frozen=True)
class FilterState(FilterFields):
    """What the operator asked to see: the shared filters plus the deactivated switch."""

    show_deactivated: bool = False

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.show_deactivated:
            return ("active", "pending", "inactive")
        return ("active", "pending")

    def describe(self, hosting_days: int | None = None) -> str:
        """The active filters in a few words, for the counts line (controls made visible).

        ``hosting_days``: the window of "hosted minutes below" when no "not hosted"
        days are typed (the ``inactive_days`` setting, as in the CLI).
        """
        parts = [*self.plans, *(f"+{a}" for a in self.addons)]
        if self.account:
            parts.append(f"account {self.account}")
        if self.dept:
            parts.append(f"dept {self.dept}")
        if self.inactive_days is not None:
            parts.append(f"idle ≥{self.inactive_days}d")
        if self.never_logged_in:
            parts.append("never logged in")
        if self.not_hosted_days is not None:
            parts.append(f"not hosted in {self.not_hosted_days}d")
        if self.hosted_minutes_below is not None:
            days = self.not_hosted_days if self.not_hosted_days is not None else hosting_days
            window = "" if days is None else f" in {days}d"
            parts.append(f"hosted <{self.hosted_minutes_below} min{window}")
        if self.search:
            parts.append(f"“{self.search}”")
        return safe_text(", ".join(parts))


class FilterBar(Vertical):
    """Search input plus a collapsible row of selects and switches."""

    DEFAULT_CSS = """
    FilterBar { height: auto; }
    FilterBar #filter-more { height: auto; display: none; }
    FilterBar.-expanded #filter-more { display: block; }
    """

    class Changed(Message):
        """The filters changed."""

        def __init__(self, state: FilterState) -> None:
            super().__init__()
            self.state = state

    SELECTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("plan", "Any plan"),
        ("addon", "Any add-on"),
        ("account", "Any account"),
        ("dept", "Any department"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = FilterState()
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-top"):
            yield Input(placeholder="Search email or name  ( / )", id="search", compact=True)
            yield TextCheckbox("Deactivated", id="show-deactivated", compact=True)
        with Vertical(id="filter-more"):
            with Horizontal(classes="filter-row"):
                for name, prompt in self.SELECTS[:2]:
                    yield Select[str]([], prompt=prompt, id=f"f-{name}", compact=True)
            with Horizontal(classes="filter-row"):
                for name, prompt in self.SELECTS[2:]:
                    yield Select[str]([], prompt=prompt, id=f"f-{name}", compact=True)
            with Horizontal(classes="filter-row"):
                yield Label("Idle ≥", classes="filter-label")
                yield Input(
                    placeholder="days",
                    id="f-inactive",
                    type="integer",
                    compact=True,
                    max_length=5,
                )
                yield TextCheckbox("Never logged in", id="f-never", compact=True)
            # The CLI's --not-hosted-days and --hosted-minutes-below (Zoom's host report).
            with Horizontal(classes="filter-row"):
                yield Label("Not hosted ≥", classes="filter-label")
                yield Input(
                    placeholder="days",
                    id="f-not-hosted",
                    type="integer",
                    compact=True,
                    max_length=5,
                )
                yield Label("Hosted min <", classes="filter-label")
                yield Input(
                    placeholder="min", id="f-hosted-min", type="integer", compact=True, max_length=7
                )

    # -- public API -----------------------------------------------------------------------------

    def set_options(
        self,
        *,
        plans: Iterable[str],
        addons: Iterable[str],
        accounts: Iterable[str],
        depts: Iterable[str],
    ) -> None:
        """Offer the values present in the current run (keeps a still-valid choice)."""
        for name, values in (
            ("plan", plans),
            ("addon", addons),
            ("account", accounts),
            ("dept", depts),
        ):
            select = self.query_one(f"#f-{name}", Select)
            current = select.value
            # Text prompts: a department like "[link=…]x" is a name, not markup to parse
            options = [(safe(v) if v else safe("(none)"), v) for v in values]
            with select.prevent(Select.Changed):
                select.set_options(options)
                if current is not ANY and any(v == current for _, v in options):
                    select.value = current

    @property
    def expanded(self) -> bool:
        return self.has_class("-expanded")

    def toggle_expanded(self) -> None:
        self.toggle_class("-expanded")
        if self.expanded:
            self.query_one("#f-plan", Select).focus()

    def toggle_deactivated(self) -> None:
        box = self.query_one("#show-deactivated", Checkbox)
        box.value = not box.value

    def focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def clear(self) -> None:
        """Back to the defaults (deactivated hidden, no filters)."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#search", Input).value = ""
            for box in ("#f-inactive", "#f-not-hosted", "#f-hosted-min"):
                self.query_one(box, Input).value = ""
            self.query_one("#f-never", Checkbox).value = False
            self.query_one("#show-deactivated", Checkbox).value = False
            for name, _ in self.SELECTS:
                self.query_one(f"#f-{name}", Select).clear()
        self._emit(FilterState())

    # -- events ---------------------------------------------------------------------------------

    def _emit(self, state: FilterState) -> None:
        if state != self.state:
            self.state = state
            self.post_message(self.Changed(state))

    def _select_value(self, name: str) -> str | None:
        value = self.query_one(f"#f-{name}", Select).value
        return None if value is ANY else str(value)

    def _number(self, box: str) -> int | None:
        """A typed whole number, or None while the box is empty or holds a stray sign."""
        text = self.query_one(box, Input).value.strip()
        return int(text) if text.isascii() and text.isdigit() else None

    def _read(self) -> FilterState:
        plan, addon = self._select_value("plan"), self._select_value("addon")
        return replace(
            self.state,
            plans=(plan,) if plan else (),
            addons=(addon,) if addon else (),
            account=self._select_value("account"),
            dept=self._select_value("dept"),
            inactive_days=self._number("#f-inactive"),
            not_hosted_days=self._number("#f-not-hosted"),
            hosted_minutes_below=self._number("#f-hosted-min"),
            never_logged_in=self.query_one("#f-never", Checkbox).value,
            show_deactivated=self.query_one("#show-deactivated", Checkbox).value,
            search=self.query_one("#search", Input).value.strip(),
        )

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        self._emit(self._read())

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE_S, lambda: self._emit(self._read()))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._emit(self._read())
