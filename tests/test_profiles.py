"""Several Zoom accounts: profiles, the cross-account summary and --all-profiles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zoomtui.cli import main
from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.server import BackgroundServer

ACCOUNTS = {"acme": (101, "pro"), "globex": (202, "business"), "initech": (303, "pro")}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Emulator]]:
    start = datetime.now(UTC).replace(microsecond=0)
    out: dict[str, Emulator] = {}
    running = []
    for name, (seed, tier) in ACCOUNTS.items():
        emulator = Emulator(
            Dataset.generate(users=150, seed=seed, start=start),
            EmulatorConfig(rate_scale=1000, tier=tier),
        )
        server = BackgroundServer(emulator)
        server.__enter__()
        running.append(server)
        emulator.url = server.url  # type: ignore[attr-defined]
        out[name] = emulator
    yield out
    for server in running:
        server.__exit__(None, None, None)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Any:
    # Profiles live in the (temporary) platform directories, not at ZOOMTUI_CONFIG / _DB.
    for var in ("ZOOMTUI_CONFIG", "ZOOMTUI_DB", "ZOOMTUI_PROFILE"):
        monkeypatch.delenv(var, raising=False)

    def run(*args: str, code: int = 0, stdin: str | None = None) -> str:
        result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
        assert result.exit_code == code, (args, result.output)
        return result.stdout

    return run


def configure(cli: Any, name: str, emulator: Emulator) -> None:
    base = emulator.url  # type: ignore[attr-defined]
    cli("profiles", "add", name)
    for key, value in (
        ("account_id", DEMO_CREDENTIALS.account_id),
        ("client_id", DEMO_CREDENTIALS.client_id),
        ("region", "custom"),
        ("api_url", f"{base}/v2"),
        ("oauth_url", f"{base}/oauth/token"),
        ("rate_tier", ACCOUNTS[name][1]),
    ):
        cli("--profile", name, "config", "set", key, value)
    cli(
        "--profile",
        name,
        "config",
        "set",
        "client_secret",
        "-",
        stdin=DEMO_CREDENTIALS.client_secret,
    )


def truth_count(emulator: Emulator) -> int:
    ds = emulator.dataset
    return sum(len(ds.users_of(a.id, s)) for a in ds.accounts for s in ("active", "pending"))


def test_profiles_are_separate_accounts_and_summary_equals_their_runs(
    cli: Any, servers: dict[str, Emulator], tmp_path: Path
) -> None:
    for name, emulator in servers.items():
        configure(cli, name, emulator)
    listed = json.loads(cli("profiles", "--format", "json"))
    assert [p["profile"] for p in listed] == ["default", "acme", "globex", "initech"]
    for name in servers:
        config = next(Path(tmp_path).rglob(f"profiles/{name}/config.toml"))
        assert config.stat().st_mode & 0o777 == 0o600

    results = json.loads(cli("aggregate", "--all-profiles", "--json", "-q"))
    by_name = {r["profile"]: r for r in results}
    assert by_name["default"]["status"] == "not_configured"  # never filled in: not a failure
    for name, emulator in servers.items():
        assert by_name[name]["status"] == "complete", by_name[name]
        assert by_name[name]["users"] == truth_count(emulator)
        users = json.loads(cli("--profile", name, "users", "--format", "json"))
        assert len(users) == truth_count(emulator)
        domains = {u["email"].split("@")[1] for u in users}
        assert domains <= {a.domain for a in emulator.dataset.accounts}

    summary = {r["profile"]: r for r in json.loads(cli("summary", "--format", "json"))}
    assert summary["default"]["run_id"] is None and summary["default"]["note"]
    for name, emulator in servers.items():
        record = summary[name]
        assert record["users"] == truth_count(emulator)
        runs = json.loads(cli("--profile", name, "runs", "--format", "json"))
        assert record["run_id"] == runs[-1]["id"]
        seats = json.loads(cli("--profile", name, "seats", "--format", "json"))
        assert record["free_seats"] == sum(s["free"] for s in seats if s["plan"] == "plan_base")
        idle = json.loads(
            cli("--profile", name, "users", "--plan", "Licensed", "--status", "active",
                "--idle-days", "90", "--format", "json")
        )  # fmt: skip
        assert record["idle_licensed"] == len(idle)
    table = cli("summary")
    assert "total" in table
    # The run kept its counts when it completed; another threshold is counted afresh.
    runs = json.loads(cli("--profile", "acme", "runs", "--format", "json"))
    from zoomtui.services.profiles import Profile
    from zoomtui.store import Store

    with Store.open(Profile("acme").database) as store:
        kept = store.run(runs[-1]["id"])
        assert kept is not None and kept.stats["summary"]["inactive_days"] == 90
    cli("--profile", "acme", "config", "set", "inactive_days", "30")
    fresh = {r["profile"]: r for r in json.loads(cli("summary", "--format", "json"))}["acme"]
    idle30 = json.loads(
        cli("--profile", "acme", "users", "--plan", "Licensed", "--status", "active",
            "--idle-days", "30", "--format", "json")
    )  # fmt: skip
    assert fresh["idle_licensed"] == len(idle30) != summary["acme"]["idle_licensed"]

    # Only due profiles run with --if-due: all just ran, none is due.
    for name in servers:
        cli("--profile", name, "config", "set", "schedule_interval", "1d")
    again = json.loads(cli("aggregate", "--all-profiles", "--if-due", "--json", "-q"))
    assert {r["profile"]: r["status"] for r in again} == {
        "default": "not_configured",
        **{name: "not_due" for name in servers},
    }


def test_bad_profile_names_and_management(cli: Any) -> None:
    out = CliRunner().invoke(main, ["--profile", "acmee", "runs"])
    assert out.exit_code == 2 and "There is no profile 'acmee'" in out.stderr
    cli("profiles", "add", "acme")
    out = CliRunner().invoke(main, ["--profile", "acmee", "runs"])
    assert out.exit_code == 2 and "Did you mean 'acme'?" in out.stderr
    for bad in ("../etc", ".hidden", "a/b", "x" * 65):
        assert CliRunner().invoke(main, ["profiles", "add", bad]).exit_code == 2
    assert CliRunner().invoke(main, ["profiles", "add", "acme"]).exit_code == 2  # exists
    cli("profiles", "rename", "acme", "acme2")
    names = [p["profile"] for p in json.loads(cli("profiles", "--format", "json"))]
    assert names == ["default", "acme2"]
    # remove asks; "n" keeps it
    assert CliRunner().invoke(main, ["profiles", "remove", "acme2"], input="n\n").exit_code == 1
    cli("profiles", "remove", "acme2", "--yes")
    assert [p["profile"] for p in json.loads(cli("profiles", "--format", "json"))] == ["default"]
    assert CliRunner().invoke(main, ["profiles", "remove", "default", "-y"]).exit_code == 2


def test_removing_a_profile_keeps_its_history_unless_asked(cli: Any, tmp_path: Path) -> None:
    from zoomtui import paths

    cli("profiles", "add", "old")
    history = paths.profile_database_file("old")
    history.parent.mkdir(parents=True)
    history.write_bytes(b"")
    cli("profiles", "remove", "old", "--yes")
    assert history.exists()
    cli("profiles", "add", "old")
    cli("profiles", "remove", "old", "--yes", "--delete-history")
    assert not history.exists()
