"""Command line: bare ``zoomtui`` opens the TUI (imported lazily); subcommands are headless."""

from __future__ import annotations

import click

from zoomtui import __version__


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--demo", is_flag=True, help="Open the TUI on the built-in offline demo account.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="SQLite history file.")
@click.option(
    "--profile",
    "profile",
    metavar="NAME",
    help="The Zoom account to use (`zoomtui profiles` lists them; default: ZOOMTUI_PROFILE, "
    "else the default profile).",
)
@click.version_option(__version__, prog_name="zoomtui")
@click.pass_context
def main(ctx: click.Context, demo: bool, db_path: str | None, profile: str | None) -> None:
    """Audit a Zoom account's licenses and login activity."""
    _select_profile(ctx, profile)
    from zoomtui.settings import exposure_warning

    warning = exposure_warning()
    if warning:
        click.echo(warning, err=True)
    if ctx.invoked_subcommand is not None:
        return
    from zoomtui.tui import run_app  # lazy: headless commands never load Textual

    run_app(demo=demo, db_path=db_path)


def _select_profile(ctx: click.Context, name: str | None) -> None:
    """Check ``--profile`` / ``ZOOMTUI_PROFILE`` once and make it the one paths resolve.

    The environment carries it, so every part (and a child process) agrees on it.
    ``profiles`` manages profiles, so it may name one that does not exist yet.
    """
    import os

    from zoomtui import paths

    if name is not None:
        os.environ["ZOOMTUI_PROFILE"] = name
    if ctx.invoked_subcommand == "profiles" or paths.profile_name() == paths.DEFAULT_PROFILE:
        return  # the default profile always exists: nothing to check at start-up
    from zoomtui.commands.common import error_boundary
    from zoomtui.services import profiles

    with error_boundary():
        profiles.selected()


def _register() -> None:
    """Attach the subcommands that exist; each lives in zoomtui/commands/."""
    from zoomtui.commands import registry

    for command in registry.commands():
        main.add_command(command)


_register()
