"""Models parse Zoom's JSON faithfully: exact 64-bit ints, generic plan usage, labels."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import respx

from tests.helpers.zoomfakes import API
from zoomtui.zoom import (
    PlanSeat,
    PlanUsage,
    User,
    addons_from_settings,
    bundle_name,
    plan_name,
)

EDU_ENTERPRISE_PLUS = 144115188075855872  # 2**57: not representable exactly as a float + 1


async def test_zoom_one_type_stays_exact_through_the_client(zoom: respx.MockRouter, make_client):
    big = EDU_ENTERPRISE_PLUS + 1
    raw = b'{"id": "u1", "email": "a@x.org", "type": 2, "zoom_one_type": %d, "pmi": 6589310093}'
    zoom.get(f"{API}/users/u1").mock(return_value=httpx.Response(200, content=raw % big))
    user = await make_client().get_user("u1")
    assert user.zoom_one_type == big and float(big) != big
    assert user.pmi == 6589310093


def test_pending_user_has_no_id_and_aware_timestamps():
    user = User.from_json(
        {
            "email": "p@example.com",
            "status": "pending",
            "type": 1,
            "created_at": "2024-05-01T10:00:00Z",
            "last_login_time": "2024-05-02T11:30:00Z",
            "license_info_list": [{"license_type": "MEETING", "license_option": 2**59}],
        }
    )
    assert user.id is None and user.status == "pending"
    assert user.last_login_time == datetime(2024, 5, 2, 11, 30, tzinfo=UTC)
    assert user.license_info_list[0].license_option == 2**59
    assert user.user_created_at is None and user.dept == ""


def test_plan_usage_parses_every_plan_key():
    usage = PlanUsage.from_json(
        {
            "plan_base": {"type": "monthly", "hosts": 2, "usage": 1, "pending": 1},
            "plan_webinar": [{"type": "webinar500_monthly", "hosts": 3, "usage": 2}],
            "plan_united": {"name": "Pro United", "hosts": 5, "usage": 4},
            "plan_zoom_video_management": {"type": "zvm_yearly", "hosts": "7", "usage": "0"},
            "plan_recording": {"free_storage": "3 GB", "plan_storage": "1 TB"},
            "not_a_plan": {"hosts": 99},
        }
    )
    assert set(usage.seats) == {
        PlanSeat("plan_base", "monthly", 2, 1, 1),
        PlanSeat("plan_webinar", "webinar500_monthly", 3, 2, 0),
        PlanSeat("plan_united", "Pro United", 5, 4, 0),
        PlanSeat("plan_zoom_video_management", "zvm_yearly", 7, 0, 0),
    }
    assert usage.by_plan("plan_base")[0].purchased == 2


async def test_plan_usage_and_summary_paths(zoom: respx.MockRouter, make_client):
    me = zoom.get(f"{API}/accounts/me/plans/usage").respond(json={"plan_base": {"hosts": 1}})
    sub = zoom.get(f"{API}/accounts/s1/plans/usage").respond(json={})
    summary = zoom.get(f"{API}/users/summary").respond(json={"licensed_users_count": 12})
    client = make_client()
    assert (await client.plan_usage()).seats[0].purchased == 1
    assert (await client.plan_usage("s1")).seats == ()
    assert (await client.users_summary()).licensed_users_count == 12
    assert me.called and sub.called and summary.called
    assert client.stats.calls == {"Heavy": 2, "Medium": 1}


def test_labels():
    assert [plan_name(t) for t in (1, 2, 3, 4, 99, 7)] == [
        "Basic",
        "Licensed",
        "On-prem",
        "Unassigned",
        "None",
        "Type 7",
    ]
    edu = User(id="u", email="e", zoom_one_type=EDU_ENTERPRISE_PLUS)
    assert bundle_name(edu) == "Zoom Workplace Education Enterprise Plus"
    assert (
        bundle_name(User(id="u", email="e", plan_united_type="32")) == "Zoom United Business US/CA"
    )
    assert bundle_name(User(id="u", email="e")) is None


def test_addons_are_the_licences_of_the_feature_object():
    settings = {
        "feature": {
            "webinar": True,
            "large_meeting": True,
            "zoom_phone": False,
            "meeting_capacity": 500,
            "concurrent_meeting": "Plus",
        }
    }
    assert addons_from_settings(settings) == ("concurrent_meeting:plus", "large_meeting", "webinar")
    assert addons_from_settings({}) == ()


async def test_an_integer_beyond_64_bits_is_refused_not_rounded(
    zoom: respx.MockRouter, make_client
):
    raw = b'{"id": "u1", "email": "a@x.org", "type": 2, "zoom_one_type": 18446744073709551617}'
    zoom.get(f"{API}/users/u1").mock(return_value=httpx.Response(200, content=raw))
    user = await make_client().get_user("u1")
    assert user.zoom_one_type is None  # unknown, never 18446744073709551616


def test_a_user_without_status_takes_the_status_of_its_listing():
    from zoomtui.services.convert import user_row

    user = User.from_json({"email": "a@example.com", "type": 2})  # only these are required
    assert user.status == ""
    assert user_row(user, "acct", None, "pending").status == "pending"
    assert user_row(User.from_json({"email": "b@example.com", "type": 1, "status": "inactive"}),
                    "acct", None, "active").status == "inactive"  # fmt: skip
