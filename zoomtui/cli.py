"""Command line: bare ``zoomtui`` opens the TUI (imported lazily); subcommands are headless."""

from __future__ import annotations

import click

from zoomtui import __version__


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--demo", is_flag=True, help="Open the TUI on the built-in offline demo account.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="SQLite history file.")
@click.version_option(__version__, prog_name="zoomtui")
@click.pass_context
def main(ctx: click.Context, demo: bool, db_path: str | None) -> None:
    """Audit a Zoom account's licenses and login activity."""
    from zoomtui.settings import exposure_warning

    warning = exposure_warning()
    if warning:
        click.echo(warning, err=True)
    if ctx.invoked_subcommand is not None:
        return
    from zoomtui.tui import run_app  # lazy: headless commands never load Textual

    run_app(demo=demo, db_path=db_path)


def _register() -> None:
    """Attach the subcommands that exist; each lives in zoomtui/commands/."""
    from zoomtui.commands import registry

    for command in registry.commands():
        main.add_command(command)


_register()
