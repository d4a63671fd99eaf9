"""End to end over loopback: `zoomtui aggregate` against a hostile server fails in one sentence.

The same broken replies as the broken-listing matrix, through a real HTTP
server and the CLI: the exit code is failed (1) or partial (3), stderr holds
one sentence and no "Unexpected error", and `zoomtui runs` still works.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from tests.helpers.reliability_checks import assert_one_sentence
from zoomtui.cli import main
from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.faults import parse_faults
from zoomtui.emulator.server import BackgroundServer

SPECS = [
    "short_listing:*/users",
    "repeat_token:*/users",
    "no_list:*/users",
    "wrong_types:*/users",
    "deep_json:*/users",
    "retry_after_huge:*/users",
    "expires_in_absurd:/oauth/token",
]


@pytest.mark.parametrize("spec", SPECS)
def test_aggregate_against_a_hostile_server(spec: str) -> None:
    ds = Dataset.generate(users=700, seed=5, start=datetime.now(UTC).replace(microsecond=0))
    config = EmulatorConfig(rate_scale=100, faults=parse_faults(spec))
    with BackgroundServer(Emulator(ds, config)) as server:
        c = DEMO_CREDENTIALS
        env = {
            "ZOOM_ACCOUNT_ID": c.account_id,
            "ZOOM_CLIENT_ID": c.client_id,
            "ZOOM_CLIENT_SECRET": c.client_secret,
            "ZOOMTUI_API_URL": f"{server.url}/v2",
            "ZOOMTUI_OAUTH_URL": f"{server.url}/oauth/token",
        }
        result = CliRunner().invoke(main, ["aggregate", "--quiet", "--json"], env=env)
    assert result.exit_code in (1, 3), (result.exit_code, result.output)
    payload = json.loads(result.stdout)
    assert payload["status"] in ("failed", "partial")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert_one_sentence(lines[0])
    assert "Unexpected" not in lines[0]
    runs = CliRunner().invoke(main, ["runs", "--format", "json"])
    assert runs.exit_code == 0
    assert [r["status"] for r in json.loads(runs.stdout)] == [payload["status"]]
