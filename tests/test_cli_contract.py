"""The headless contract of product.md, command by command, over a loopback emulator."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zoomtui.cli import main
from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.server import BackgroundServer

USER_KEYS = {
    "id", "email", "first_name", "last_name", "status", "type", "plan", "dept",
    "account_id", "last_login_time", "last_sign_in", "addons", "days_inactive",
}  # fmt: skip
PLANS = {"Basic", "Licensed", "On-prem", "Unassigned", "None"}


@pytest.fixture(scope="module")
def served() -> Iterator[Emulator]:
    start = datetime.now(UTC).replace(microsecond=0)
    emulator = Emulator(
        Dataset.generate(users=300, seed=5, start=start), EmulatorConfig(rate_scale=1000)
    )
    with BackgroundServer(emulator) as server:
        emulator.url = server.url  # type: ignore[attr-defined]
        yield emulator


@pytest.fixture
def cli(served: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    base = served.url  # type: ignore[attr-defined]
    monkeypatch.setenv("ZOOM_ACCOUNT_ID", DEMO_CREDENTIALS.account_id)
    monkeypatch.setenv("ZOOM_CLIENT_ID", DEMO_CREDENTIALS.client_id)
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", DEMO_CREDENTIALS.client_secret)
    monkeypatch.setenv("ZOOMTUI_API_URL", f"{base}/v2")
    monkeypatch.setenv("ZOOMTUI_OAUTH_URL", f"{base}/oauth/token")
    monkeypatch.setenv("ZOOMTUI_DB", str(tmp_path / "history.db"))

    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == code, (args, result.output)
        return result.stdout

    return run


def test_test_connection_json(cli: Any) -> None:
    report = json.loads(cli("test-connection", "--json"))
    assert {"ok", "account_id", "scopes", "capabilities", "error"} <= set(report)
    assert report["ok"] is True and report["error"] is None
    assert report["account_id"] == DEMO_CREDENTIALS.account_id
    assert set(report["capabilities"]) == {
        "users", "addons", "seats", "sub_accounts", "sign_ins", "hosting", "operation_logs"
    }  # fmt: skip
    assert all(report["capabilities"].values())


def test_aggregate_runs_users_seats_diff(cli: Any, served: Emulator) -> None:
    first = json.loads(cli("aggregate", "--json", "-q"))
    assert {"run_id", "status", "users", "by_status", "by_plan"} <= set(first)
    assert first["status"] == "complete"
    assert first["users"] == first["by_status"]["active"] + first["by_status"]["pending"]

    users = json.loads(cli("users", "--format", "json"))
    assert len(users) == first["users"]
    for user in users:
        assert set(user) >= USER_KEYS
        assert user["status"] in ("active", "pending")
        assert (user["id"] is None) == (user["status"] == "pending")
        assert user["plan"] in PLANS or user["plan"].startswith("Type ")
        assert user["addons"] == sorted(user["addons"])
    everyone = json.loads(cli("users", "--format", "json", "--status", "inactive"))
    assert len(everyone) == first["by_status"]["inactive"]
    idle = json.loads(cli("users", "--format", "json", "--inactive-days", "30"))
    assert all(u["days_inactive"] is None or u["days_inactive"] >= 30 for u in idle)
    never = json.loads(cli("users", "--format", "json", "--never-logged-in"))
    assert never and all(u["last_login_time"] is None and u["last_sign_in"] is None for u in never)

    rows = list(csv.DictReader(io.StringIO(cli("users", "--format", "csv"))))
    assert len(rows) == first["users"] and set(rows[0]) >= USER_KEYS

    runs = json.loads(cli("runs", "--format", "json"))
    assert [r["status"] for r in runs] == ["complete"]
    assert {"id", "status", "started_at", "finished_at", "users"} <= set(runs[0])
    header = cli("runs", "--format", "csv").splitlines()[0]
    assert header.split(",")[:5] == ["id", "status", "started_at", "finished_at", "users"]

    seats = json.loads(cli("seats", "--format", "json"))
    assert {"account_id", "plan", "type", "purchased", "assigned", "pending"} <= set(seats[0])
    assert all(s["plan"].startswith("plan_") for s in seats)

    served.advance(7)
    second = json.loads(cli("aggregate", "--json", "-q"))
    diff = json.loads(cli("diff", "--format", "json"))
    assert (diff["from_run"], diff["to_run"]) == (first["run_id"], second["run_id"])
    assert {"added", "removed", "changed"} <= set(diff)
    for change in diff["changed"]:
        assert {"id", "email", "changes"} <= set(change)
        assert all(len(pair) == 2 for pair in change["changes"].values())
    table = cli("diff")
    assert table.startswith(f"Run {first['run_id']} → {second['run_id']}:")


def test_if_due_does_nothing_when_scheduling_is_off(cli: Any) -> None:
    out = json.loads(cli("aggregate", "--if-due", "--json"))
    assert out["status"] == "not_due" and out["run_id"] is None
    result = CliRunner().invoke(main, ["runs", "--format", "json"])
    assert result.exit_code == 1  # nothing ran, so no history was even created
    assert result.stderr.startswith("There is no history database at ")


def test_group_db_option_reaches_the_subcommand(cli: Any, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    cli("--db", str(other), "aggregate", "-q")
    assert len(json.loads(cli("--db", str(other), "runs", "--format", "json"))) == 1
    assert not (tmp_path / "history.db").exists()  # ZOOMTUI_DB untouched


def test_a_refused_token_still_lists_every_capability(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", "wrong")
    report = json.loads(cli("test-connection", "--json", code=1))
    assert report["ok"] is False and report["error"]
    assert report["capabilities"] == dict.fromkeys(
        ("users", "addons", "seats", "sub_accounts", "sign_ins", "hosting", "operation_logs"),
        False,
    )


def test_test_connection_reports_the_operation_logs_as_optional(
    cli: Any, served: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "operation logs: yes (reruns re-read only changed users)" in cli("test-connection")
    without = frozenset(s for s in served.config.scopes if "operation_logs" not in s)
    monkeypatch.setattr(served, "config", replace(served.config, scopes=without))
    text = cli("test-connection")  # still exit 0: a rerun does without, at a cost in calls
    assert "optional operation logs: no — reruns re-read every licensed user" in text
    assert "add the scope report:read:operation_logs:admin" in text
    report = json.loads(cli("test-connection", "--json"))
    assert report["ok"] is True and report["capabilities"]["operation_logs"] is False


def test_bad_filter_values_are_one_sentence(cli: Any) -> None:
    cli("aggregate", "-q")
    for args in (["--addon", "webinar,large_meeting"], ["--addon", ""]):
        result = CliRunner().invoke(main, ["users", *args])
        assert result.exit_code != 0
        assert "Unknown add-on" in result.stderr and "Traceback" not in result.stderr
    upper = json.loads(cli("users", "--format", "json", "--addon", "WEBINAR"))
    lower = json.loads(cli("users", "--format", "json", "--addon", "webinar"))
    assert upper == lower and lower


def test_usage_errors_exit_2_and_name_the_values_that_exist(cli: Any) -> None:
    cli("aggregate", "-q")
    present = json.loads(cli("users", "--format", "json"))
    addons = sorted({a for user in present for a in user["addons"]})
    for args in (
        ["users", "--plan", "Licnsed"],
        ["diff", "1"],
        ["users", "--run", "999"],
        ["users", "--addon", "nosuch"],
        ["users", "--account", "nosuch"],
        ["users", "--status", "gone"],  # click's own usage error, for comparison
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["users", "--addon", "nosuch"])
    assert "add-ons in it:" in result.stderr and addons[0] in result.stderr
    result = CliRunner().invoke(main, ["users", "--addon", "zoom_nosuch"])  # well formed
    assert result.exit_code == 2 and "add-ons in it:" in result.stderr
    result = CliRunner().invoke(main, ["users", "--account", "nosuch"])
    assert "accounts in it:" in result.stderr and present[0]["account_id"] in result.stderr
    assert json.loads(cli("users", "--format", "json", "--addon", addons[0]))


def test_cli_diff_says_yes_no_and_no_changes(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import zoomtui.commands.query as query
    from zoomtui.services.diff import RunDiff, UserChange

    cli("aggregate", "-q")
    cli("aggregate", "-q")  # the emulator did not move on: nothing changed
    out = cli("diff")
    assert "0 added, 0 removed, 0 changed" in out and "No changes between these runs." in out
    change = UserChange(1, "u1", "a@example.com", {"inactive": [True, False]})
    changed = RunDiff(1, 2, "with capacities", [], [], [change])
    monkeypatch.setattr(query, "diff_runs", lambda *_args: changed)
    out = cli("diff")
    assert "~ a@example.com  inactive: yes → no" in out
    assert "True" not in out and "No changes" not in out


def test_cli_tables_never_cut_the_email_or_account_name(cli: Any) -> None:
    cli("aggregate", "-q")
    users = json.loads(cli("users", "--format", "json"))
    longest = max((u["email"] for u in users), key=len)
    table = cli("users")
    assert longest in table and "…" not in table.split("\n", 2)[2].split()[0]
    for user in users:
        assert user["email"] in table
    picked = cli("users", "--columns", "email,account_id").splitlines()
    assert picked[0].split() == ["email", "account_id"]
    result = CliRunner().invoke(main, ["users", "--columns", "email,nosuch"])
    assert result.exit_code == 2 and "nosuch" in result.output
    seats = json.loads(cli("seats", "--format", "json"))
    seat_table = cli("seats")
    accounts = {r["account_id"] for r in seats}
    assert accounts
    csv_rows = list(csv.DictReader(io.StringIO(cli("seats", "--format", "csv"))))
    for row in csv_rows:
        assert row["account_name"] in seat_table


def test_addon_capacities_deactivated_and_idle_words(cli: Any) -> None:
    cli("aggregate", "-q")
    everyone = json.loads(cli("users", "--status", "active", "--format", "json"))
    webinar = [u for u in everyone if "webinar" in u["addons"]]
    assert webinar and all(u["addon_capacities"]["webinar"] in (500, 1000) for u in webinar)
    narrow = json.loads(cli("users", "--addon", "webinar:1000", "--format", "json"))
    assert {u["email"] for u in narrow} == {
        u["email"] for u in webinar if u["addon_capacities"]["webinar"] == 1000
    }
    deactivated = json.loads(cli("users", "--status", "deactivated", "--format", "json"))
    alias = json.loads(cli("users", "--status", "inactive", "--format", "json"))
    assert deactivated == alias and deactivated
    assert all(u["status"] == "inactive" for u in deactivated)  # JSON keeps Zoom's value
    table = cli("users", "--status", "deactivated", "--limit", "3")
    assert "deactivated" in table and "inactive" not in table and "days_idle" in table
    assert cli("users", "--idle-days", "30", "--format", "json") == cli(
        "users", "--inactive-days", "30", "--format", "json"
    )
    seats = json.loads(cli("seats", "--format", "json"))
    assert all(s["free"] == max(0, s["purchased"] - s["assigned"] - s["pending"]) for s in seats)
    assert any(s["type_label"] == "Base plan, monthly" for s in seats)


def test_users_hosting_filters(cli: Any) -> None:
    cli("aggregate", "-q")
    everyone = json.loads(cli("users", "--plan", "Licensed", "--format", "json"))
    assert everyone and all("needs_licence" in u and "last_hosted_month" in u for u in everyone)
    quiet = json.loads(
        cli("users", "--plan", "Licensed", "--not-hosted-days", "60", "--format", "json")
    )
    assert quiet and all(u["meetings_last_n_days"] == 0 for u in quiet)
    assert len(quiet) < len(everyone)
    short = json.loads(
        cli("users", "--plan", "Licensed", "--not-hosted-days", "60",
            "--hosted-minutes-below", "100", "--format", "json")
    )  # fmt: skip
    assert {u["email"] for u in short} == {u["email"] for u in quiet}  # none hosted: 0 < 100
    header = next(csv.reader(io.StringIO(cli("users", "--format", "csv"))))
    assert {"last_hosted_month", "meetings_last_n_days", "needs_licence"} <= set(header)


def test_aggregate_progress_estimates_the_time_left(cli: Any) -> None:
    """stderr says how long the settings reads will take; stdout JSON keeps one field of it."""
    result = CliRunner().invoke(main, ["aggregate", "--json"])
    assert result.exit_code == 0, result.output
    reads = [ln for ln in result.stderr.splitlines() if "users' settings read" in ln]
    assert reads and any(" left" in ln or "almost done" in ln for ln in reads), reads
    stats = json.loads(result.stdout)["stats"]
    assert isinstance(stats["estimate_s"], float)
    assert "left" not in result.stdout
