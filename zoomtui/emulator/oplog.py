"""Admin operation logs: the entries ``GET /report/operationlogs`` serves.

When ``evolve.advance`` changes users the way an admin would (deactivates,
changes a user's type, grants or takes an add-on, moves a department, adds or
deletes a user) it records an entry here, so a client can use the report as a
hint of whose licences changed. Accepted invitations are the invitee's own
act and leave no entry (Zoom: "Changes done by users ... to their own
personal settings are not reflected here", support article "Using admin
activity logs", KB0067251).

Shape sources (docs/zoom-operation-logs.md):
- Zoom's Node SDK ``zoom/rivet-javascript`` (meetings types
  ``ReportsGetOperationLogsReportQueryParams`` / ``...Response``): query
  ``from``, ``to``, ``page_size``, ``next_page_token``, ``category_type``
  (``all | user | user_settings | account | billing | im | recording |
  phone_contacts | webinar | sub_account | role | zoom_rooms``); reply
  ``next_page_token``, ``page_size``, ``operation_logs[]`` of ``time``,
  ``operator``, ``category_type``, ``action``, ``operation_detail``.
- Zoom's public Postman collection (copy at developers.qodex.ai, "Get
  operation logs report"): Heavy, ``report:read:admin``, one month per request,
  Pro or higher, ``time`` a date-time.
- ``operation_detail`` wording as peers parse real entries: panther-labs
  ``panther_zoom_helpers.get_zoom_user_context`` and its rule tests ("Add User
  x  - User Type: Basic - Department: Foo", "Update User x  - User Role: from
  Member to Admin"), Elastic's zoom integration sample ("Activate User x",
  action "Update", category "User").
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

CATEGORY_TYPES = (
    "all", "user", "user_settings", "account", "billing", "im", "recording",
    "phone_contacts", "webinar", "sub_account", "role", "zoom_rooms",
)  # fmt: skip
TYPE_NAMES = {1: "Basic", 2: "Licensed", 4: "Unassigned", 99: "None"}


class OpEntry(NamedTuple):
    """One admin operation: when, on which account, by whom, what."""

    when: int  # epoch seconds
    acct: int
    operator: str
    category: str  # as Zoom labels it in replies ("User")
    action: str  # "Add", "Update", "Delete"
    detail: str


def feature_label(feature: str) -> str:
    """An add-on's name as the web portal words it, e.g. 'Large Meeting'."""
    return feature.removeprefix("zoom_").replace("_", " ").title()


def missed(seed: int, entry: OpEntry, share: float) -> bool:
    """Whether the report leaves this entry out (``EmulatorConfig.oplog_miss``).

    Decided by a hash of the entry, so every read of a window misses the same ones.
    """
    if share <= 0:
        return False
    if share >= 1:
        return True
    digest = hashlib.blake2b(f"{seed}|{entry}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < share


def entry_json(entry: OpEntry, iso: str) -> dict[str, str]:
    """One ``operation_logs`` item."""
    return {
        "time": iso,
        "operator": entry.operator,
        "category_type": entry.category,
        "action": entry.action,
        "operation_detail": entry.detail,
    }
