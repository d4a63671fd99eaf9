"""``zoomtui config``: show, locate and edit the settings file from the shell.

Why: headless hosts have no TUI session to fill in a form, and secrets typed
as arguments end up in shell history, so ``config set KEY -`` reads the
value from stdin (without echo on a terminal). Edits touch only the file:
values from the environment are never copied into it.
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any

import click

from zoomtui import paths
from zoomtui.binding_ids import BINDING_IDS
from zoomtui.commands.common import cli_errors, emit, format_option
from zoomtui.settings import (
    ENV_VARS,
    KEYS,
    MASK,
    SECRET_KEYS,
    Settings,
    SettingsError,
    load,
    read_file,
    unknown_key_error,
)
from zoomtui.settings_values import KEYMAP_PREFIX, check_binding_id, coerce

_AUTH_VARS = ("ZOOM_CLIENT_ID", "ZOOM_API_KEY")


@click.group("config")
def config() -> None:
    """Show or edit the settings (file < environment)."""


@config.command("show")
@format_option("table", "json")
@cli_errors
def show(fmt: str) -> None:
    """Show every setting, secrets masked, with where its value comes from."""
    path = paths.config_file()
    settings = load(path)
    api_url, oauth_url = settings.effective_urls()
    if fmt == "json":
        emit(
            {
                "path": str(path),
                "settings": settings.masked(),
                "sources": settings.sources(),
                "effective": {"api_url": api_url, "oauth_url": oauth_url},
                "has_credentials": settings.has_credentials(),
            },
            "json",
        )
    else:
        sources = settings.sources()
        rows: list[dict[str, Any]] = [
            {"key": key, "value": value, "source": sources[key]}
            for key, value in settings.masked().items()
        ]
        rows.append({"key": "api_url (in use)", "value": api_url, "source": "derived"})
        rows.append({"key": "oauth_url (in use)", "value": oauth_url, "source": "derived"})
        emit(rows, "table", ["key", "value", "source"])
    if settings.auth == "jwt":
        click.echo("Note: Zoom retired JWT apps in 2023; use Server-to-Server OAuth.", err=True)


@config.command("path")
@cli_errors
def path_() -> None:
    """Print the path of the settings file (it may not exist yet)."""
    click.echo(str(paths.config_file()))


@config.command("set")
@click.argument("key")
@click.argument("value")
@cli_errors
def set_(key: str, value: str) -> None:
    """Set KEY to VALUE in the settings file; VALUE - reads it from stdin.

    KEY is a setting name or keymap.BINDING_ID (the README lists the ids).
    """
    _check_key(key)
    if key.startswith(KEYMAP_PREFIX):
        _check_known_binding(key[len(KEYMAP_PREFIX) :])
    if value == "-":
        value = _read_value(key)
    elif key in SECRET_KEYS:
        click.echo(
            f"Tip: `zoomtui config set {key} -` keeps secrets out of shell history.", err=True
        )
    target = paths.config_file()
    top = key.split(".", 1)[0]
    current = load(target, env={}, without=() if top == "keymap" else (key,))
    updated = _with_text(current, key, value)
    updated.save(target)
    shown = MASK if key in SECRET_KEYS else _shown(updated, key)
    click.echo(f"{key} = {shown}")
    _note_environment(key)
    if key in ("api_url", "oauth_url") and updated.region != "custom":
        click.echo(
            f"Note: {key} is used only when region = custom "
            "(`zoomtui config set region custom`); `zoomtui config show` shows the URLs in use.",
            err=True,
        )


@config.command("unset")
@click.argument("key")
@cli_errors
def unset(key: str) -> None:
    """Remove KEY from the settings file so its default (or environment) value applies."""
    _check_key(key)
    target = paths.config_file()
    binding = key.partition(".")[2]
    current = load(target, env={}, without=() if binding else (key,))
    if binding:
        keymap = dict(current.keymap)
        if keymap.pop(binding, None) is None:
            click.echo(f"{key} is not set in {target}; nothing to do.", err=True)
            return
        current.updated(keymap=keymap).save(target)
    else:
        raw_has = target.exists() and _file_has(target, key)
        if not raw_has:
            click.echo(f"{key} is not set in {target}; nothing to do.", err=True)
            return
        current.save(target)  # `without` dropped the key
    click.echo(f"{key} unset")
    _note_environment(key)


def _check_key(key: str) -> None:
    """Refuse unknown keys (exit 2) with the closest known one."""
    top, dot, binding = key.partition(".")
    if dot and top == "keymap":
        try:
            check_binding_id(binding)
        except ValueError as exc:
            raise SettingsError(str(exc), exit_code=2) from None
        return
    if key not in KEYS or key == "keymap":
        raise unknown_key_error(key)


def _check_known_binding(binding: str) -> None:
    """Refuse a binding id the TUI does not have (exit 2), naming the closest one.

    Why here and not in ``load``: a file written for another version may hold an old id,
    and reading it must not break cron; setting one is where a typo can be caught.
    """
    if binding in BINDING_IDS:
        return
    close = difflib.get_close_matches(binding, BINDING_IDS, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "the README lists every id."
    raise SettingsError(f"Unknown keymap id {binding!r}; {hint}", exit_code=2)


def _with_text(settings: Settings, key: str, text: str) -> Settings:
    """Apply a command-line value, as a usage error (exit 2) when it is invalid."""
    if key.startswith(KEYMAP_PREFIX):
        binding = key[len(KEYMAP_PREFIX) :]
        if not text.strip():
            raise SettingsError(f"{key} needs one or more keys, such as ctrl+q.", exit_code=2)
        return settings.updated(keymap={**settings.keymap, binding: text.strip()})
    try:
        value = coerce(key, text, from_text=True)
    except ValueError as exc:
        raise SettingsError(str(exc), exit_code=2) from None
    return settings.updated(**{key: value})


def _read_value(key: str) -> str:
    """Read a value from stdin: a hidden prompt on a terminal, else the first line."""
    stdin = sys.stdin
    if stdin.isatty():
        text = click.prompt(key, hide_input=True, err=True, default="", show_default=False)
    else:
        text = stdin.readline().rstrip("\r\n")
    if not text:
        raise SettingsError(f"No value for {key} was given on standard input.", exit_code=2)
    return str(text)


def _shown(settings: Settings, key: str) -> str:
    if key.startswith(KEYMAP_PREFIX):
        return repr(settings.keymap[key[len(KEYMAP_PREFIX) :]])
    value = getattr(settings, key)
    return str(value).lower() if isinstance(value, bool) else repr(value)


def _file_has(target: Path, key: str) -> bool:
    """Whether the file itself names ``key`` (even with a bad value)."""
    return key in read_file(target)


def _note_environment(key: str) -> None:
    """Warn when the environment overrides what was just written."""
    names = [ENV_VARS[key]] if key in ENV_VARS else list(_AUTH_VARS) if key == "auth" else []
    for name in names:
        if os.environ.get(name, "").strip():
            click.echo(f"Note: {name} is set in the environment and overrides the file.", err=True)
            return


COMMANDS: list[click.Command] = [config]
