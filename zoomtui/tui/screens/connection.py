"""Connection: credentials, region, rate tier and the Active switch; Save and Test Connection."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from zoomtui.services.connection import ConnectionReport, test_connection
from zoomtui.settings import ENV_VARS, SettingsError, exposure_warning
from zoomtui.settings_values import coerce
from zoomtui.tui.actions import bindings_for, by_id
from zoomtui.tui.config_io import save_changes
from zoomtui.tui.errors import error_text
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.connection_fields import (
    AUTHS,
    FIELD_LABELS,
    HINT,
    REGIONS,
    TEXT_FIELDS,
    TIERS,
    select_row,
    text_rows,
)
from zoomtui.tui.screens.connection_report import report_renderable
from zoomtui.tui.screens.dialogs import UnsavedDialog
from zoomtui.tui.screens.help import keymap_of, keys_of
from zoomtui.tui.widgets.toggles import TextCheckbox


class ConnectionScreen(ZoomScreen):
    """The settings form in the order it is filled; errors are shown under their field.

    Why the focus rules: digits switch screens everywhere else, so after Save or a test the
    focus leaves the form and a digit typed next cannot land in a field unseen.
    """

    MODE = "connection"
    AUTO_FOCUS: ClassVar[str | None] = ""  # until mounted: see on_mount
    last_report: ConnectionReport | None = None
    BINDINGS: ClassVar[list[Binding]] = bindings_for("connection")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._saved_state: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="conn-form"):
            yield Static("", id="conn-note", classes="counts")
            yield from select_row(FIELD_LABELS["auth"], AUTHS, "in-auth")
            yield from text_rows(("s2s", "jwt"))
            yield from select_row(FIELD_LABELS["region"], REGIONS, "in-region")
            yield from text_rows(("custom",))
            yield from select_row(FIELD_LABELS["rate_tier"], TIERS, "in-rate_tier")
            with Horizontal(classes="field-row"):
                yield Label("", classes="field-label")
                yield TextCheckbox(
                    "Active (scheduled runs include it)", id="in-active", compact=True
                )
            with Horizontal(id="conn-buttons"):
                yield Button("Save", id="conn-save", variant="primary", compact=True)
                yield Button("Test connection", id="conn-test", compact=True)
                yield Button("New profile", id="conn-new", compact=True)
                yield Label("", id="conn-dirty")
            yield Static(HINT, id="conn-status")
            yield Static("", id="conn-result")

    def on_mount(self) -> None:
        super().on_mount()
        self.load_form()
        # The first field focused at once: Textual's auto focus (after compose) gave the
        # focus to the form's scroll container first, restyling its 60 widgets twice
        # (0.1 s of the loop) before the field got it. Shown again, the screen auto
        # focuses as before (after Save the focus is out of the form, on the container).
        self.set_focus(self.first_empty())
        self.AUTO_FOCUS = None  # type: ignore[misc]  # this screen's own: the app's default

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
        if not self.ctx.demo:  # which account this form edits: every profile has its own file
            note = f"Profile {self.ctx.profile}. {note}"
        warning = None if self.ctx.demo else exposure_warning(self.ctx.config_path)
        if warning:
            note = warning  # the file's mode matters more than the general note
        self.query_one("#conn-note", Static).update(Text(note))
        self._show_groups()
        self.show_errors({})
        self._saved_state = self.form_state()
        self._show_dirty()

    @property
    def auth(self) -> str:
        return "jwt" if self.query_one("#in-auth", Select).value == "jwt" else "s2s"

    def _visible_groups(self) -> dict[str, bool]:
        region = self.query_one("#in-region", Select).value
        return {"s2s": self.auth == "s2s", "jwt": self.auth == "jwt", "custom": region == "custom"}

    def _show_groups(self) -> None:
        for group, visible in self._visible_groups().items():
            for widget in self.query(f".group-{group}"):
                widget.display = visible

    @on(Select.Changed, "#in-auth")
    @on(Select.Changed, "#in-region")
    def _layout_changed(self) -> None:
        self._show_groups()

    # -- focus ----------------------------------------------------------------------------------

    def editable_fields(self) -> list[Input]:
        """The text fields the operator can fill now, in the order they are filled."""
        shown = self._visible_groups()
        return [
            self.query_one(f"#in-{key}", Input)
            for key, _label, _secret, group in TEXT_FIELDS
            if shown[group] and not self.query_one(f"#in-{key}", Input).disabled
        ]

    def focus_first_empty(self) -> None:
        """Focus the first empty field, or Test connection when every field is filled."""
        self.first_empty().focus()

    def first_empty(self) -> Input | Button:
        for field in self.editable_fields():
            if not field.value.strip():
                return field
        return self.query_one("#conn-test", Button)

    def _focus_first_error(self, errors: dict[str, str]) -> None:
        for key, *_ in TEXT_FIELDS:
            if key in errors:
                self.query_one(f"#in-{key}", Input).focus()
                return

    # -- unsaved changes ------------------------------------------------------------------------

    def form_state(self) -> dict[str, Any]:
        """Every field's raw value, to tell an edited form from the saved one."""
        state: dict[str, Any] = {
            key: self.query_one(f"#in-{key}", Input).value for key, *_ in TEXT_FIELDS
        }
        for key in ("auth", "region", "rate_tier"):
            state[key] = self.query_one(f"#in-{key}", Select).value
        state["active"] = self.query_one("#in-active", TextCheckbox).value
        return state

    def unsaved(self) -> list[str]:
        """The fields edited since the last load or save (hidden fields are never saved)."""
        shown = self._visible_groups()
        hidden = {key for key, _l, _s, group in TEXT_FIELDS if not shown[group]}
        state = self.form_state()
        return [k for k, v in state.items() if k not in hidden and self._saved_state.get(k) != v]

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _show_dirty(self) -> None:
        dirty = self.query_one("#conn-dirty", Label)
        edited = bool(self._saved_state) and bool(self.unsaved())
        dirty.update("● unsaved changes" if edited else "")
        dirty.set_class(edited, "-shown")

    def leave_then(self, proceed: Callable[[], object]) -> None:
        """Ask save / discard / stay before leaving with unsaved edits; then ``proceed``."""
        if not self.unsaved():
            proceed()
            return

        def answer(choice: str | None) -> None:
            if choice == "save" and self.action_save():
                proceed()
            elif choice == "discard":
                self.load_form()
                proceed()

        labels = {key: label for key, label, _s, _g in TEXT_FIELDS} | FIELD_LABELS
        self.app.push_screen(UnsavedDialog([labels[k] for k in self.unsaved()]), answer)

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
        visible = self._visible_groups()
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

    def say(self, message: str | Text, *, error: bool = False) -> None:
        """The screen's own messages go in a line under the buttons, never in a toast.

        Why: at 80x24 a toast sits where the test result is shown.
        """
        status = self.query_one("#conn-status", Static)
        status.update(message)
        status.set_class(error, "-error")

    # -- actions --------------------------------------------------------------------------------

    def _checked_values(self) -> dict[str, Any] | None:
        values, errors = self.form_values()
        self.show_errors(errors)
        if errors:
            self.say("Fix the highlighted fields first.", error=True)
            self._focus_first_error(errors)
            return None
        return values

    def action_save(self) -> bool:
        """Save the form; True when the settings now match it."""
        values = self._checked_values()
        if values is None:
            return False
        changes = self._changes(values)
        if changes:
            try:
                path = save_changes(self.zapp, changes)
            except SettingsError as exc:
                self.say(f"Settings not saved: {error_text(exc)}", error=True)
                return False
            if self.ctx.demo:
                self.say("Demo: connection changes apply to this session only.")
            else:
                self.say(f"Saved to {path}." if path else "Saved.")
        else:
            self.say("Nothing changed since the last save.")
        self._saved_state = self.form_state()
        self._show_dirty()
        self.query_one("#conn-test", Button).focus()
        return True

    def action_test(self) -> None:
        values = self._checked_values()
        if values is None:
            return
        self.set_focus(None)  # a digit typed while testing switches screens, never edits
        self.say("Testing…")
        self.query_one("#conn-result", Static).update("")
        self.query_one("#conn-test", Button).disabled = True
        self.run_test(values)

    @work(exclusive=True, group="connection-test")
    async def run_test(self, values: dict[str, Any]) -> None:
        """Test the form's values (saved or not) without touching the settings file."""
        changes = self._changes(values)
        report: ConnectionReport | None = None
        try:
            candidate = self.ctx.settings.updated(**changes)
            ctx = dataclasses.replace(self.ctx, settings=candidate)
            report = await test_connection(ctx)
            result: Table | Text = report_renderable(report)
        # Worker boundary: a connection test reports any failure (httpx, a bug) as
        # its result, and the form stays usable to correct the values.
        except Exception as exc:
            result = safe(f"✗ {error_text(exc)}", "bold")
        self.last_report = report
        panel = self.query_one("#conn-result", Static)
        panel.update(result)
        tested = (
            "Tested the form as shown, not saved yet (ctrl+s saves)."
            if changes
            else "Tested the saved settings."
        )
        if report is not None and report.ok:
            keys = self._key_hint("go.aggregate")
            tested += f" Next: {keys} Aggregate, r runs."
        self.say(tested)
        test_button = self.query_one("#conn-test", Button)
        test_button.disabled = False
        if self.focused is None:
            save = self.query_one("#conn-save", Button)
            (save if report is not None and report.ok and changes else test_button).focus()
        self.call_after_refresh(panel.scroll_visible)

    def _key_hint(self, action_id: str) -> str:
        return keys_of(by_id(action_id), keymap_of(self.app)).split(",")[0]

    def action_new_profile(self) -> None:
        """Ask for a name, create the profile, then switch to it (this form, empty)."""
        from zoomtui.tui.screens.switcher import NewProfileDialog

        if self.zapp.accounts.demo:
            error, _note = self.zapp.accounts.check_new("")
            self.say(error, error=True)
            return

        def created(name: str | None) -> None:
            if name is None:
                return
            try:
                self.zapp.accounts.create(name)
            except Exception as exc:
                self.say(f"Profile not created: {error_text(exc)}", error=True)
                return
            self.zapp.notify(f"Created profile {name}; fill in its connection.", title="Profile")
            self.zapp.switch_profile(name, "connection")

        self.app.push_screen(NewProfileDialog(), created)

    @on(Button.Pressed, "#conn-new")
    def _new_pressed(self) -> None:
        self.action_new_profile()

    @on(Button.Pressed, "#conn-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#conn-test")
    def _test_pressed(self) -> None:
        self.action_test()
