"""The keymap ids: one table, and the CLI's list and the README's table derived from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zoomtui.binding_ids import BINDING_IDS
from zoomtui.services.context import AppContext
from zoomtui.settings import Settings, load
from zoomtui.tui.actions import ACTIONS
from zoomtui.tui.app import create_app
from zoomtui.tui.keymap_docs import README, ids_module, readme_with_table

from .conftest import SIZE

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_id_list_is_the_action_table() -> None:
    assert tuple(a.id for a in ACTIONS) == BINDING_IDS
    generated = (ROOT / "zoomtui" / "binding_ids.py").read_text(encoding="utf-8")
    assert generated == ids_module(), "run: python scripts/keymap_docs.py"


def test_the_readme_lists_the_real_ids() -> None:
    readme = (ROOT / README).read_text(encoding="utf-8")
    assert readme == readme_with_table(readme), "run: python scripts/keymap_docs.py"
    for action in ACTIONS:
        assert f"| `{action.id}` |" in readme
    assert "keymap.quit " not in readme and 'quit = "' not in readme


def test_every_listed_id_can_be_set_from_the_cli(config_path: Path) -> None:
    from click.testing import CliRunner

    from zoomtui.commands.config import config

    for binding in BINDING_IDS:
        result = CliRunner().invoke(config, ["set", f"keymap.{binding}", "f9"])
        assert result.exit_code == 0, result.output
    assert set(load(env={}).keymap) == set(BINDING_IDS)


def test_the_demo_honours_the_keymap(
    config_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``zoomtui --demo`` builds its context from the operator's settings file."""
    import zoomtui.services.demo as demo
    import zoomtui.tui.app as tui_app
    from zoomtui.tui import run_app

    config_path.write_text('theme = "nord"\nclient_id = "mine"\n[keymap]\n"go.runs" = "r"\n')
    seen: dict[str, Settings] = {}

    def fake_demo_context(
        path: Path, *args: Any, settings: Settings | None = None, **kwargs: Any
    ) -> AppContext:
        ctx = AppContext(settings=demo.demo_settings(base=settings), db_path=path, demo=True)
        seen.setdefault("settings", ctx.settings)  # the first account's
        return ctx

    async def no_fill(contexts: Any) -> None:
        seen["accounts"] = contexts

    class NoRun:
        return_code = 0  # ended normally
        crash = None
        ctx = AppContext(settings=load(env={}), db_path=db_path)

        def run(self) -> None:
            pass

    import zoomtui.tui as tui

    monkeypatch.setattr(tui, "_quiet_logging", lambda: None)  # no global logger changes
    monkeypatch.setattr(demo, "demo_context", fake_demo_context)
    monkeypatch.setattr(demo, "fill_demo_histories", no_fill)
    monkeypatch.setattr(tui_app, "create_app", lambda ctx, **kwargs: NoRun())
    run_app(demo=True, db_path=str(db_path))
    settings = seen["settings"]
    assert dict(settings.keymap) == {"go.runs": "r"} and settings.theme == "nord"
    assert settings.client_id != "mine"  # the demo keeps its own connection
    assert list(seen["accounts"]) == ["acme", "globex", "initech"]  # three demo accounts


async def test_the_demo_app_uses_a_keymap_from_the_file(config_path: Path, db_path: Path) -> None:
    from zoomtui.services.demo import demo_context, fill_demo_history

    config_path.write_text('[keymap]\n"go.runs" = "r"\n')
    ctx = demo_context(db_path, users=40, fill=False, settings=load(env={}))
    await fill_demo_history(ctx)
    app = create_app(ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.current_mode == "runs"
    ctx.close()


async def test_unknown_ids_in_the_file_are_reported(config_path: Path, db_path: Path) -> None:
    config_path.write_text('[keymap]\nquit = "ctrl+x"\n')
    app = create_app(AppContext(settings=load(env={}), db_path=db_path), schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("quit" in n.message for n in app._notifications)
