"""``zoomtui config``: show, path, set and unset from the shell."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zoomtui.commands.config import COMMANDS, config
from zoomtui.settings import load


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(config, list(args), input=input, env=env)


def test_module_exposes_the_group() -> None:
    assert len(COMMANDS) == 1
    assert COMMANDS[0] is config
    assert set(config.commands) == {"show", "path", "set", "unset"}


def test_path_prints_zoomtui_config(config_path: Path) -> None:
    result = run("path")
    assert result.exit_code == 0
    assert result.output.strip() == str(config_path)


def test_set_writes_a_0600_file(config_path: Path) -> None:
    result = run("set", "rate_tier", "business")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "rate_tier = 'business'"
    assert load(config_path, env={}).rate_tier == "business"
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("active", "off", False),
        ("inactive_days", "30", 30),
        ("price_per_seat", "199.5", 199.5),
        ("schedule_interval", "1d12h", "1d12h"),
        ("region", "GOV", "gov"),
    ],
)
def test_set_parses_text(config_path: Path, key: str, text: str, expected: object) -> None:
    assert run("set", key, text).exit_code == 0
    assert getattr(load(config_path, env={}), key) == expected


def test_bad_value_is_a_usage_error_and_leaves_the_file(config_path: Path) -> None:
    run("set", "rate_tier", "free")
    before = config_path.read_text()
    result = run("set", "rate_tier", "gold")
    assert result.exit_code == 2
    assert result.stderr == "rate_tier must be one of free, pro, business, not 'gold'.\n"
    assert result.stdout == ""
    assert config_path.read_text() == before


def test_unknown_key_suggests(config_path: Path) -> None:
    result = run("set", "rate_teir", "pro")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Unknown setting 'rate_teir'; did you mean 'rate_tier'?"
    assert "Traceback" not in result.output
    assert not config_path.exists()


def test_secret_from_stdin_stays_out_of_output(config_path: Path) -> None:
    result = run("set", "client_secret", "-", input="s3cr3t\n")
    assert result.exit_code == 0, result.output
    assert "s3cr3t" not in result.output
    assert result.stdout.strip() == "client_secret = ********"
    assert load(config_path, env={}).client_secret == "s3cr3t"


def test_empty_stdin_is_refused(config_path: Path) -> None:
    result = run("set", "client_secret", "-", input="")
    assert result.exit_code == 2
    assert "No value for client_secret" in result.stderr
    assert not config_path.exists()


def test_secret_as_argument_gets_a_tip(config_path: Path) -> None:
    result = run("set", "api_secret", "abc")
    assert result.exit_code == 0
    assert "config set api_secret -" in result.stderr
    assert "abc" not in result.output


def test_set_repairs_a_bad_value_in_the_file(config_path: Path) -> None:
    config_path.write_text('rate_tier = "gold"\ntheme = "nord"\n')
    assert run("show").exit_code == 1
    result = run("set", "rate_tier", "pro")
    assert result.exit_code == 0, result.output
    settings = load(config_path, env={})
    assert (settings.rate_tier, settings.theme) == ("pro", "nord")


def test_malformed_file_is_never_overwritten(config_path: Path) -> None:
    config_path.write_text("client_id = \n")
    for args in (("show",), ("set", "theme", "nord"), ("unset", "theme")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith("Cannot ")
        assert "line 1, column" in result.stderr
        assert result.stderr.count("\n") == 1
    assert config_path.read_text() == "client_id = \n"


def test_set_does_not_copy_environment_into_the_file(config_path: Path) -> None:
    env = {"ZOOM_CLIENT_SECRET": "envsecret", "ZOOMTUI_RATE_TIER": "free"}
    result = run("set", "rate_tier", "business", env=env)
    assert result.exit_code == 0
    assert "ZOOMTUI_RATE_TIER is set in the environment" in result.stderr
    assert "envsecret" not in config_path.read_text()


def test_keymap_entries(config_path: Path) -> None:
    assert run("set", "keymap.app.quit", "ctrl+x").exit_code == 0
    assert dict(load(config_path, env={}).keymap) == {"app.quit": "ctrl+x"}
    assert run("set", "keymap.bad id", "x").exit_code == 2
    assert run("unset", "keymap.app.quit").exit_code == 0
    assert dict(load(config_path, env={}).keymap) == {}


def test_unknown_keymap_ids_are_refused_with_the_closest_one(config_path: Path) -> None:
    result = run("set", "keymap.quit", "ctrl+x")
    assert result.exit_code == 2
    assert "Unknown keymap id 'quit'" in result.output and "'app.quit'" in result.output
    result = run("set", "keymap.nosuch", "x")
    assert result.exit_code == 2 and "nosuch" in result.output
    assert not config_path.exists()


def test_unset(config_path: Path) -> None:
    run("set", "inactive_days", "30")
    run("set", "theme", "nord")
    result = run("unset", "inactive_days")
    assert result.exit_code == 0
    settings = load(config_path, env={})
    assert (settings.inactive_days, settings.theme) == (90, "nord")
    again = run("unset", "inactive_days")
    assert again.exit_code == 0
    assert "nothing to do" in again.stderr
    assert run("unset", "nope").exit_code == 2


def test_show_table_masks_secrets_and_names_sources(config_path: Path) -> None:
    run("set", "client_secret", "s3cr3t")
    result = run("show", env={"ZOOM_CLIENT_ID": "cid", "ZOOM_ACCOUNT_ID": "acc"})
    assert result.exit_code == 0
    assert "s3cr3t" not in result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[2:]}
    assert lines["client_secret"] == ["********", "file"]
    assert lines["client_id"] == ["cid", "env"]
    assert lines["rate_tier"] == ["pro", "default"]
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_show_json(config_path: Path) -> None:
    run("set", "client_secret", "s3cr3t")
    result = run("show", "--format", "json", env={"ZOOMTUI_RATE_TIER": "free"})
    assert result.exit_code == 0
    assert "s3cr3t" not in result.output
    document = json.loads(result.stdout)
    assert document["path"] == str(config_path)
    assert document["settings"]["client_secret"] == "********"
    assert document["settings"]["api_secret"] == ""
    assert document["sources"]["rate_tier"] == "env"
    assert document["effective"]["api_url"] == "https://api.zoom.us/v2"
    assert document["has_credentials"] is False


def test_show_warns_about_jwt() -> None:
    result = run("show", env={"ZOOM_API_KEY": "k", "ZOOM_API_SECRET": "s"})
    assert result.exit_code == 0
    assert "retired JWT apps" in result.stderr


def test_setting_an_api_url_says_when_it_is_not_used(config_path: Path) -> None:
    url = "http://127.0.0.1:8765/v2"
    result = run("set", "api_url", url)
    assert result.exit_code == 0
    assert "used only when region = custom" in result.stderr
    run("set", "region", "custom")
    again = run("set", "api_url", url)
    assert "region" not in again.stderr
    shown = json.loads(run("show", "--format", "json").stdout)
    assert shown["effective"]["api_url"] == url


@pytest.mark.parametrize("text", ["99999999999d", "3000000d", "367d", "9" * 5000 + "m"])
def test_absurd_schedule_interval_is_refused_in_one_sentence(config_path: Path, text: str) -> None:
    result = run("set", "schedule_interval", text)
    assert result.exit_code == 2
    assert "longer than a year" in result.stderr and result.stderr.count("\n") == 1
    assert not config_path.exists() or "schedule_interval" not in config_path.read_text()
    assert run("show").exit_code == 0  # every later command still works


def test_set_writes_through_a_symlinked_config(tmp_path: Path, config_path: Path) -> None:
    real = tmp_path / "vault" / "zoomtui.toml"
    real.parent.mkdir()
    real.write_text('rate_tier = "free"\n')
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.symlink_to(real)
    assert run("set", "rate_tier", "business").exit_code == 0
    assert config_path.is_symlink() and config_path.resolve() == real
    assert load(config_path, env={}).rate_tier == "business"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_a_secret_readable_by_others_gets_a_warning(config_path: Path) -> None:
    from zoomtui.cli import main

    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text('client_secret = "s3cr3t"\n')
    config_path.chmod(0o644)
    result = CliRunner().invoke(main, ["config", "path"])
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: the settings file") and "chmod 600" in result.stderr
    assert "s3cr3t" not in result.output
    config_path.chmod(0o600)
    assert CliRunner().invoke(main, ["config", "path"]).stderr == ""


def test_licence_thresholds_are_settable(config_path: Path) -> None:
    assert run("set", "licence_min_minutes", "30").exit_code == 0
    assert run("set", "licence_min_participants", "50").exit_code == 0
    settings = load(config_path, env={})
    assert (settings.licence_min_minutes, settings.licence_min_participants) == (30, 50)
    refused = run("set", "licence_min_minutes", "0")
    assert refused.exit_code == 2 and "licence_min_minutes" in refused.output
