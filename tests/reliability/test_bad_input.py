"""Bad input: wrong credentials, broken files, hostile text and wrong arguments.

Each gets one clear sentence on stderr, a non-zero exit code, no traceback,
and nothing on disk is overwritten or lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers.reliability_checks import assert_one_sentence
from zoomtui.cli import main
from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.auth import ALL_SCOPES
from zoomtui.emulator.server import BackgroundServer
from zoomtui.store import Store

START = Dataset.generate(users=1, seed=1, start=__import__("datetime").datetime.now(
    __import__("datetime").UTC)).now  # fmt: skip


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def assert_clean_failure(result: Result, code: int | None = None) -> str:
    """Non-zero exit, one sentence on stderr, no traceback."""
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code, result.stderr
    err = result.stderr.strip()
    assert "Traceback" not in result.output + result.stderr
    lines = [line for line in err.splitlines() if line.strip()]
    if lines and lines[0].startswith("Usage:"):  # click's usage errors: a usage line + Error
        assert lines[-1].startswith("Error:"), err
        return lines[-1]
    assert len(lines) == 1, err
    sentence = lines[0].removeprefix("Error: ")  # click's own ClickException prefix
    assert_one_sentence(sentence)
    return sentence


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def server() -> Iterator[BackgroundServer]:
    ds = Dataset.generate(users=60, seed=3, start=START)
    scopes = frozenset(s for s in ALL_SCOPES if "settings" not in s)
    with BackgroundServer(Emulator(ds, EmulatorConfig(scopes=scopes, rate_scale=100))) as srv:
        yield srv


def creds_env(server: BackgroundServer, **override: str) -> dict[str, str]:
    c = DEMO_CREDENTIALS
    env = {
        "ZOOM_ACCOUNT_ID": c.account_id,
        "ZOOM_CLIENT_ID": c.client_id,
        "ZOOM_CLIENT_SECRET": c.client_secret,
        "ZOOMTUI_API_URL": f"{server.url}/v2",
        "ZOOMTUI_OAUTH_URL": f"{server.url}/oauth/token",
    }
    env.update(override)
    return env


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"ZOOM_CLIENT_SECRET": "wrong-secret"}, "client"),
        ({"ZOOM_ACCOUNT_ID": "wrong-account"}, "account"),
    ],
    ids=["wrong_client_secret", "wrong_account_id"],
)
@pytest.mark.parametrize("command", ["test-connection", "aggregate"])
def test_wrong_credentials(
    server: BackgroundServer, db_path: Path, override: dict[str, str], words: str, command: str
) -> None:
    args = (command, "--quiet") if command == "aggregate" else (command,)
    message = assert_clean_failure(cli(*args, env=creds_env(server, **override)))
    assert words in message.lower()


def test_jwt_credentials_are_told_retired(server: BackgroundServer) -> None:
    env = creds_env(server, ZOOM_API_KEY="demo-api-key", ZOOM_API_SECRET="demo-api-secret")
    for key in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        env[key] = ""
    cli("config", "set", "auth", "jwt", env=env)
    assert "retired" in assert_clean_failure(cli("test-connection", env=env), code=1)
    message = assert_clean_failure(cli("aggregate", "--quiet", env=env))
    assert "retired" in message and "Server-to-Server OAuth" in message


def test_missing_scopes_are_named(server: BackgroundServer) -> None:
    result = cli("test-connection", "--json", env=creds_env(server))
    report = json.loads(result.stdout)
    missing = [c for c in report["details"].values() if not c["available"]]
    assert missing and all("settings" in c["scope"] for c in missing), report
    assert not report["capabilities"]["addons"]
    assert "user:read:settings" in result.stdout


def test_malformed_config_is_named_and_never_overwritten(config_path: Path) -> None:
    config_path.write_text('client_id = "abc"\nthis is = not toml = at all\n')
    before = digest(config_path)
    for args in (("runs",), ("config", "show"), ("config", "set", "rate_tier", "pro")):
        message = assert_clean_failure(cli(*args))
        assert str(config_path) in message or "config" in message.lower()
    assert digest(config_path) == before


def test_unreadable_config(config_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    config_path.write_text('client_id = "abc"\n')
    config_path.chmod(0)
    assert_clean_failure(cli("runs"))


def test_config_that_is_a_directory(config_path: Path) -> None:
    config_path.mkdir()
    assert_clean_failure(cli("runs"))
    assert config_path.is_dir()


def test_unwritable_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    monkeypatch.setenv("ZOOMTUI_DB", str(blocker / "history.db"))
    assert_clean_failure(cli("runs"))
    assert blocker.read_text().startswith("a file")


def test_corrupt_database_is_never_modified(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database" * 100)
    before = digest(db_path)
    for args in (("runs",), ("users",), ("aggregate",), ("diff",), ("seats",)):
        message = assert_clean_failure(cli(*args))
        assert str(db_path) in message
    assert digest(db_path) == before


def test_newer_schema_database_is_never_modified(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as con:
        con.execute("CREATE TABLE _zoomtui_future (x)")
        con.execute("PRAGMA user_version = 999")
        con.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('zoomtui', 'm999_future', '2099-01-01')"
        ) if _has_table(con, "_sqlite_migrations") else None
    before = digest(db_path)
    message = assert_clean_failure(cli("runs"))
    assert "newer" in message.lower() or "version" in message.lower()
    assert digest(db_path) == before


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    return bool(con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone())


@pytest.mark.parametrize("var", ["ZOOMTUI_API_URL", "ZOOMTUI_OAUTH_URL"])
def test_plain_http_to_a_remote_host_is_refused(var: str) -> None:
    env = {"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "b", "ZOOM_CLIENT_SECRET": "c"}
    env[var] = "http://zoom.example.com/v2"
    message = assert_clean_failure(cli("test-connection", env=env))
    assert "loopback" in message and "zoom.example.com" in message


ODD_TEXT = ["O'Brien", 'say "hi"', "100%", "a_b", "back\\slash", "%_%", "😀", "x" * 10_000,
            "'; DROP TABLE runs; --", "\x00nul"]  # fmt: skip


@pytest.fixture
def filled_db(db_path: Path, tmp_path: Path) -> Path:
    from tests.helpers.reliability_checks import fast_world

    world = fast_world(db_path, users=80)
    import asyncio

    from zoomtui.services.aggregate import aggregate

    assert asyncio.run(aggregate(world.ctx)).status == "complete"
    world.ctx.close()
    return db_path


@pytest.mark.parametrize("text", ODD_TEXT, ids=[f"odd{i}" for i in range(len(ODD_TEXT))])
def test_odd_search_text_is_literal(filled_db: Path, text: str) -> None:
    result = cli("users", "--format", "json", "--search", text)
    if "\x00" in text:
        assert result.exit_code in (0, 2), result.output
    else:
        assert result.exit_code == 0, result.stderr
        needle = text.lower()
        for user in json.loads(result.stdout):  # literal substring: no wildcard, no injection
            names = (user["email"], user["first_name"], user["last_name"], user["display_name"])
            assert any(needle in (n or "").lower() for n in names), user
    assert "Traceback" not in result.output
    runs = cli("runs", "--format", "json")
    assert runs.exit_code == 0 and '"complete"' in runs.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("users", "--run", "abc"),
        ("users", "--run", "999"),
        ("users", "--inactive-days", "-3"),
        ("users", "--inactive-days", "many"),
        ("users", "--format", "xml"),
        ("users", "--status", "asleep"),
        ("users", "--plan", "Platinum"),
        ("users", "--sort", "shoe_size"),
        ("users", "--limit", "0"),
        ("diff", "1"),
        ("diff", "x", "y"),
        ("diff", "1", "999"),
        ("diff", "--inactive-days", "-1"),
        ("seats", "--run", "999"),
        ("seats", "--format", "yaml"),
        ("runs", "--format", "xml"),
        ("aggregate", "--bogus"),
        ("config", "set", "rate_tier", "gold"),
        ("config", "set", "no_such_key", "1"),
        ("config", "set", "schedule_interval", "sometimes"),
        ("config", "set", "price_per_seat", "-5"),
        ("config", "unset", "no_such_key"),
        ("emulator", "--port", "70000"),
        ("emulator", "--users", "0"),
        ("emulator", "--host", "0.0.0.0"),
        ("emulator", "--faults", "meteor"),
        ("nonsense-command",),
    ],
    ids=lambda a: "-".join(a).replace(" ", "_")[:40],
)
def test_wrong_argument_values(filled_db: Path, config_path: Path, args: tuple[str, ...]) -> None:
    config_path.write_text('rate_tier = "pro"\n')
    before_cfg, runs_before = digest(config_path), cli("runs", "--format", "json").stdout
    assert_clean_failure(cli(*args))
    assert digest(config_path) == before_cfg
    assert cli("runs", "--format", "json").stdout == runs_before
