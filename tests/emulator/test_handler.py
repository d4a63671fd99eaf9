"""HTTP behaviour: token endpoint, envelopes, Zoom's error bodies, scopes, cursors, 429s."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from tests.helpers.emuapi import START, Api, make_api
from zoomtui.emulator import Dataset
from zoomtui.emulator.auth import ALL_SCOPES, DEMO_CREDENTIALS

QPS = "You have reached the maximum per-second rate limit for this API. Try again later."


def token_request(content: str, basic: str = "ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=", query: str = ""):
    return httpx.Request(
        "POST",
        f"http://emulator.local/oauth/token{query}",
        content=content.encode(),
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )


def test_token_response_shape(api: Api) -> None:
    response = api.get_token()
    body = response.json()
    assert response.status_code == 200 and "x-zm-trackingid" in response.headers
    assert body["access_token"].startswith("eyJ")
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split(" ")) == ALL_SCOPES
    assert body["api_url"] == "http://emulator.local"


def test_token_errors(api: Api) -> None:
    handle = api.emulator.handle
    good = "grant_type=account_credentials&account_id=demo-account"
    bad = handle(token_request(good, basic="ZGVtby1jbGllbnQ6d3Jvbmc="))
    assert (bad.status_code, bad.json()) == (
        400,
        {"reason": "Invalid client_id or client_secret", "error": "invalid_client"},
    )
    grant = handle(token_request("grant_type=client_credentials&account_id=demo-account"))
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    account = handle(token_request("grant_type=account_credentials&account_id=nope"))
    assert account.status_code == 400 and account.json()["reason"] == "Invalid account_id"
    in_query = handle(token_request("", query=f"?{good}"))
    assert in_query.status_code == 400 and in_query.json()["error"] == "invalid_request"


def test_bearer_checks(api: Api) -> None:
    missing = api.get("/users", token="")
    assert (missing.status_code, missing.json()) == (
        401,
        {"code": 124, "message": "Invalid access token."},
    )
    api.get_token()
    api.tick(3601)
    expired = api.get("/users")
    assert (expired.status_code, expired.json()["message"]) == (401, "Access token is expired.")


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_legacy_jwt_is_retired_unless_enabled(dataset: Dataset) -> None:
    creds = DEMO_CREDENTIALS
    legacy = jwt.encode(
        {"iss": creds.api_key, "exp": int(time.time()) + 3600}, creds.api_secret, algorithm="HS256"
    )
    retired = make_api(dataset).get("/users", token=legacy)
    assert retired.json() == {"code": 200, "message": "Account does not enabled REST API."}
    enabled = make_api(dataset, jwt_enabled=True)
    enabled.now[0] = START.__class__.now(START.tzinfo)
    assert enabled.get("/users", token=legacy).status_code == 200
    forged = jwt.encode({"iss": creds.api_key, "exp": 2**40}, "wrong", algorithm="HS256")
    assert enabled.get("/users", token=forged).status_code == 401


def test_list_users_envelope_and_paging(api: Api, dataset: Dataset) -> None:
    first = api.get("/users", status="inactive", page_size=50).json()
    truth = dataset.users_of("demo-account", "inactive")
    assert first["total_records"] == len(truth) and first["page_size"] == 50
    assert first["page_number"] == 1 and first["page_count"] == -(-len(truth) // 50)
    seen = list(first["users"])
    body = first
    while body["next_page_token"]:
        body = api.get(
            "/users", status="inactive", page_size=50, next_page_token=body["next_page_token"]
        ).json()
        seen += body["users"]
    assert body["next_page_token"] == "" and seen == truth
    assert api.get("/users", page_size=5000).json()["page_size"] == 300


def test_page_token_expires_after_fifteen_minutes(api: Api) -> None:
    cursor = api.get("/users", page_size=10).json()["next_page_token"]
    assert api.get("/users", page_size=10, next_page_token=cursor).status_code == 200
    assert api.get("/users", page_size=20, next_page_token=cursor).status_code == 400
    api.tick(901)
    api.get_token()
    expired = api.get("/users", page_size=10, next_page_token=cursor)
    assert (expired.status_code, expired.json()) == (
        400,
        {"code": 300, "message": "The next page token is invalid or expired."},
    )


def test_user_settings_and_errors(api: Api, dataset: Dataset) -> None:
    user = dataset.users_of("demo-account", "active")[3]
    got = api.get(f"/users/{user['id']}").json()
    assert got["email"] == user["email"] and got["account_id"] == "demo-account"
    settings = api.get(f"/users/{user['id']}/settings").json()
    assert settings == dataset.settings_of("demo-account", user["id"])
    pending = dataset.users_of("demo-account", "pending")[0]
    refused = api.get(f"/users/{pending['email']}/settings")
    assert (refused.status_code, refused.json()) == (
        400,
        {
            "code": 1000,
            "message": "You can not access settings of users that are still in pending state.",
        },
    )
    unknown = api.get("/users/nobody123/settings")
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"code": 1001, "message": "User does not exist: nobody123."},
    )


def test_bundle_integers_survive_json_exactly(api: Api, dataset: Dataset) -> None:
    edu = next(a for a in dataset.accounts if a.education)
    big = [
        u
        for u in dataset.users_of(edu.id, "active")
        if u.get("license_info_list", [{}])[0].get("license_option", 0) > 2**53
    ]
    raw = api.get(f"/accounts/{edu.id}/users/{big[0]['id']}").text
    assert f'"zoom_one_type":{big[0]["license_info_list"][0]["license_option"]}' in raw


def test_accounts_usage_summary_and_sub_accounts(api: Api, dataset: Dataset) -> None:
    subs = api.get("/accounts").json()
    assert subs["total_records"] == len(dataset.accounts) - 1
    assert {a["id"] for a in subs["accounts"]} == {a.id for a in dataset.accounts[1:]}
    assert api.get("/accounts/me/plans/usage").json() == dataset.plan_usage_of("demo-account")
    sub = dataset.accounts[1]
    assert api.get(f"/accounts/{sub.id}/plans/usage").json() == dataset.plan_usage_of(sub.id)
    listed = api.get(f"/accounts/{sub.id}/users", page_size=300).json()
    assert listed["users"][:5] == dataset.users_of(sub.id, "active")[:5]
    summary = api.get("/users/summary").json()
    assert summary["pending_users_count"] == len(dataset.users_of("demo-account", "pending"))
    assert api.get("/accounts/nope/users").status_code == 404


def test_sign_in_report_window_and_paging(api: Api, dataset: Dataset) -> None:
    body = api.get(
        "/report/activities", **{"from": "2026-05-01", "to": "2026-05-31"}, page_size=300
    ).json()
    logs = list(body["activity_logs"])
    while body["next_page_token"]:
        body = api.get(
            "/report/activities",
            **{"from": "2026-05-01", "to": "2026-05-31"},
            page_size=300,
            next_page_token=body["next_page_token"],
        ).json()
        logs += body["activity_logs"]
    truth = dataset.sign_in_events(START.replace(day=1, month=5), START.replace(day=31, month=5))
    assert logs == truth and logs
    too_long = api.get("/report/activities", **{"from": "2026-04-01", "to": "2026-05-20"})
    assert too_long.status_code == 400 and too_long.json()["code"] == 300
    too_old = api.get("/report/activities", **{"from": "2025-10-01", "to": "2025-10-20"})
    assert too_old.status_code == 400 and "6 months" in too_old.json()["message"]
    hosts = api.get("/report/users", **{"from": "2026-05-01", "to": "2026-05-31"}).json()
    assert hosts["users"] and all(u["meetings"] > 0 for u in hosts["users"])


def test_missing_scope_names_the_granular_scope(dataset: Dataset) -> None:
    api = make_api(dataset, scopes=ALL_SCOPES - {"user:read:settings:admin"})
    user = dataset.users_of("demo-account", "active")[0]
    refused = api.get(f"/users/{user['id']}/settings")
    assert (refused.status_code, refused.json()) == (
        400,
        {
            "code": 4711,
            "message": "Invalid access token, does not contain scopes:[user:read:settings:admin].",
        },
    )
    assert api.get("/users").status_code == 200
    classic = make_api(dataset, scopes=frozenset({"user:read:admin"}))
    assert classic.get(f"/users/{user['id']}/settings").status_code == 200
    assert classic.get("/report/activities").json()["code"] == 4711
    sub = dataset.accounts[1].id
    assert "user:read:list_users:master" in classic.get(f"/accounts/{sub}/users").text


def test_rate_limit_429_body_and_headers(dataset: Dataset) -> None:
    api = make_api(dataset, rate_limits=True, tier="free")
    ok = api.get("/users")
    assert ok.headers["X-RateLimit-Category"] == "Medium"
    assert ok.headers["X-RateLimit-Limit"] == "2" and "X-RateLimit-Remaining" in ok.headers
    api.get("/users")
    limited = api.get("/users")
    assert limited.status_code == 429
    assert limited.json() == {"code": 429, "message": QPS}
    assert limited.headers["X-RateLimit-Type"] == "QPS"
    assert "X-RateLimit-Remaining" not in limited.headers
    api.tick(1.0)
    assert api.get("/users").status_code == 200
    assert api.emulator.stats.rate_limited["Medium"] == 1


def test_daily_limit_returns_iso_retry_after(dataset: Dataset) -> None:
    api = make_api(dataset, rate_limits=True, tier="free", daily_limits=True, rate_scale=10_000)
    for _ in range(1000):
        api.get("/report/activities", **{"from": "2026-05-01", "to": "2026-05-02"})
    limited = api.get("/report/activities", **{"from": "2026-05-01", "to": "2026-05-02"})
    assert limited.status_code == 429 and "daily" in limited.json()["message"]
    assert limited.headers["X-RateLimit-Type"] == "Daily-limit"
    assert limited.headers["Retry-After"] == "2026-06-02T00:00:00Z"


def test_stats_count_calls_per_endpoint(api: Api, dataset: Dataset) -> None:
    user = dataset.users_of("demo-account", "active")[0]
    api.get("/users")
    api.get(f"/users/{user['id']}/settings")
    assert api.emulator.stats.calls["GET /users"] == 1
    assert api.emulator.stats.calls["GET /users/{userId}/settings"] == 1
    assert api.emulator.stats.categories["Medium"] == 2


def test_shared_quota_leaves_only_the_rest_of_each_second(dataset: Dataset) -> None:
    """Another app using half of Pro's Medium 20/s leaves this client about 10/s."""
    api = make_api(dataset, rate_limits=True, tier="pro", shared_quota=0.5)
    ok = sum(api.get("/users").status_code == 200 for _ in range(20))  # the full first second
    assert ok == 20
    served = 0
    for _ in range(100):  # then ten seconds at 100 requests per second
        api.tick(0.1)
        served += sum(api.get("/users").status_code == 200 for _ in range(10))
    assert 99 <= served <= 100  # 10 per second, not 20 (float rounding may lose one)
    assert api.get("/users").headers.get("X-RateLimit-Limit") in (None, "20")  # the account's


def test_the_emulated_tier_is_its_own(dataset: Dataset) -> None:
    """An emulator on Pro refuses the 21st Medium call of a second, whatever a client assumes."""
    api = make_api(dataset, rate_limits=True, tier="pro")
    codes = [api.get("/users").status_code for _ in range(21)]
    assert codes.count(200) == 20 and codes[-1] == 429


def test_limit_headers_can_be_left_off(dataset: Dataset) -> None:
    """Zoom does not promise X-RateLimit-* headers; clients must cope without them."""
    api = make_api(dataset, rate_limits=True, tier="pro", limit_headers=False)
    ok = api.get("/users")
    assert ok.status_code == 200 and "X-RateLimit-Limit" not in ok.headers
