"""The REST endpoints a read-only license audit needs, answered from the dataset.

Each route declares its rate-limit category and the scopes that allow it
(classic or granular; sub-account paths need the ``:master`` variants).
Handlers return ``(status, body)``; the handler module adds headers, auth,
rate limits and faults around them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from zoomtui.emulator import fastpages, hosting, oplog, render
from zoomtui.emulator.call import (
    Body,
    Call,
    Reject,
    Result,
    Route,
    envelope,
    invalid_field,
    not_found_user,
    paginate,
)
from zoomtui.emulator.columns import ACTIVE, PENDING, STATUS_BY_CODE, email_of, user_id
from zoomtui.emulator.dataset import months_before
from zoomtui.emulator.ratelimit import HEAVY, LIGHT, MEDIUM

if TYPE_CHECKING:
    pass

SIX_MONTHS_MESSAGE = "The date range must be within the last 6 months."
PENDING_SETTINGS = "You can not access settings of users that are still in pending state."


def list_users(call: Call) -> Result:
    status = call.query.get("status", "active")
    if status not in STATUS_BY_CODE:
        raise invalid_field("status", "status must be one of active, inactive, pending.")
    rows = call.ds.rows(call.acct, STATUS_BY_CODE.index(status))
    offset, size = paginate(call)
    body = envelope(call, len(rows), offset, size)
    body["users"] = fastpages.user_list(call.ds, rows[offset : offset + size], call.now)
    return 200, body


def get_user(call: Call) -> Result:
    row = call.ds.find(call.acct, call.params["userId"])
    if row is None:
        return not_found_user(call.params["userId"])
    return 200, render.user_get_json(call.ds, row, call.now)


def get_settings(call: Call) -> Result:
    row = call.ds.find(call.acct, call.params["userId"])
    if row is None:
        return not_found_user(call.params["userId"])
    if call.ds.cols.status[row] == PENDING:
        return 400, {"code": 1000, "message": PENDING_SETTINGS}
    return 200, render.settings_json(call.ds, row)


def summary(call: Call) -> Result:
    return 200, call.ds.summary_of(call.ds.accounts[call.acct].id)


# Zoom's Billing APIs are for a master account and the sub accounts it pays for: "Only
# for the sub account which is paid by master account", else 2100 "This sub account is
# paid by self." (Zoom's v2 error tables, harrisyang/api errors/BillingAPIs.md, "Retrieve
# plan information for a sub account"; zoom-api.md §4.1). That plan usage answers the
# same way is the closest documented reading (UNCERTAIN): ``self_paid_subs`` takes it.
PAID_BY_SELF = "This sub account is paid by self."


def plan_usage(call: Call) -> Result:
    if call.acct != 0 and call.config.self_paid_subs:
        raise Reject(400, {"code": 2100, "message": PAID_BY_SELF})
    return 200, call.ds.plan_usage_of(call.ds.accounts[call.acct].id)


def sub_accounts(call: Call) -> Result:
    if not call.config.master:
        return 403, {"code": 200, "message": "No permission."}
    ds = call.ds
    subs = ds.accounts[1:]
    offset, size = paginate(call)
    body = envelope(call, len(subs), offset, size)
    accounts = []
    for index, account in enumerate(subs[offset : offset + size], start=offset + 1):
        base = ds.hosts.get((index, "plan_base", "monthly"), 0)
        accounts.append({
            "id": account.id,
            "account_name": account.name,
            "owner_email": email_of(ds.seed, index, account.domain),
            "account_type": account.account_type,
            "seats": base,
            "subscription_start_time": render.iso(int(account.created_at.timestamp())),
            "subscription_end_time": render.iso(ds.now_epoch + 200 * 86_400),
            "created_at": render.iso(int(account.created_at.timestamp())),
            "account_number": account.account_number,
        })  # fmt: skip
    body["accounts"] = accounts
    return 200, body


# Zoom's Report APIs are for paid accounts: "Prerequisites: Pro or higher plan" (its
# Reports spec, e.g. the openapi TS clients' ``ReportsService``); the answer to a free
# (Basic) account is code 200 "Only available for Paid account: {accountId}." (Zoom's
# v2 error tables, harrisyang/api ``errors/ReportAPIs.md``: "All the Report APIs are
# only for paid accounts"), sent with HTTP 400 as the spec's error tables give code 200.
PAID_ONLY = "Only available for Paid account: {}."


def report_window(call: Call) -> tuple[date, date]:
    """Validated from/to: yyyy-mm-dd, at most one month, within the last six months.

    Every report route starts here, so a free account (``tier="free"``, the plan
    Zoom's free rate limits belong to) is refused here first.
    """
    if call.config.tier == "free":
        raise Reject(400, {"code": 200, "message": PAID_ONLY.format(call.ds.accounts[0].id)})
    raw_from, raw_to = call.query.get("from"), call.query.get("to")
    if not raw_from or not raw_to:
        raise invalid_field("from" if not raw_from else "to", "The date is required.")
    try:
        start, end = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
    except ValueError:
        raise invalid_field("from", "Dates must be in the format yyyy-mm-dd.") from None
    if end < start:
        raise Reject(400, {"code": 300, "message": "The 'to' date must not be before 'from'."})
    # "Only provides one month worth of data in one request" (Zoom's Reports spec); ZoomNet
    # refuses ``to - from`` over 30 days (Resources/Reports.cs VerifyReportDatesRange), as
    # Zoom's cloud recording report states: "smaller or equal to 30 days".
    if (end - start).days > 30:
        raise Reject(400, {"code": 300, "message": "The date range must not exceed one month."})
    today = call.clock().date()
    # "The specified date range should fall within the last six months" (Zoom's Reports
    # spec, konfig README); Databricks: "a rolling 6-month window". Whether Zoom counts
    # calendar months, 180 days or the account's own date is not documented (zoom-api.md
    # §5.1), so ``report_history_days`` lets a test take the stricter reading.
    days = call.config.report_history_days
    if start < (today - timedelta(days=days) if days else months_before(today, 6)):
        raise Reject(400, {"code": 300, "message": SIX_MONTHS_MESSAGE})
    return start, min(end, today + timedelta(days=1))


def activities(call: Call) -> Result:
    start, end = report_window(call)
    keys = call.ds.event_keys(call.acct, start, end)
    offset, size = paginate(call)
    nxt = call.pager_issue(offset + size, size) if offset + size < len(keys) else ""
    return 200, {
        "from": start.isoformat(),
        "to": call.query["to"],
        "page_size": size,
        "next_page_token": nxt,
        "activity_logs": fastpages.activity_logs(call.ds, keys[offset : offset + size]),
    }


def host_report(call: Call) -> Result:
    """GET /report/users: Zoom's active/inactive host report (zoom-api.md §5.2).

    One month at most, within the last six months (``report_window``), HEAVY.
    ``type=active`` lists the users who hosted in [from, to] with their meetings,
    participants and minutes (emulator/hosting.py derives them from the users'
    own sign-ins); ``type=inactive`` lists the account's active users who hosted
    nothing. Zoom's own sample reply also carries ``create_time``,
    ``last_login_time`` and ``last_client_version`` (docs/usage-report.md).
    """
    start, end = report_window(call)
    kind = call.query.get("type", "active")
    if kind not in ("active", "inactive"):
        raise invalid_field("type", "type must be active or inactive.")
    ds, c = call.ds, call.ds.cols
    hosts = hosting.window_hosts(ds, call.acct, start, end)
    if kind == "active":
        picked = hosts
    else:
        hosted = {row for row, _ in hosts}
        picked = [(row, (0, 0, 0)) for row in ds.rows(call.acct, ACTIVE) if row not in hosted]
    offset, size = paginate(call)
    body: Body = {"from": call.query["from"], "to": call.query["to"]}
    body.update(envelope(call, len(picked), offset, size))
    body["total_meetings"] = sum(f[0] for _, f in picked)
    body["total_participants"] = sum(f[1] for _, f in picked)
    body["total_meeting_minutes"] = sum(f[2] for _, f in picked)
    users = []
    for row, (meetings, participants, minutes) in picked[offset : offset + size]:
        item = render.user_list_json(ds, row, call.now)
        users.append({
            "id": user_id(ds.seed, c.serial[row]), "email": item["email"],
            "user_name": item["display_name"], "dept": ds.dept_name(c.serial[row], c.dept[row]),
            "type": c.utype[row], "create_time": item.get("created_at", ""),
            "last_login_time": item.get("last_login_time", ""),
            "last_client_version": item.get("last_client_version", ""),
            "meetings": meetings, "participants": participants,
            "meeting_minutes": minutes, "custom_attributes": [],
        })  # fmt: skip
    body["users"] = users
    return 200, body


def operation_logs(call: Call) -> Result:
    """GET /report/operationlogs: admin operations of one account (emulator/oplog.py).

    One month at most, within the last six months (``report_window``, as the
    Postman collection's "one month worth of data" and Databricks' six-month
    retention say), HEAVY; newest first like the sign-in report; the
    ``category_type`` filter takes Zoom's enum (Rivet), and every entry the
    emulator records is a "User" one. ``EmulatorConfig.oplog_miss`` leaves a
    share of the entries out, as a report that lags or misses changes would.
    """
    start, end = report_window(call)
    category = call.query.get("category_type", "all")
    if category not in oplog.CATEGORY_TYPES:
        raise invalid_field("category_type", "category_type is not a valid category.")
    lo = int(datetime.combine(start, time(), UTC).timestamp())
    hi = int(datetime.combine(end, time(), UTC).timestamp()) + 86_400
    share, seed = call.config.oplog_miss, call.ds.seed
    picked = [
        e for e in reversed(call.ds.oplog)
        if e.acct == call.acct and lo <= e.when < hi
        and category in ("all", e.category.lower()) and not oplog.missed(seed, e, share)
    ]  # fmt: skip
    offset, size = paginate(call)
    nxt = call.pager_issue(offset + size, size) if offset + size < len(picked) else ""
    return 200, {
        "from": call.query["from"],
        "to": call.query["to"],
        "page_size": size,
        "next_page_token": nxt,
        "operation_logs": [
            oplog.entry_json(e, render.iso(e.when)) for e in picked[offset : offset + size]
        ],
    }


# The classic scope a sub account's path needs instead of the main account's one.
_MASTER = {"report:read:admin": "report:master", "meeting:read:admin": "meeting:master",
           "webinar:read:admin": "webinar:master", "user:read:admin": "user:master",
           "user:write:admin": "user:master"}  # fmt: skip


def _route(
    template: str, category: str, classic: str, granular: str, fn: Any, method: str = "GET"
) -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    sub_classic = _MASTER.get(classic, "billing:master")
    sub_granular = granular.replace(":admin", ":master")
    return Route(template, re.compile(f"^{regex}$"), category, (classic, sub_classic),
                 (granular, sub_granular), fn, method)  # fmt: skip


ROUTES: tuple[Route, ...] = (
    _route("/users", MEDIUM, "user:read:admin", "user:read:list_users:admin", list_users),
    _route("/users/summary", MEDIUM, "user:read:admin", "user:read:summary:admin", summary),
    _route("/users/{userId}", LIGHT, "user:read:admin", "user:read:user:admin", get_user),
    _route("/users/{userId}/settings", MEDIUM, "user:read:admin", "user:read:settings:admin",
           get_settings),
    _route("/accounts", MEDIUM, "account:read:admin", "account:read:list_sub_accounts:master",
           sub_accounts),
    _route("/accounts/{accountId}/plans/usage", HEAVY, "account:read:admin",
           "billing:read:plan_usage:admin", plan_usage),
    _route("/accounts/{accountId}/users", MEDIUM, "user:read:admin",
           "user:read:list_users:admin", list_users),
    _route("/accounts/{accountId}/users/summary", MEDIUM, "user:read:admin",
           "user:read:summary:admin", summary),
    _route("/accounts/{accountId}/users/{userId}", LIGHT, "user:read:admin",
           "user:read:user:admin", get_user),
    _route("/accounts/{accountId}/users/{userId}/settings", MEDIUM, "user:read:admin",
           "user:read:settings:admin", get_settings),
    _route("/report/activities", HEAVY, "report:read:admin",
           "report:read:user_activities:admin", activities),
    _route("/accounts/{accountId}/report/activities", HEAVY, "report:read:admin",
           "report:read:user_activities:admin", activities),
    _route("/report/users", HEAVY, "report:read:admin", "report:read:list_users:admin",
           host_report),
    _route("/accounts/{accountId}/report/users", HEAVY, "report:read:admin",
           "report:read:list_users:admin", host_report),
    # Granular scope as AWS AppFabric, Databricks and Monad ask for it (zoom-api.md §8).
    _route("/report/operationlogs", HEAVY, "report:read:admin",
           "report:read:operation_logs:admin", operation_logs),
    _route("/accounts/{accountId}/report/operationlogs", HEAVY, "report:read:admin",
           "report:read:operation_logs:admin", operation_logs),
)  # fmt: skip


def match(path: str, method: str = "GET") -> tuple[Route, dict[str, str]] | None:
    """The route for a method and a path under /v2, and its parameters."""
    for route in ROUTES:
        if route.method != method:
            continue
        found = route.pattern.match(path)
        if found:
            return route, found.groupdict()
    return None


def allowed(path: str) -> bool:
    """Whether some method serves the path (else 404, not 405)."""
    return any(route.pattern.match(path) for route in ROUTES)


# The write and meeting routes live in their own modules (emulator/call.py is what they share).
from zoomtui.emulator import meetings as _meetings  # noqa: E402
from zoomtui.emulator import writes as _writes  # noqa: E402


def _per_user(path: str, category: str, classic: str, granular: str, fn: Any,
              method: str) -> tuple[Route, Route]:  # fmt: skip
    """The main account's route and its sub-account twin."""
    sub = "/accounts/{accountId}" + path
    return (_route(path, category, classic, granular, fn, method),
            _route(sub, category, classic, granular, fn, method))  # fmt: skip


# docs/reclaim.md: scopes and rate labels from Zoom's User API spec (userUpdate,
# userSettingsUpdate, userStatus, userDelete) and the meeting/webinar list docs.
ROUTES += (
    *_per_user("/users/{userId}", LIGHT, "user:write:admin", "user:update:user:admin",
               _writes.patch_user, "PATCH"),
    *_per_user("/users/{userId}/settings", MEDIUM, "user:write:admin",
               "user:update:settings:admin", _writes.patch_settings, "PATCH"),
    *_per_user("/users/{userId}/status", LIGHT, "user:write:admin", "user:update:status:admin",
               _writes.put_status, "PUT"),
    *_per_user("/users/{userId}", LIGHT, "user:write:admin", "user:delete:user:admin",
               _writes.delete_user, "DELETE"),
    *_per_user("/users/{userId}/meetings", MEDIUM, "meeting:read:admin",
               "meeting:read:list_meetings:admin", _meetings.list_meetings, "GET"),
    *_per_user("/users/{userId}/webinars", MEDIUM, "webinar:read:admin",
               "webinar:read:list_webinars:admin", _meetings.list_webinars, "GET"),
)  # fmt: skip
