"""Users: the filtered, sorted users of a complete run (the latest unless picked), windowed."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from zoomtui.errors import ZoomtuiError
from zoomtui.licences import status_word, tokens_of
from zoomtui.services.context import AppContext
from zoomtui.services.runs import complete_run_ids
from zoomtui.services.usage import hosting_window
from zoomtui.services.users import UserFilter, query_users, user_detail
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.errors import error_text
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen, dialog_again
from zoomtui.tui.screens.dialogs import ColumnPicker, UserDetailScreen, column_picker
from zoomtui.tui.screens.exporting import start_export
from zoomtui.tui.screens.users_data import UsersRead, read_page, read_users
from zoomtui.tui.widgets.filter_bar import FilterBar, FilterState
from zoomtui.tui.widgets.window_table import Column, Row, WindowTable

DETAIL_DIALOG = "detail"
"""The name the user detail is installed under: built once, shown again for each user."""


def detail_dialog(app: App[Any], email: str, detail: dict[str, Any]) -> UserDetailScreen:
    """The app's user detail dialog, showing ``email``."""
    return dialog_again(
        app,
        DETAIL_DIALOG,
        UserDetailScreen,
        lambda: UserDetailScreen(email, detail),
        lambda dialog: dialog.prepare(email, detail),
    )


def unprepared_detail_dialog() -> UserDetailScreen:
    """The user detail built ahead, before a user is chosen (``prepare`` shows one)."""
    return UserDetailScreen("", None)


def _date(value: Any) -> str:
    if value is None or value == "":
        return "never"
    return str(value)[:10]


def _name(row: Row) -> str:
    return f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip()


def _addons(row: Row) -> str:
    return ",".join(tokens_of(row.get("addons") or [], row.get("addon_capacities") or {}))


def _status(row: Row) -> str:
    return status_word(row.get("status"))


def _days(row: Row) -> str:
    """Days since the last login or sign-in; "never" for a user with neither.

    Why: at 80 columns Last login is on the next page, and a blank Idle read as unknown.
    """
    days = row.get("days_inactive")
    if days is None:
        return "never" if row.get("last_activity") is None else ""
    return f"{days:,}"


def _count(key: str) -> Any:
    """A hosting figure; blank when hosting is not known (no run read the host report)."""

    def text(row: Row) -> str:
        value = row.get(key)
        return "" if value is None else f"{value:,}"

    return text


def _hosted(row: Row) -> str:
    if row.get("meetings_last_n_days") is None:
        return ""  # not known, which is not "never"
    return str(row.get("last_hosted_month") or "never")


def _needs(row: Row) -> str:
    value = row.get("needs_licence")
    return "" if value is None else "yes" if value else "no"


COLUMNS = [
    Column("email", "Email", 25, grow=3),
    Column("last_name", "Name", 14, _name, grow=2),
    Column("status", "Status", 11, _status),
    Column("plan", "Plan", 10),
    Column("days_inactive", "Idle", 5, _days, right=True),
    Column("last_login_time", "Last login", 10, lambda r: _date(r.get("last_login_time"))),
    Column("addons", "Add-ons", 18, _addons, grow=2),
    Column("dept", "Department", 16, grow=1),
    Column("account_id", "Account", 14, grow=1),
    # Hosting over the filter's window (services/usage.py); off until picked (c), so the
    # 80-column view keeps its room for the e-mail.
    Column("last_hosted_month", "Hosted", 7, _hosted),
    Column("meetings_last_n_days", "Meets", 5, _count("meetings_last_n_days"), True),
    Column(
        "meeting_minutes_last_n_days", "Minutes", 7, _count("meeting_minutes_last_n_days"), True
    ),
    Column("needs_licence", "Needs lic.", 10, _needs),
]
HOSTING_KEYS = (
    "last_hosted_month",
    "meetings_last_n_days",
    "meeting_minutes_last_n_days",
    "needs_licence",
)
SHOWN = [c for c in COLUMNS if c.key not in HOSTING_KEYS]
UNSORTABLE = ("addons", *HOSTING_KEYS)  # computed per window, not columns SQL can order by
SORTABLE = [c.key for c in COLUMNS if c.key not in UNSORTABLE]
COLUMN_OPTIONS = [(c.key, c.label) for c in COLUMNS]
"""What the column picker (``c``) offers: every column, by key and heading."""


