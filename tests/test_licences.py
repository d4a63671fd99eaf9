"""Zoom's licence definitions: which ``feature`` flags are add-ons, and how they read."""

from __future__ import annotations

import pytest

from zoomtui.licences import (
    addon_filter_tokens,
    addon_label,
    normalise_tokens,
    plan_type_label,
    read_feature,
    split_tokens,
    status_word,
    tokens_of,
)


def feature(**flags: object) -> dict[str, object]:
    return {"feature": flags}


def test_hosting_regions_are_attributes_not_addons() -> None:
    read = read_feature(feature(cn_meeting=True, in_meeting=True, webinar=False))
    names, _, regions = split_tokens(read.tokens)
    assert names == []
    assert regions == ["China", "India"]


def test_revenue_accelerator_with_both_flags_is_one_licence() -> None:
    read = read_feature(feature(zoom_iq_for_sales=True, zoom_revenue_accelerator=True))
    assert read.tokens == ("zoom_revenue_accelerator",)
    assert read_feature(feature(zoom_iq_for_sales=True)).tokens == ("zoom_revenue_accelerator",)


@pytest.mark.parametrize(
    ("value", "tokens"),
    [("Basic", ("concurrent_meeting:basic",)), ("Plus", ("concurrent_meeting:plus",)),
     ("None", ()), (None, ()), (True, ()), ("Plus; rm -rf", ())],
)  # fmt: skip
def test_concurrent_meeting_is_a_string_add_on(value: object, tokens: tuple[str, ...]) -> None:
    assert read_feature(feature(concurrent_meeting=value)).tokens == tokens


def test_capacities_belong_to_the_add_on() -> None:
    read = read_feature(
        feature(
            webinar=True,
            webinar_capacity=1000,
            large_meeting=True,
            large_meeting_capacity=500,
            zoom_events_unlimited=True,
            zoom_events_unlimited_capacities=[1000, 500],
            zoom_events=True,
            zoom_events_capacity=-5,  # absurd: the add-on stays, its capacity does not
            meeting_capacity=300,
        )
    )
    assert read.tokens == (
        "large_meeting:500",
        "webinar:1000",
        "zoom_events",
        "zoom_events_unlimited:500/1000",
    )
    names, caps, _ = split_tokens(read.tokens)
    assert names == ["large_meeting", "webinar", "zoom_events", "zoom_events_unlimited"]
    assert caps == {"large_meeting": 500, "webinar": 1000, "zoom_events_unlimited": "500/1000"}
    assert tokens_of(names, caps) == list(read.tokens)


def test_unknown_zoom_flags_are_kept_and_reported_other_booleans_are_not() -> None:
    read = read_feature(feature(zoom_spots=True, zoom_docs=True, some_toggle=True, x=False))
    assert read.tokens == ("zoom_docs", "zoom_spots")
    assert read.unknown == ("some_toggle", "zoom_spots")


def test_a_flag_name_that_could_break_the_stored_form_is_not_kept() -> None:
    read = read_feature(feature(**{"zoom_a,b": True, "zoom_ÿ": True, "zoom_ok": True}))
    assert read.tokens == ("zoom_ok",)


def test_old_stored_names_are_read_under_the_new_rules() -> None:
    old = ["cn_meeting", "webinar", "zoom_iq_for_sales", "zoom_revenue_accelerator", "flag"]
    assert normalise_tokens(old) == ("@cn_meeting", "webinar", "zoom_revenue_accelerator")
    assert normalise_tokens(normalise_tokens(old)) == normalise_tokens(old)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("webinar", ("webinar", False)), ("Webinar:1000", ("webinar:1000", True)),
     ("zoom_iq_for_sales", ("zoom_revenue_accelerator", False)),
     ("concurrent_meeting:Plus", ("concurrent_meeting:plus", True)),
     ("nosuch", None), ("webinar:1,0", None), ("", None)],
)  # fmt: skip
def test_addon_filter_values(value: str, parsed: tuple[str, bool] | None) -> None:
    assert addon_filter_tokens(value) == parsed


def test_labels_in_words() -> None:
    assert addon_label("webinar:1000") == "Webinars 1000"
    assert addon_label("concurrent_meeting:plus") == "Concurrent Meeting Plus"
    assert addon_label("zoom_spots") == "zoom_spots"
    assert plan_type_label("webinar500_monthly") == "Webinar 500, monthly"
    assert plan_type_label("large1000_monthly") == "Large Meetings 1000, monthly"
    assert plan_type_label("monthly") == "Base plan, monthly"
    assert plan_type_label("plan_pro_three_years") == "Pro, 3 years"
    assert plan_type_label("something_new") is None
    assert status_word("inactive") == "deactivated"
    assert status_word("active") == "active"


def test_the_tui_diff_says_deactivated() -> None:
    from zoomtui.services.diff import RunDiff, UserChange
    from zoomtui.tui.screens.diff import change_text, diff_rows

    change = UserChange(1, "u1", "a@x", {"status": ["active", "inactive"]})
    result = RunDiff(1, 2, "with capacities", [], [], [change])
    (row,) = diff_rows(result)
    assert change_text(row) == "active → deactivated"
