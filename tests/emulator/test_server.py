"""The loopback server answers over real sockets; the command refuses non-loopback hosts."""

from __future__ import annotations

import httpx
from click.testing import CliRunner

from zoomtui.commands.emulator import emulator as emulator_command
from zoomtui.emulator import Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.server import BackgroundServer, is_loopback


def test_server_answers_token_list_and_control(dataset: Dataset) -> None:
    emulator = Emulator(dataset, EmulatorConfig(rate_limits=False))
    with BackgroundServer(emulator) as server, httpx.Client(base_url=server.url) as client:
        assert server.url.startswith("http://127.0.0.1:")
        token = client.post(
            "/oauth/token",
            data={"grant_type": "account_credentials", "account_id": "demo-account"},
            auth=("demo-client", "demo-secret"),
        ).json()
        assert token["api_url"] == server.url
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        users = client.get("/v2/users", params={"page_size": 300}, headers=headers)
        again = client.get("/v2/users/summary", headers=headers)  # same keep-alive connection
        advanced = client.post("/_emulator/advance", params={"days": 3})
    assert users.status_code == 200 and "x-zm-trackingid" in users.headers
    assert users.json()["users"] == dataset.users_of("demo-account", "active")[:300]
    assert again.json()["total_users_count"] > 0
    assert advanced.json()["users"] == len(emulator.dataset)
    assert emulator.dataset.now > dataset.now


def test_server_reset_fault_drops_the_connection(dataset: Dataset) -> None:
    from zoomtui.emulator import Fault

    emulator = Emulator(dataset, EmulatorConfig(faults=(Fault("reset", "/oauth/token"),)))
    with BackgroundServer(emulator) as server, httpx.Client(base_url=server.url) as client:
        try:
            client.post("/oauth/token", data={"grant_type": "account_credentials"})
        except httpx.TransportError:
            dropped = True
        else:
            dropped = False
    assert dropped


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_command_refuses_non_loopback_host() -> None:
    result = CliRunner().invoke(emulator_command, ["--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "only listens on loopback" in result.output
    assert "Traceback" not in result.output


def test_command_rejects_bad_fault_spec() -> None:
    result = CliRunner().invoke(emulator_command, ["--faults", "meltdown"])
    assert result.exit_code != 0 and "unknown fault kind" in result.output


def test_command_prints_urls_and_demo_credentials(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import zoomtui.emulator.server as server_module

    seen: dict[str, object] = {}

    def fake_serve(emulator, host, port, on_ready=None):  # type: ignore[no-untyped-def]
        seen["users"] = len(emulator.dataset)
        fake = server_module.LoopbackServer(emulator, host, 4321)
        on_ready(fake)
        raise KeyboardInterrupt

    monkeypatch.setattr(server_module, "serve", fake_serve)
    result = CliRunner().invoke(emulator_command, ["--users", "50", "--advance-days", "2"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:4321/v2" in result.output
    assert "http://127.0.0.1:4321/oauth/token" in result.output
    for value in ("demo-account", "demo-client", "demo-secret"):
        assert value in result.output
    assert "Traceback" not in result.output and seen["users"]
