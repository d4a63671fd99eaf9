"""Test Connection probes the operation logs as an optional part: reported, never failing."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.emuworld import make_world
from zoomtui.emulator.auth import ALL_SCOPES, CLASSIC_SCOPES
from zoomtui.services.connection import Capability, optional_text
from zoomtui.services.connection import test_connection as check

NO_OPLOGS = frozenset(s for s in ALL_SCOPES if not s.startswith("report:read:operation_logs"))


async def test_granted_operation_logs_say_reruns_read_only_changed_users(tmp_path: Path) -> None:
    world = make_world(tmp_path / "c.db", users=60)
    report = await check(world.ctx)
    world.ctx.close()
    assert report.ok and report.capabilities["operation_logs"].available
    assert "  ok       operation logs: yes (reruns re-read only changed users)" in report.lines()
    document = report.to_json()
    assert document["capabilities"]["operation_logs"] is True
    assert document["details"]["operation_logs"]["optional"] is True
    assert document["details"]["users"]["optional"] is False
    calls = world.emulator.stats.calls
    assert calls["GET /report/operationlogs"] == 1  # one page of one entry, one day


async def test_a_missing_scope_is_optional_names_the_scope_and_still_passes(
    tmp_path: Path,
) -> None:
    world = make_world(tmp_path / "c.db", users=60, scopes=NO_OPLOGS)
    report = await check(world.ctx)
    world.ctx.close()
    assert report.ok and report.error is None
    cap = report.capabilities["operation_logs"]
    assert not cap.available and cap.scope_missing
    line = next(x for x in report.lines() if "operation logs" in x)
    assert line.startswith("  optional operation logs: no — reruns re-read every licensed user")
    assert "an account whose seat counts moved" in line
    assert "add the scope report:read:operation_logs:admin" in line
    assert not any(x.lstrip().startswith("missing") for x in report.lines())
    assert report.to_json()["capabilities"]["operation_logs"] is False


async def test_the_classic_report_scope_grants_the_operation_logs(tmp_path: Path) -> None:
    world = make_world(tmp_path / "c.db", users=60, scopes=CLASSIC_SCOPES)
    report = await check(world.ctx)
    world.ctx.close()
    assert report.capabilities["operation_logs"].available


def test_a_refusal_that_is_not_a_scope_names_no_scope_to_add() -> None:
    """The role lacks the Admin Activity Logs permission: the scope is there, Zoom says no."""
    cap = Capability(False, "report:read:operation_logs:admin", "Zoom does not allow this app")
    text = optional_text("operation_logs", cap)
    assert text.startswith("operation logs: no (Zoom does not allow this app): reruns re-read")
    assert "add the scope" not in text
    several = Capability(False, "a:admin, b:admin", "missing scope a:admin, b:admin", True)
    assert "add one of the scopes a:admin, b:admin" in optional_text("operation_logs", several)
