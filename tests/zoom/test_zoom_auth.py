"""Server-to-Server OAuth token flow, token reuse and refresh, and legacy JWT detection."""

from __future__ import annotations

import asyncio
import base64

import httpx
import jwt
import pytest
import respx

from tests.helpers.zoomfakes import API, S2S, FakeTime, token_json, user_json
from zoomtui.zoom import (
    AuthError,
    Credentials,
    InvalidAccount,
    InvalidClient,
    JWTRetired,
    UnsupportedGrant,
)

SECRET = "a-36-character-long-legacy-api-secret"
USERS_PAGE = {"users": [user_json(1)], "next_page_token": ""}


async def first_page(client) -> list:
    async for page in client.iter_users("active"):
        return page
    return []


async def test_token_request_has_form_body_and_basic_auth(zoom: respx.MockRouter, make_client):
    token = await make_client().token()
    request = zoom.routes["token"].calls.last.request
    assert request.method == "POST"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == b"grant_type=account_credentials&account_id=acc-1"
    assert not request.url.query  # nothing in the query string (Zoom answers 400 to that)
    assert token.access_token == "tok-1"
    assert token.scopes == {"user:read:list_users:admin", "report:read:user_activities:admin"}


async def test_token_is_cached_and_refreshed_five_minutes_early(
    zoom: respx.MockRouter, make_client, fake: FakeTime
):
    zoom.routes["token"].side_effect = [
        httpx.Response(200, json=token_json("tok-1")),
        httpx.Response(200, json=token_json("tok-2")),
    ]
    client = make_client()
    assert (await client.token()).access_token == "tok-1"
    fake.advance(minutes=54, seconds=59)
    assert (await client.token()).access_token == "tok-1"
    fake.advance(seconds=2)  # now inside the last five minutes of the hour
    assert (await client.token()).access_token == "tok-2"
    assert zoom.routes["token"].call_count == 2


async def test_concurrent_callers_share_one_token_request(zoom: respx.MockRouter, make_client):
    async def slow_token(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)
        return httpx.Response(200, json=token_json())

    zoom.routes["token"].side_effect = slow_token
    client = make_client()
    tokens = await asyncio.gather(*(client.token() for _ in range(20)))
    assert {t.access_token for t in tokens} == {"tok-1"}
    assert zoom.routes["token"].call_count == 1


async def test_401_code_124_refreshes_the_token_and_retries_once(
    zoom: respx.MockRouter, make_client
):
    zoom.routes["token"].side_effect = [
        httpx.Response(200, json=token_json("old")),
        httpx.Response(200, json=token_json("new")),
    ]
    users = zoom.get(f"{API}/users")
    users.side_effect = [
        httpx.Response(401, json={"code": 124, "message": "Access token is expired."}),
        httpx.Response(200, json=USERS_PAGE),
    ]
    page = await first_page(make_client())
    assert [u.id for u in page] == ["u1"]
    auths = [c.request.headers["Authorization"] for c in users.calls]
    assert auths == ["Bearer old", "Bearer new"]


async def test_a_token_rejected_after_three_refreshes_is_an_auth_error(
    zoom: respx.MockRouter, make_client
):
    zoom.get(f"{API}/users").respond(401, json={"code": 124, "message": "Invalid access token."})
    with pytest.raises(AuthError, match="rejected the access token"):
        await first_page(make_client())
    assert zoom.routes["token"].call_count == 4  # the first token and three replacements


async def test_api_url_from_token_is_used_when_none_configured(zoom: respx.MockRouter, make_client):
    zoom.routes["token"].respond(json=token_json(api_url="https://api-eu.zoom.us"))
    route = zoom.get("https://api-eu.zoom.us/v2/users").respond(json=USERS_PAGE)
    await first_page(make_client(api_url=None))
    assert route.called


async def test_configured_api_url_wins_over_token_api_url(zoom: respx.MockRouter, make_client):
    zoom.routes["token"].respond(json=token_json(api_url="https://api-eu.zoom.us"))
    route = zoom.get(f"{API}/users").respond(json=USERS_PAGE)
    await first_page(make_client(api_url=API))
    assert route.called


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"},
         InvalidClient, "client ID or client secret"),
        (400, {"reason": "unsupported grant type", "error": "unsupported_grant_type"},
         UnsupportedGrant, "account_credentials"),
        (400, {"reason": "Bad Request", "error": "invalid_request"}, InvalidAccount, "account ID"),
        (401, {"reason": "Invalid account_id", "error": "invalid_client"},
         InvalidAccount, "account ID"),
    ],
)  # fmt: skip
async def test_token_failures_become_one_clear_sentence(
    zoom: respx.MockRouter, make_client, status, body, error, words
):
    zoom.routes["token"].respond(status, json=body, headers={"x-zm-trackingid": "trk-1"})
    with pytest.raises(error) as caught:
        await make_client().token()
    assert words in caught.value.message
    assert caught.value.message.endswith(".")
    assert caught.value.tracking_id == "trk-1"


async def test_jwt_token_carries_iss_and_exp(make_client, fake: FakeTime):
    creds = Credentials(api_key="KEY", api_secret=SECRET)
    token = await make_client(creds).token()
    claims = jwt.decode(
        token.access_token, SECRET, algorithms=["HS256"], options={"verify_exp": False}
    )
    assert claims["iss"] == "KEY"
    assert claims["exp"] == int(fake.now.timestamp()) + 3600
    assert jwt.get_unverified_header(token.access_token)["alg"] == "HS256"


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(401, json={"code": 124, "message": "Invalid access token."}),
        httpx.Response(200, json={"code": 200, "message": "Invalid api key or secret."}),
        httpx.Response(200, json={"code": 200, "message": "Account does not enabled REST API."}),
    ],
)
async def test_jwt_failure_explains_retirement(zoom: respx.MockRouter, make_client, response):
    route = zoom.get(f"{API}/users").mock(return_value=response)
    with pytest.raises(JWTRetired) as caught:
        await first_page(make_client(Credentials(api_key="KEY", api_secret=SECRET)))
    assert "2023-09-08" in caught.value.message
    assert "Server-to-Server OAuth" in caught.value.message
    assert route.calls.last.request.headers["Authorization"].startswith("Bearer eyJ")
    assert not zoom.routes["token"].called


def test_credentials_repr_masks_secrets():
    text = repr(Credentials("acc", "cid", "topsecret", "key", "apisecret"))
    assert "topsecret" not in text and "apisecret" not in text
    assert "***" in text and S2S.kind == "s2s"
    assert Credentials(api_key="k", api_secret="s").kind == "jwt"


async def test_token_repr_never_shows_the_token(zoom: respx.MockRouter, make_client):
    token = await make_client().token()
    assert "tok-1" not in repr(token)
