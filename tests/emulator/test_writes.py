"""The write endpoints a reclaim uses: Zoom's rules, refusals, scopes, and seat counts following."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.emuapi import START, Api, make_api
from zoomtui.emulator import Dataset
from zoomtui.emulator.auth import ALL_SCOPES, RECLAIM_SCOPES
from zoomtui.emulator.columns import ACTIVE, PENDING, user_id
from zoomtui.emulator.meetings import hosting_now, upcoming_meetings, upcoming_webinars


@pytest.fixture
def ds() -> Dataset:
    """A dataset of its own: these tests change it."""
    return Dataset.generate(users=400, seed=11, start=START)


def rows_where(ds: Dataset, **want: int) -> list[int]:
    c = ds.cols
    return [
        i
        for i in range(len(c))
        if c.acct[i] == 0 and all(getattr(c, k)[i] == v for k, v in want.items())
    ]


def zid(ds: Dataset, row: int) -> str:
    return user_id(ds.seed, ds.cols.serial[row])


def base_usage(api: Api) -> dict[str, Any]:
    body = api.get("/accounts/me/plans/usage").json()
    return body


def test_downgrade_frees_the_seat_and_drops_add_ons(ds: Dataset) -> None:
    api = make_api(ds)
    row = next(r for r in rows_where(ds, status=ACTIVE, utype=2, role=2, zoom_one=0, united=0)
               if ds.cols.addons[r] == 0)  # fmt: skip
    before = base_usage(api)["plan_base"]["usage"]
    answer = api.send("PATCH", f"/users/{zid(ds, row)}", json={"type": 1})
    assert answer.status_code == 204 and answer.content == b""
    assert api.get(f"/users/{zid(ds, row)}").json()["type"] == 1
    assert base_usage(api)["plan_base"]["usage"] == before - 1
    again = api.send("PATCH", f"/users/{zid(ds, row)}", json={"type": 2})
    assert again.status_code == 204
    assert base_usage(api)["plan_base"]["usage"] == before
    assert api.emulator.stats.calls["PATCH /users/{userId}"] == 2


def test_writes_on_the_owner_and_admins_are_refused(ds: Dataset) -> None:
    api = make_api(ds)
    owner = rows_where(ds, role=0)[0]
    answer = api.send("PATCH", f"/users/{zid(ds, owner)}", json={"type": 1})
    assert answer.status_code == 400 and answer.json()["code"] == 1108
    status = api.send("PUT", f"/users/{zid(ds, owner)}/status", json={"action": "deactivate"})
    assert status.json() == {
        "code": 200,
        "message": "Zoom Room and Admin users can not be activated or deactivated.",
    }
    gone = api.send("DELETE", f"/users/{zid(ds, owner)}", action="disassociate")
    assert gone.json()["code"] == 1117
    assert ds.cols.utype[owner] == 2 and ds.cols.status[owner] == ACTIVE


def test_missing_write_scope_is_refused_and_nothing_changes(ds: Dataset) -> None:
    api = make_api(ds, scopes=ALL_SCOPES - RECLAIM_SCOPES)
    row = rows_where(ds, status=ACTIVE, utype=2, role=2)[0]
    answer = api.send("PATCH", f"/users/{zid(ds, row)}", json={"type": 1})
    assert answer.status_code == 400 and answer.json()["code"] == 4711
    assert "user:update:user:admin" in answer.json()["message"]
    assert ds.cols.utype[row] == 2


def test_add_on_removed_and_restored_with_its_capacity(ds: Dataset) -> None:
    api = make_api(ds)
    row = next(
        r for r in rows_where(ds, status=ACTIVE, utype=2, role=2) if ds.cols.addons[r] >> 3 & 1
    )
    path = f"/users/{zid(ds, row)}/settings"
    assert api.get(path).json()["feature"]["webinar_capacity"] == 1000
    assert api.send("PATCH", path, json={"feature": {"webinar": False}}).status_code == 204
    assert api.get(path).json()["feature"]["webinar"] is False
    body = {"feature": {"webinar": True, "webinar_capacity": 1000}}
    assert api.send("PATCH", path, json=body).status_code == 204
    feature = api.get(path).json()["feature"]
    assert feature["webinar"] is True and feature["webinar_capacity"] == 1000


def test_add_on_needs_a_licensed_user_and_a_free_seat(ds: Dataset) -> None:
    api = make_api(ds)
    basic = rows_where(ds, status=ACTIVE, utype=1, role=2)[0]
    path = f"/users/{zid(ds, basic)}/settings"
    answer = api.send("PATCH", path, json={"feature": {"webinar": True}})
    assert answer.status_code == 400 and answer.json()["code"] == 1122
    licensed = next(
        r for r in rows_where(ds, status=ACTIVE, utype=2, role=2) if not ds.cols.addons[r]
    )
    for key in [k for k in ds.hosts if k[:2] == (0, "plan_webinar")]:
        ds.hosts[key] = ds.pool_usage(0).get(key[1:], [0, 0])[0]  # the pool is full
    full = api.send("PATCH", f"/users/{zid(ds, licensed)}/settings",
                    json={"feature": {"webinar": True, "webinar_capacity": 500}})  # fmt: skip
    assert full.status_code == 400 and full.json()["code"] == 200
    assert "Webinar 500" in full.json()["message"]


def test_deactivate_then_activate(ds: Dataset) -> None:
    api = make_api(ds)
    row = rows_where(ds, status=ACTIVE, utype=2, role=2)[3]
    path = f"/users/{zid(ds, row)}/status"
    assert api.send("PUT", path, json={"action": "deactivate"}).status_code == 200
    assert api.get(f"/users/{zid(ds, row)}").json()["status"] == "inactive"
    assert api.send("PUT", path, json={"action": "activate"}).status_code == 200
    assert api.get(f"/users/{zid(ds, row)}").json()["status"] == "active"
    bad = api.send("PUT", path, json={"action": "suspend"})
    assert bad.status_code == 400 and bad.json()["code"] == 300


def test_pending_invitation_revoked_by_e_mail(ds: Dataset) -> None:
    api = make_api(ds)
    row = rows_where(ds, status=PENDING)[0]
    email = ds.email(ds.cols.serial[row], 0)
    before = api.get("/users", status="pending").json()["total_records"]
    assert api.send("DELETE", f"/users/{email}", action="disassociate").status_code == 204
    assert api.get("/users", status="pending").json()["total_records"] == before - 1
    assert api.send("DELETE", f"/users/{email}", action="disassociate").json()["code"] == 1001


def test_invalid_json_body(ds: Dataset) -> None:
    api = make_api(ds)
    row = rows_where(ds, status=ACTIVE, utype=2, role=2)[0]
    request_body = b"{not json"
    import httpx

    api.get_token()
    answer = api.emulator.handle(httpx.Request(
        "PATCH", f"http://emulator.local/v2/users/{zid(ds, row)}", content=request_body,
        headers={"Authorization": f"Bearer {api.token}"}))  # fmt: skip
    assert answer.json() == {"code": 300, "message": "Request Body should be a valid JSON object."}


def test_meetings_and_webinars_follow_the_ground_truth(ds: Dataset) -> None:
    api = make_api(ds)
    now = int(START.timestamp())
    c = ds.cols
    with_meetings = [r for r in rows_where(ds, status=ACTIVE) if upcoming_meetings(ds, r, now)]
    assert with_meetings, "some users schedule meetings"
    row = with_meetings[0]
    listed = api.get(f"/users/{zid(ds, row)}/meetings", type="upcoming").json()["meetings"]
    truth = upcoming_meetings(ds, row, now)
    assert [m["duration"] for m in listed] == [d for _, d, _ in truth]
    assert all(m["start_time"] > START.strftime("%Y-%m-%dT%H:%M:%SZ") for m in listed)
    long = [r for r in rows_where(ds, status=ACTIVE, utype=2)
            if any(d > 40 for _, d, _ in upcoming_meetings(ds, r, now))]  # fmt: skip
    assert long, "some licensed users have meetings a Basic user could not host"
    webinar = [r for r in rows_where(ds, status=ACTIVE) if upcoming_webinars(ds, r, now)]
    assert webinar and all(c.addons[r] >> 2 & 3 for r in webinar)
    body = api.get(f"/users/{zid(ds, webinar[0])}/webinars").json()
    assert len(body["webinars"]) == 1 and body["webinars"][0]["duration"] == 60
    live = [r for r in rows_where(ds, status=ACTIVE) if hosting_now(ds, r, now)]
    for r in live[:3]:
        assert api.get(f"/users/{zid(ds, r)}/meetings", type="live").json()["total_records"] == 1
    idle = next(r for r in rows_where(ds, status=ACTIVE) if not hosting_now(ds, r, now))
    assert api.get(f"/users/{zid(ds, idle)}/meetings", type="live").json()["meetings"] == []


def test_webinars_of_a_user_without_a_webinar_licence_are_refused_as_zoom_does(
    ds: Dataset,
) -> None:
    api = make_api(ds)
    c = ds.cols
    holder = next(r for r in rows_where(ds, status=ACTIVE) if c.addons[r] >> 2 & 3)
    other = next(r for r in rows_where(ds, status=ACTIVE) if not c.addons[r] >> 2 & 3)
    assert api.get(f"/users/{zid(ds, holder)}/webinars").status_code == 200
    refused = api.get(f"/users/{zid(ds, other)}/webinars")
    assert refused.status_code == 400
    assert refused.json()["code"] == 200
    assert refused.json()["message"].startswith("Webinar plan is missing.")


def test_writes_carry_their_rate_limit_category(ds: Dataset) -> None:
    api = make_api(ds, rate_limits=True)
    row = rows_where(ds, status=ACTIVE, utype=2, role=2)[5]
    light = api.send("PATCH", f"/users/{zid(ds, row)}", json={"type": 1})
    assert light.status_code == 204 and light.headers["X-RateLimit-Category"] == "Light"
    medium = api.send("PATCH", f"/users/{zid(ds, row)}/settings", json={"feature": {}})
    assert medium.headers["X-RateLimit-Category"] == "Medium"
    assert api.emulator.stats.categories["Light"] >= 1


def test_writes_are_logged_like_the_admin_changes_the_dataset_makes(ds: Dataset) -> None:
    """A reclaim's writes reach the operation logs, so the next run's hints cover them."""
    api = make_api(ds)
    licensed = [r for r in rows_where(ds, status=ACTIVE, utype=2, role=2) if ds.cols.addons[r]]
    down, off = licensed[0], licensed[1]
    email = {r: ds.email(ds.cols.serial[r], 0) for r in (down, off)}
    assert api.send("PATCH", f"/users/{zid(ds, down)}", json={"type": 1}).status_code == 204
    assert api.send("PUT", f"/users/{zid(ds, off)}/status",
                    json={"action": "deactivate"}).status_code == 200  # fmt: skip
    day = START.date().isoformat()
    reply = api.get("/report/operationlogs", **{"from": day, "to": day})
    details = [e["operation_detail"] for e in reply.json()["operation_logs"]]
    assert f"Update User {email[down]}  - User Type: from Licensed to Basic" in details
    assert f"Deactivate User {email[off]}" in details
