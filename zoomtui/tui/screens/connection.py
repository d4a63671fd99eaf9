"""Connection: credentials, region, rate tier and the Active switch; Save and Test Connection."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from zoomtui.services.connection import LABELS, ConnectionReport, test_connection
from zoomtui.settings import ENV_VARS, SettingsError, exposure_warning
from zoomtui.settings_values import coerce
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.config_io import save_changes
from zoomtui.tui.errors import error_text
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.widgets.toggles import TextCheckbox

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
    ("Global (zoom.us)", "global"),
    ("Zoom for Government", "gov"),
    ("Custom URLs", "custom"),
)
TIERS = (("Free", "free"), ("Pro", "pro"), ("Business / Education", "business"))
AUTHS = (
    ("Server-to-Server OAuth", "s2s"),
    ("JWT app (retired by Zoom 2023-09-08)", "jwt"),
)


def report_renderable(report: ConnectionReport) -> Table | Text:
    """The Test Connection result: account, scopes and one line per capability."""
    if not report.ok and not report.capabilities:
        return safe(f"✗ Connection failed: {report.error}", "bold")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    head = "✓ Connected" if report.ok else "✗ Connected, but users cannot be listed"
    table.add_row(Text(head, style="bold"), safe(f"account {report.account_id or 'unknown'}"))
    for name, cap in report.capabilities.items():
        if cap.available:
            table.add_row("  ok", safe(LABELS.get(name, name)))
        else:
            why = cap.detail or f"needs scope {cap.scope}"
            table.add_row(
                Text("  missing", style="bold"),
                safe(f"{LABELS.get(name, name)} — {why} (scope {cap.scope})"),  # Zoom's words
            )
    scopes = ", ".join(report.scopes) or "none reported"
    table.add_row("Scopes", safe(scopes, "dim"))
    if report.error:
        table.add_row("", safe(report.error))
    return table


class ConnectionScreen(ZoomScreen):
    """The settings form; errors are shown under the field they concern."""

    MODE = "connection"
    last_report: ConnectionReport | None = None
    BINDINGS: ClassVar[list[Binding]] = bindings_for("connection")  # type: ignore[assignment]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="conn-form"):
            yield Static("", id="conn-note", classes="counts")
            with Horizontal(classes="field-row"):
                yield Label("Auth method", classes="field-label")
                yield Select(AUTHS, id="in-auth", allow_blank=False, compact=True)
            for key, label, secret, group in TEXT_FIELDS:
                with Horizontal(classes=f"field-row group-{group}", id=f"row-{key}"):
                    yield Label(label, classes="field-label")
                    yield Input(id=f"in-{key}", password=secret, compact=True)
                yield Label("", id=f"err-{key}", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Label("Region", classes="field-label")
                yield Select(REGIONS, id="in-region", allow_blank=False, compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Rate tier", classes="field-label")
                yield Select(TIERS, id="in-rate_tier", allow_blank=False, compact=True)
            with Horizontal(classes="field-row"):
                yield Label("", classes="field-label")
                yield TextCheckbox(
                    "Active (scheduled runs happen only when active)", id="in-active", compact=True
                )
            with Horizontal(id="conn-buttons"):
                yield Button("Save", id="conn-save", variant="primary", compact=True)
                yield Button("Test connection", id="conn-test", compact=True)
            yield Static("", id="conn-result")

    def on_mount(self) -> None:
        super().on_mount()
        self.load_form()

    def load_form(self) -> None:
        """Show the effective settings; values set by the environment are read-only."""
        settings = self.ctx.settings
        sources = settings.sources()
        self.query_one("#in-auth", Select).value = settings.auth
        for key, _label, _secret, _group in TEXT_FIELDS:
            field = self.query_one(f"#in-{key}", Input)
            field.value = str(getattr(settings, key))
            if sources.get(key) == "env":
                field.disabled = True
                field.tooltip = f"Set by the environment variable {ENV_VARS.get(key, '')}."
        self.query_one("#in-region", Select).value = settings.region
        self.query_one("#in-rate_tier", Select).value = settings.rate_tier
        self.query_one("#in-active", TextCheckbox).value = settings.active
        note = "Secrets are stored in the settings file with mode 0600."
        if self.ctx.demo:
            note = "DEMO: the connection is the built-in emulator; Save does not write it."
        elif any(sources.get(k) == "env" for k in ENV_VARS):
            note += " Greyed fields come from environment variables, which win over the file."
        warning = None if self.ctx.demo else exposure_warning()
        if warning:
            note = warning  # the file's mode matters more than the general note
        self.query_one("#conn-note", Static).update(Text(note))
        self._show_groups()

    @property
    def auth(self) -> str:
        return "jwt" if self.query_one("#in-auth", Select).value == "jwt" else "s2s"

    def _show_groups(self) -> None:
        region = self.query_one("#in-region", Select).value
        shown = {"s2s": self.auth == "s2s", "jwt": self.auth == "jwt", "custom": region == "custom"}
        for group, visible in shown.items():
            for widget in self.query(f".group-{group}"):
                widget.display = visible

    @on(Select.Changed, "#in-auth")
    @on(Select.Changed, "#in-region")
    def _layout_changed(self) -> None:
        self._show_groups()

    # -- validation -----------------------------------------------------------------------------

    def form_values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form as settings values, and a message per invalid field."""
        values: dict[str, Any] = {"auth": self.auth}
        errors: dict[str, str] = {}
        region = self.query_one("#in-region", Select).value
        values["region"] = region
        values["rate_tier"] = self.query_one("#in-rate_tier", Select).value
        values["active"] = self.query_one("#in-active", TextCheckbox).value
        needed = {
            "s2s": ("account_id", "client_id", "client_secret"),
            "jwt": ("api_key", "api_secret"),
        }[self.auth]
        visible = {
            "s2s": self.auth == "s2s",
            "jwt": self.auth == "jwt",
            "custom": region == "custom",
        }
        for key, label, _secret, group in TEXT_FIELDS:
            text = self.query_one(f"#in-{key}", Input).value.strip()
            if not visible[group]:
                values[key] = getattr(self.ctx.settings, key)
                continue
            try:
                values[key] = coerce(key, text, from_text=True)
            except ValueError as exc:
                errors[key] = str(exc)
                continue
            if key in needed and not text:
                errors[key] = f"{label} is required for this auth method."
            if group == "custom" and region == "custom" and not text:
                errors[key] = f"{label} is required for a custom region."
        return values, errors

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, *_ in TEXT_FIELDS:
            label = self.query_one(f"#err-{key}", Label)
            label.update(safe(errors.get(key, "")))
            label.set_class(key in errors, "-shown")

    def _changes(self, values: dict[str, Any]) -> dict[str, Any]:
        """Only what differs from the effective settings, and never environment values."""
        settings, sources = self.ctx.settings, self.ctx.settings.sources()
        return {
            k: v for k, v in values.items() if getattr(settings, k) != v and sources.get(k) != "env"
        }

    # -- actions --------------------------------------------------------------------------------

    def action_save(self) -> None:
        values, errors = self.form_values()
        self.show_errors(errors)
        if errors:
            self.notify("Fix the highlighted fields first.", severity="error")
            return
        changes = self._changes(values)
        if not changes:
            self.notify("Nothing changed.")
            return
        try:
            path = save_changes(self.zapp, changes)
        except SettingsError as exc:
            self.report(exc, "Settings not saved")
            return
        if self.ctx.demo:
            self.notify("Demo: connection changes apply to this session only.")
        else:
            self.notify(f"Saved to {path}.", title="Settings")

    def action_test(self) -> None:
        values, errors = self.form_values()
        self.show_errors(errors)
        if errors:
            self.notify("Fix the highlighted fields first.", severity="error")
            return
        self.query_one("#conn-result", Static).update("Testing…")
        self.query_one("#conn-result", Static).scroll_visible()
        self.query_one("#conn-test", Button).disabled = True
        self.run_test(values)

    @work(exclusive=True, group="connection-test")
    async def run_test(self, values: dict[str, Any]) -> None:
        """Test the form's values (saved or not) without touching the settings file."""
        try:
            candidate = self.ctx.settings.updated(**self._changes(values))
            ctx = dataclasses.replace(self.ctx, settings=candidate)
            report = await test_connection(ctx)
            result: Table | Text = report_renderable(report)
        except Exception as exc:
            report, result = None, safe(f"✗ {error_text(exc)}", "bold")
        self.last_report = report
        panel = self.query_one("#conn-result", Static)
        panel.update(result)
        self.query_one("#conn-test", Button).disabled = False
        self.call_after_refresh(panel.scroll_visible)

    @on(Button.Pressed, "#conn-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#conn-test")
    def _test_pressed(self) -> None:
        self.action_test()