def unprepared_column_picker() -> ColumnPicker:
    """The column picker built ahead, before it is asked for (``prepare`` ticks the table's)."""
    return ColumnPicker(COLUMN_OPTIONS, [c.key for c in SHOWN], COLUMNS[0].key, lambda _: None)


def to_user_filter(state: FilterState) -> UserFilter:
    """The service's filter for what the filter bar shows (both share ``FilterFields``)."""
    return UserFilter(statuses=state.statuses, **state.filter_values())


class UsersScreen(ZoomScreen):
    """Filter bar, counts, the windowed table; Enter shows one user's detail."""

    MODE = "users"
    BINDINGS: ClassVar[list[Binding]] = bindings_for("users")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.state = FilterState()
        self.sort = "email"
        self.descending = False
        self.run_id: int | None = None
        self.pinned_run: int | None = None  # None follows the latest complete run
        self.error: str | None = None
        self.everyone = 0  # users of the shown statuses in the run, before the other filters
        self._options_due = True

    def compose_body(self) -> ComposeResult:
        yield FilterBar(id="filters")
        yield Static("", id="users-counts", classes="counts")
        yield WindowTable(SHOWN, id="users-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.load_options()
        self.reload()
        self.query_one(WindowTable).focus()

    def run_finished(self) -> None:
        self.load_options()
        self.reload(keep_cursor=True)

    # -- data -----------------------------------------------------------------------------------

    @property
    def table(self) -> WindowTable:
        return self.query_one(WindowTable)

    def load_options(self) -> None:
        """Read the pick lists again with the next reload (they follow the run shown)."""
        self._options_due = True

    def reload(self, *, keep_cursor: bool = False) -> None:
        """Re-query with the current filters and sort in a reader thread; the newest wins."""
        table = self.table
        table.sort_key, table.sort_descending = self.sort, self.descending
        if self.run_id is None and self.error is None:
            self.query_one("#users-counts", Static).update("Reading the history…")
        self._load(keep_cursor)

    @work(group="read-users", exit_on_error=False)
    async def _load(self, keep_cursor: bool) -> None:
        ticket = self.ticket("users")
        flt, pinned = to_user_filter(self.state), self.pinned_run
        sort, desc, options = self.sort, self.descending, self._options_due
        try:
            read = await self.zapp.reader(
                read_users, flt, pinned, sort, desc, WindowTable.PAGE_SIZE, options
            )
        except ZoomtuiError as exc:  # an unreadable history: one sentence where the counts go
            read = UsersRead(error=error_text(exc))
        if not self.is_latest("users", ticket):
            return  # a newer filter or sort asked meanwhile; its answer is on its way
        if options:
            self._options_due = False
            if read.options is not None:
                self.query_one(FilterBar).set_options(
                    plans=read.options.get("plans", []),
                    addons=read.options.get("addons", []),
                    accounts=read.options.get("accounts", []),
                    depts=read.options.get("depts", []),
                )
        if read.page is None:
            self.error = read.error
            self.table.set_provider(None)
        else:
            self.run_id, self.error, self.everyone = read.page.run_id, None, read.everyone
            run_id = read.page.run_id

            async def more(offset: int, limit: int) -> tuple[list[Row], int]:
                return await self.zapp.reader(read_page, flt, run_id, sort, desc, offset, limit)

            self.table.show_pages(read.page.rows, read.page.total, more, keep_cursor=keep_cursor)
        self.update_counts()

    def update_counts(self) -> None:
        counts = self.query_one("#users-counts", Static)
        if self.error:
            counts.update(safe(self.error))
            return
        shown = self.table.total
        which = "latest" if self.pinned_run is None else "older run, ] for newer"
        text = f"Run {self.run_id} ({which}) · {shown:,} of {self.everyone:,} users"
        described = self.state.describe(hosting_window(self.ctx, to_user_filter(self.state)))
        if described:
            text += f" · {described}"
        text += " · deactivated shown" if self.state.show_deactivated else " · deactivated hidden"
        counts.update(safe(text))

    # -- events ---------------------------------------------------------------------------------

    @on(FilterBar.Changed)
    def _filters_changed(self, event: FilterBar.Changed) -> None:
        self.state = event.state
        self.reload()

    @on(WindowTable.SortRequested)
    def _sort_requested(self, event: WindowTable.SortRequested) -> None:
        if event.key not in SORTABLE:
            label = next((c.label for c in COLUMNS if c.key == event.key), event.key)
            self.notify(f"{label} cannot be sorted; filter by it instead.")
            return
        if event.key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = event.key, False
        self.reload()

    @on(WindowTable.Selected)
    def _selected(self, event: WindowTable.Selected) -> None:
        email = event.row.get("email")
        if email:
            self.show_detail(str(email))

    @work(group="read-detail")
    async def show_detail(self, email: str) -> None:
        ticket = self.ticket("detail")
        try:
            detail = await self.zapp.reader(user_detail, email, self.run_id)
        except ZoomtuiError as exc:
            self.report(exc)
            return
        if not self.is_latest("detail", ticket):
            return
        await self.app.push_screen(detail_dialog(self.app, email, detail))

    # -- actions --------------------------------------------------------------------------------

    def action_show_selected(self) -> None:
        row = self.table.cursor_row
        if row is not None and row.get("email"):
            self.show_detail(str(row["email"]))

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one(FilterBar).focus_search()

    def action_toggle_filters(self) -> None:
        self.query_one(FilterBar).toggle_expanded()

    def action_toggle_deactivated(self) -> None:
        self.query_one(FilterBar).toggle_deactivated()

    def action_clear_filters(self) -> None:
        self.query_one(FilterBar).clear()

    def action_next_sort(self) -> None:
        index = SORTABLE.index(self.sort) if self.sort in SORTABLE else -1
        self.sort, self.descending = SORTABLE[(index + 1) % len(SORTABLE)], False
        self.reload()

    @work(group="read-user-runs", exit_on_error=False)
    async def _show_run(self, step: int) -> None:
        ticket = self.ticket("runs")
        try:
            runs = await self.zapp.reader(complete_run_ids)
        except Exception:
            return
        if not self.is_latest("runs", ticket):
            return
        if not runs:
            return
        current = runs.index(self.run_id) if self.run_id in runs else len(runs) - 1
        target = min(max(current + step, 0), len(runs) - 1)
        if target == current:
            self.notify("That is the oldest run." if step < 0 else "That is the latest run.")
            return
        self.pinned_run = None if target == len(runs) - 1 else runs[target]
        self.load_options()
        self.reload()

    def action_older_run(self) -> None:
        self._show_run(-1)

    def action_newer_run(self) -> None:
        self._show_run(+1)

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.reload()

    def action_pick_columns(self) -> None:
        table = self.query_one("#users-table", WindowTable)

        def apply(keys: list[str]) -> None:
            table.set_columns([c for c in COLUMNS if c.key in keys])

        shown = [c.key for c in table.columns]
        self.app.push_screen(column_picker(self.app, COLUMN_OPTIONS, shown, COLUMNS[0].key, apply))

    @work(group="read-reclaim-plan", exit_on_error=False)
    async def action_reclaim(self) -> None:
        """Plan a reclaim of the reclaim candidates among the users the filters show."""
        from zoomtui.tui.screens.reclaim import held_addons, reclaim_dialog

        flt, run_id = to_user_filter(self.state), self.run_id

        def selection(ctx: AppContext) -> tuple[set[str], tuple[str, ...]]:
            rows = query_users(ctx, flt, run_id).rows
            return {r["email"] for r in rows}, held_addons(rows)

        try:
            emails, addons = await self.zapp.reader(selection)
        except ZoomtuiError as exc:
            self.report(exc)
            return
        self.app.push_screen(
            reclaim_dialog(self.app, emails, addons=addons),
            lambda applied: self.reload(keep_cursor=True) if applied else None,
        )

    def action_export(self) -> None:
        flt, sort, desc = to_user_filter(self.state), self.sort, self.descending

        run_id = self.run_id

        def rows(ctx: AppContext) -> list[dict[str, Any]]:
            return query_users(ctx, flt, run_id, sort, desc).rows

        start_export(
            self, "users", f"users-run{self.run_id}", rows, count=self.table.total, fresh=True
        )
