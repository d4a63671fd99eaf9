"""The list of headless subcommands, imported by ``zoomtui.cli``."""

from __future__ import annotations

import importlib

import click

# One module per command family; each exposes ``COMMANDS: list[click.Command]``.
MODULES = (
    "zoomtui.commands.emulator",
    "zoomtui.commands.config",
    "zoomtui.commands.run",
    "zoomtui.commands.query",
    "zoomtui.commands.profiles",
    "zoomtui.commands.reclaim",
)


def commands() -> list[click.Command]:
    """Collect the commands of every module that is present."""
    found: list[click.Command] = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        found.extend(module.COMMANDS)
    return found
