"""Operation log entries as hints: parsed defensively, addresses found in the free text."""

from __future__ import annotations

from datetime import UTC, datetime

from zoomtui.zoom.oplogs import OperationLog, hinted_emails


def entry(detail: object, time: object = "2026-06-03T10:00:00Z") -> dict[str, object]:
    return {"time": time, "operator": "admin@example.com", "category_type": "User",
            "action": "Update", "operation_detail": detail}  # fmt: skip


def test_entries_parse_both_time_shapes_and_refuse_what_is_not_text() -> None:
    iso = OperationLog.from_json(entry("Deactivate User a@example.com"))
    spaced = OperationLog.from_json(entry("x", time="2022-12-16 18:20:07"))
    assert iso is not None and iso.time == datetime(2026, 6, 3, 10, tzinfo=UTC)
    assert spaced is not None and spaced.time == datetime(2022, 12, 16, 18, 20, 7, tzinfo=UTC)
    assert OperationLog.from_json(entry(["not", "text"])) is None
    assert OperationLog.from_json(entry("x", time="yesterday")) is None
    long = OperationLog.from_json(entry("Update User a@b.example  - " + "x" * 10_000))
    assert long is not None and len(long.detail) == 2_000


def test_every_address_in_the_details_is_a_hint_case_folded() -> None:
    details = [
        "Add User Homer@Simpson.io  - User Type: Basic - Department: Foo",
        "Update User bart@panther.io  - User Role: from Member to Admin",
        "Change Role  - homer.simpson@duff.io: from User to Co-Owner",
        "Sign-in Methods  - Allow users to sign in with Google: from Off to On",
        "Activate User alice@example.com",
    ]
    entries = [OperationLog.from_json(entry(d)) for d in details]
    assert hinted_emails(e for e in entries if e is not None) == {
        "homer@simpson.io", "bart@panther.io", "homer.simpson@duff.io", "alice@example.com",
    }  # fmt: skip
