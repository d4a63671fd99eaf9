"""Zoom's error answers become one clear sentence; tracking ids are logged, secrets never."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from tests.helpers.zoomfakes import API
from zoomtui.zoom import MissingScope, NoPermission, NotFound, NotMasterAccount


async def test_missing_scope_names_the_scope(zoom: respx.MockRouter, make_client):
    zoom.get(f"{API}/users").respond(
        400,
        json={
            "code": 4711,
            "message": "Invalid access token, does not contain scopes:"
            "[user:read:list_users:admin].",
        },
    )
    with pytest.raises(MissingScope) as caught:
        async for _ in make_client().iter_users("active"):
            pass
    assert caught.value.scope == "user:read:list_users:admin"
    assert "user:read:list_users:admin" in caught.value.message


async def test_scope_code_without_a_list_names_the_endpoint_scope(
    zoom: respx.MockRouter, make_client
):
    zoom.get(f"{API}/users/u1/settings").respond(
        401, json={"code": 104, "message": "Invalid access token, does not contain scopes."}
    )
    with pytest.raises(MissingScope) as caught:
        await make_client().get_user_settings("u1")
    assert caught.value.scope == "user:read:settings:admin"


async def test_no_permission_on_403(zoom: respx.MockRouter, make_client):
    zoom.get(f"{API}/report/activities").respond(
        403, json={"code": 200, "message": "No permission."}
    )
    client = make_client()
    with pytest.raises(NoPermission, match="No permission"):
        async for _ in client.iter_sign_in_events(client.clock().date(), client.clock().date()):
            pass


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(403, json={"code": 200, "message": "No permission."}),
        httpx.Response(200, json={"code": 200, "message": "No permission."}),
    ],
)
async def test_sub_account_list_on_a_normal_account(zoom: respx.MockRouter, make_client, response):
    zoom.get(f"{API}/accounts").mock(return_value=response)
    with pytest.raises(NotMasterAccount, match="not a master account"):
        await make_client().list_sub_accounts()


async def test_unknown_user_is_not_found(zoom: respx.MockRouter, make_client):
    zoom.get(f"{API}/users/nobody%40example.com").respond(
        404, json={"code": 1001, "message": "User does not exist: nobody@example.com."}
    )
    with pytest.raises(NotFound) as caught:
        await make_client().get_user("nobody@example.com")
    assert caught.value.code == 1001


async def test_errors_log_tracking_id_but_no_secret(
    zoom: respx.MockRouter, make_client, caplog: pytest.LogCaptureFixture
):
    zoom.get(f"{API}/users/u1").respond(
        403,
        json={"code": 200, "message": "No permission."},
        headers={"x-zm-trackingid": "v=2;rid=X1"},
    )
    with (
        caplog.at_level(logging.DEBUG, logger="zoomtui.zoom"),
        pytest.raises(NoPermission) as caught,
    ):
        await make_client().get_user("u1")
    assert caught.value.tracking_id == "v=2;rid=X1"
    assert "v=2;rid=X1" in caplog.text
    assert "csecret" not in caplog.text and "tok-1" not in caplog.text


@pytest.mark.parametrize(
    ("status", "body"),
    [  # the observed shape (zoom-api.md §7, §12) and the readings Zoom's docs leave open
        (400, {"code": 4711, "message": "Invalid access token, does not contain scopes:"
               "[report:read:operation_logs:admin, report:read:admin]."}),
        (401, {"code": 4711, "message": "Invalid access token, does not contain scopes."}),
        (403, {"code": 4700, "message": "Invalid access token."}),
    ],
)  # fmt: skip
async def test_the_operation_logs_scope_is_named_however_zoom_refuses(
    zoom: respx.MockRouter, make_client, status: int, body: dict[str, object]
):
    zoom.get(f"{API}/report/operationlogs").respond(status, json=body)
    client = make_client()
    today = client.clock().date()
    with pytest.raises(MissingScope) as caught:
        async for _ in client.iter_operation_logs(today, today, page_size=1):
            pass
    assert "report:read:operation_logs:admin" in caught.value.scopes
