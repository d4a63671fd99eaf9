"""Apply a reviewed plan: re-check each user live, journal, write, journal Zoom's answer.

Order per item: settle an interrupted attempt (``live.reached``), re-read the
user, apply the guards (role, exclusions, what moved, meetings), journal
``attempted`` (committed), send, journal the answer. Items ``done`` are never
sent again, so applying the same plan after a crash finishes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.failures import one_user_refused
from zoomtui.services.reclaim.actions import (
    TAKES_LICENCE,
    UNDO_SCOPES,
    Action,
    has_scope,
    missing_scopes,
    write_request,
)
from zoomtui.services.reclaim.guards import Exclusions, check_plan_run, meeting_block, moved
from zoomtui.services.reclaim.live import LiveUser, account_path, reached, read_user
from zoomtui.services.reclaim.plan import load_plan
from zoomtui.store import reclaim as db
from zoomtui.zoom.admin import AdminApi
from zoomtui.zoom.errors import NotFound, ZoomError

# Called after Zoom answered a write and before the answer is journaled (tests use
# it to stop a run exactly where a kill -9 hurts most).
AfterWrite = Callable[[int], None]
NO_ANSWER = (
    "Zoom did not answer a change ({}); the journal keeps it as attempted and "
    "applying the same plan again settles it."
)


def main_account(ctx: AppContext) -> str | None:
    for account in ctx.open_store().accounts():
        if account["is_main"]:
            return str(account["id"])
    return None


def scope_problem(scopes: frozenset[str], action: str, undo: bool = False) -> str | None:
    """One sentence naming the scopes the token lacks for this action, or None."""
    if undo:
        lacking = [g for c, g in UNDO_SCOPES[action] if not has_scope(scopes, (c, g))]
    else:
        lacking = missing_scopes(scopes, action)
    if not lacking:
        return None
    verb = "undo" if undo else "apply"
    return (
        f"The app's token lacks {', '.join(lacking)} needed to {verb} {action}; "
        "nothing was changed (add the scopes to the Server-to-Server OAuth app)."
    )


async def apply_plan(
    ctx: AppContext,
    plan_id: int,
    kept: set[int] | None = None,
    *,
    dry_run: bool = False,
    after_write: AfterWrite | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """Apply (or with ``dry_run`` only check) a plan; returns one outcome per item.

    ``stop`` is asked before each item: once it says so the items left stay as planned
    (the TUI applies in a thread of its own and sets it when the app closes).
    """
    store = ctx.open_store()
    plan = load_plan(ctx, plan_id)
    stale: ServiceError | None = None
    open_attempts: set[int] = set()
    try:
        check_plan_run(ctx, store, plan["run_id"])
    except ServiceError as exc:
        open_attempts = {
            j["item_id"]
            for j in db.journal(store.conn, plan_id=plan_id)
            if j["state"] == "attempted"
        }
        if not open_attempts:
            raise
        # An interrupted apply left changes whose outcome is unknown: they are settled
        # from the live state (never sent again), and nothing else of the old plan runs.
        stale = exc
    action_name, _, addon = plan["action"].partition(":")
    action = Action(action_name, addon)
    rules = Exclusions.parse(ctx.settings.reclaim_exclude)
    main = main_account(ctx)
    outcomes: list[dict[str, Any]] = []
    writes = 0
    async with ctx.make_client() as client:
        token = await client.token()
        problem = scope_problem(token.scopes, action.name)
        if problem:
            raise ServiceError(problem)
        api = AdminApi(client)
        for item in plan["items"]:
            if stop is not None and stop():
                break
            if kept is not None and item["id"] not in kept:
                if item["state"] == "planned":
                    db.set_item(store.conn, item["id"], "dropped", "dropped from the plan file")
                continue
            if item["state"] in ("done", "dropped"):
                outcomes.append(_outcome(item, "already " + item["state"], item["note"]))
                continue
            if stale is not None and item["id"] not in open_attempts:
                continue
            checked = await _one(ctx, api, item, action, rules, main, dry_run)
            if stale is not None and isinstance(checked, tuple):
                checked = _outcome(item, "skipped", "not applied before the interruption; "
                                   "the plan's run is no longer the latest")  # fmt: skip
            if isinstance(checked, tuple):
                writes += 1
                result = await _write(ctx, api, item, action, *checked, writes, after_write)
            else:
                result = checked
            outcomes.append(result)
            if progress is not None:
                progress(result)
    done = [o for o in outcomes if o["result"] in ("done", "already done")]
    return {
        "plan_id": plan_id,
        "action": plan["action"],
        "dry_run": dry_run,
        "outcomes": outcomes,
        "done": len(done),
        "skipped": sum(o["result"] == "skipped" for o in outcomes),
        "failed": sum(o["result"] == "failed" for o in outcomes),
        "yearly_saving": round(sum(i["saving"] for i in plan["items"] if _is_done(i, done)), 2),
    }


def apply_in_thread(
    ctx: AppContext, plan_id: int, kept: set[int], stop: Callable[[], bool]
) -> dict[str, Any]:
    """:func:`apply_plan` on an event loop of the calling thread's own (a reader thread's).

    Why: every item journals and commits before and after Zoom answers; on the TUI's
    loop those writes (and the live re-reads' parsing) came between the user's keys.
    """
    return asyncio.run(apply_plan(ctx, plan_id, kept, stop=stop))


def apply_kept_in_thread(
    ctx: AppContext, plan_id: int, dropped: set[int], stop: Callable[[], bool]
) -> dict[str, Any]:
    """:func:`apply_in_thread` of the plan's items still planned but ``dropped`` (the
    TUI shows a plan a page at a time: its kept ids are read here, not on the loop)."""
    kept = db.planned_ids(ctx.open_store().conn, plan_id) - dropped
    return apply_in_thread(ctx, plan_id, kept, stop)


def _is_done(item: dict[str, Any], done: list[dict[str, Any]]) -> bool:
    return any(o["item_id"] == item["id"] for o in done)


def _outcome(item: dict[str, Any], result: str, reason: str = "") -> dict[str, Any]:
    return {
        "item_id": item["id"],
        "email": item["email"],
        "action": item["action"] + (f":{item['addon']}" if item["addon"] else ""),
        "result": result,
        "reason": reason,
    }


async def _one(
    ctx: AppContext,
    api: AdminApi,
    item: dict[str, Any],
    action: Action,
    rules: Exclusions,
    main: str | None,
    dry_run: bool,
) -> dict[str, Any] | tuple[LiveUser, dict[str, Any]]:
    """Check one item live: (live state, write request) when it may go ahead, else its outcome."""
    conn = ctx.open_store().conn
    pending = action.name == "revoke-invitation"
    sub = None if account_path(item["account_id"], main) == "" else item["account_id"]
    live = await read_user(api, item["zoom_id"], sub, pending)
    request = write_request(action, item["zoom_id"], account_path(item["account_id"], main))
    open_rows = [j for j in db.journal(conn, item_id=item["id"]) if j["kind"] == "apply"]
    if any(j["state"] in ("done", "confirmed") for j in open_rows):
        # Zoom's answer reached the journal but the kill came before the item was
        # marked (histories written before both went into one transaction).
        if not dry_run:
            db.set_item(conn, item["id"], "done", "done before an interruption")
        return _outcome(item, "done", "done before an interruption")
    unanswered = [j for j in open_rows if j["state"] == "attempted"]
    if unanswered:
        settled = reached(request, live)
        if dry_run:  # --dry-run writes nothing, not even how an interruption ended
            if settled:
                return _outcome(item, "done", "would be confirmed after an interruption")
        else:
            state, message = (
                ("confirmed", "found applied after an interruption")
                if settled
                else ("unchanged", "not applied before the interruption")
            )
            for row in unanswered:
                db.answer(conn, row["id"], state, ctx.clock(), message=message)
            if settled:
                db.set_item(conn, item["id"], "done", "confirmed after an interruption")
                return _outcome(item, "done", "confirmed after an interruption")
    if live.user is None:
        return _skip(ctx, item, "no longer exists in Zoom", dry_run)
    why = _guard(item, live, rules)
    if why is None and action.name in TAKES_LICENCE:
        key, meetings = item["zoom_id"], api.meetings
        try:
            now_live = await meetings(key, "live", sub) if action.name != "remove-addon" else []
            upcoming = await meetings(key, "upcoming", sub) if action.name != "remove-addon" else []
        except ZoomError as exc:
            # A refusal about this user (e.g. 400 / 3161, hosting not allowed, Zoom's List
            # meetings spec; or gone meanwhile): not known what it hosts, leave it alone.
            if not (one_user_refused(exc) or isinstance(exc, NotFound)):
                raise
            return _skip(ctx, item, f"meetings not readable ({exc.message})", dry_run)
        try:
            webinars = await api.webinars(key, sub)
        except ZoomError as exc:
            if not webinar_plan_missing(exc, live):
                # Not known whether webinars need the licence: leave the user as is.
                return _skip(ctx, item, f"webinars not readable ({exc.message})", dry_run)
            webinars = []
        why = meeting_block(action.name, action.addon, now_live, upcoming, webinars)
    if why is not None:
        return _skip(ctx, item, why, dry_run)
    if dry_run:
        return _outcome(item, "would apply", "checked live just now")
    return live, request


def webinar_plan_missing(exc: ZoomError, live: LiveUser) -> bool:
    """Whether Zoom refused to list webinars because the user has no webinar licence.

    Zoom answers HTTP 400, code 200 ("Webinar plan is missing…", before "Cannot use
    webinar API, You need to subscribe webinar plan…") for such a user: no webinars to
    keep. Code 200 is also Zoom's "No permission", so it only counts as "no webinars"
    when the live settings read just now show no webinar licence either.
    """
    return exc.status == 400 and exc.code == 200 and not live.features.get("webinar")


def _guard(item: dict[str, Any], live: LiveUser, rules: Exclusions) -> str | None:
    user = live.user or {}
    groups = tuple(str(g) for g in user.get("group_ids") or ())
    excluded = rules.reason(str(user.get("email") or item["email"]), user.get("dept"), groups)
    return excluded or moved(item, user, live.features)


def _skip(ctx: AppContext, item: dict[str, Any], why: str, dry_run: bool) -> dict[str, Any]:
    if not dry_run:
        db.set_item(ctx.open_store().conn, item["id"], "skipped", why)
    return _outcome(item, "would skip" if dry_run else "skipped", why)


async def _write(
    ctx: AppContext,
    api: AdminApi,
    item: dict[str, Any],
    action: Action,
    live: LiveUser,
    request: dict[str, Any],
    count: int,
    after_write: AfterWrite | None,
) -> dict[str, Any]:
    conn = ctx.open_store().conn
    record = {**request, "live_before": live.snapshot(action.addon)}
    journal_id = db.attempt(conn, item, "apply", 0, record, ctx.clock())
    try:
        answer = await api.write(
            request["method"], request["path"], request.get("body"), request.get("params")
        )
    except ZoomError as exc:
        raise ServiceError(NO_ANSWER.format(f"journal J{journal_id}: {exc.message}")) from exc
    if after_write is not None:
        after_write(count)
    state = "done" if answer.ok else "failed"
    note = "" if answer.ok else f"Zoom answered {answer.status}: {answer.message}"
    if request["method"] == "DELETE" and not answer.ok and answer.code == 1001:
        # The invitation was there at the live re-read just now; "does not exist" means
        # it is gone, e.g. a retried DELETE whose first try Zoom had carried out.
        state, note = "done", f"already gone (Zoom answered {answer.code}: {answer.message})"
    db.answer(
        conn, journal_id, state, ctx.clock(), answer.status, answer.code, answer.message,
        item=(item["id"], state, note),
    )  # fmt: skip
    return _outcome(item, state, note)
