"""Secrets: a sentinel client secret never shows up in output, logs, exports or the database.

Every headless command runs with the sentinel given through the environment
and through the config file; stdout, stderr, every log record (DEBUG, all
loggers), CSV/JSON exports and the database bytes (with -wal and -shm) are
searched for it. Config and database files are created with mode 0600.
"""

from __future__ import annotations

import logging
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.reliability_checks import fast_world
from zoomtui.cli import main
from zoomtui.emulator import (
    DEMO_CREDENTIALS,
    Dataset,
    Emulator,
    EmulatorConfig,
    EmulatorCredentials,
)
from zoomtui.emulator.server import BackgroundServer
from zoomtui.services.aggregate import aggregate

SENTINEL = "SENTINEL-s3cr3t-7f2c9a"
COMMANDS = [
    ("test-connection",),
    ("test-connection", "--json"),
    ("aggregate",),
    ("aggregate", "--json"),
    ("runs",),
    ("runs", "--format", "json"),
    ("users",),
    ("users", "--format", "csv"),
    ("users", "--format", "json"),
    ("diff",),
    ("diff", "--format", "json"),
    ("seats", "--format", "csv"),
    ("config", "show"),
    ("config", "show", "--format", "json"),
    ("config", "path"),
    ("aggregate", "--if-due", "--json"),
]


@pytest.fixture
def server() -> Iterator[BackgroundServer]:
    ds = Dataset.generate(users=60, seed=4, start=Dataset.generate(1, 1, _now()).now)
    creds = EmulatorCredentials(
        DEMO_CREDENTIALS.account_id, DEMO_CREDENTIALS.client_id, SENTINEL,
        DEMO_CREDENTIALS.api_key, DEMO_CREDENTIALS.api_secret,
    )  # fmt: skip
    config = EmulatorConfig(credentials=creds, rate_scale=100)
    with BackgroundServer(Emulator(ds, config)) as srv:
        yield srv


def _now():  # type: ignore[no-untyped-def]
    from zoomtui.clock import utcnow

    return utcnow()


def run_all(env: dict[str, str]) -> str:
    """Every command (twice for aggregate, so diff has two runs); all output and logs together."""
    out: list[str] = []
    for args in COMMANDS:
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        out += [result.stdout, result.stderr]
    return "\n".join(out)


def assert_files_clean(tmp_path: Path) -> None:
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "config.toml":
            assert SENTINEL.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("via", ["env", "config_file"])
def test_sentinel_secret_appears_nowhere(
    server: BackgroundServer,
    tmp_path: Path,
    config_path: Path,
    db_path: Path,
    via: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    env = {
        "ZOOMTUI_API_URL": f"{server.url}/v2",
        "ZOOMTUI_OAUTH_URL": f"{server.url}/oauth/token",
        "ZOOM_ACCOUNT_ID": DEMO_CREDENTIALS.account_id,
        "ZOOM_CLIENT_ID": DEMO_CREDENTIALS.client_id,
    }
    if via == "env":
        env["ZOOM_CLIENT_SECRET"] = SENTINEL
    else:
        done = CliRunner().invoke(main, ["config", "set", "client_secret", SENTINEL])
        assert done.exit_code == 0, done.output
        assert SENTINEL not in done.output
        assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    output = run_all(env)
    assert "Run 1: complete" in output  # the sentinel really authenticated
    assert SENTINEL not in output
    assert SENTINEL not in caplog.text
    for args, name in (
        (("users", "--format", "csv"), "u.csv"),
        (("users", "--format", "json"), "u.json"),
    ):
        result = CliRunner().invoke(main, [*args], env=env)
        (tmp_path / name).write_text(result.stdout)
    assert_files_clean(tmp_path)
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    if via == "config_file":
        assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


def test_failing_auth_never_echoes_the_secret(
    server: BackgroundServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = SENTINEL + "-wrong"
    env = {
        "ZOOMTUI_API_URL": f"{server.url}/v2",
        "ZOOMTUI_OAUTH_URL": f"{server.url}/oauth/token",
        "ZOOM_ACCOUNT_ID": "demo-account",
        "ZOOM_CLIENT_ID": "demo-client",
        "ZOOM_CLIENT_SECRET": wrong,
        "ZOOMTUI_DEBUG": "1",
    }
    output = run_all(env)
    assert "client secret" in output.lower()
    assert SENTINEL not in output and SENTINEL not in caplog.text


async def test_in_process_run_logs_and_database_hold_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = fast_world(tmp_path / "h.db", users=120)
    result = await aggregate(world.ctx)
    world.ctx.close()
    assert result.status == "complete"
    secret = world.ctx.settings.client_secret
    assert secret
    assert secret not in caplog.text
    for path in tmp_path.glob("h.db*"):
        assert secret.encode() not in path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


@pytest.mark.slow
@pytest.mark.skipif(not SCRIPT.exists(), reason="scripts/screenshots.py not present")
def test_screenshots_hold_no_secret(tmp_path: Path) -> None:
    """The screenshot script with the sentinel in its environment: no SVG shows it."""
    from tests.helpers.reliability_procs import base_env

    env = base_env(tmp_path, ZOOM_CLIENT_SECRET=SENTINEL, ZOOM_API_SECRET=SENTINEL)
    out = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    svgs = list(out.glob("*.svg"))
    assert svgs
    for svg in svgs:
        assert SENTINEL not in svg.read_text(), svg
    assert SENTINEL not in done.stdout + done.stderr
