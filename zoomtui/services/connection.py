"""Test Connection: obtain a token and say, in plain words, what the credentials allow.

Scopes alone do not tell the whole truth (a role without the Usage Reports
permission, an account that is not a master account), so each capability is
also probed with one cheap call; the scope list says which scope would fix a
missing capability.
"""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.reclaim.actions import capability
from zoomtui.zoom.errors import MissingScope, NoPermission, NotFound, NotMasterAccount, ZoomError

# capability -> (granular scope to ask for, scopes of which any one grants it)
CAPABILITY_SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "users": (
        "user:read:list_users:admin",
        (
            "user:read:list_users:admin",
            "user:read:admin",
            "user:read:list_users:master",
            "user:master",
        ),
    ),
    "addons": (
        "user:read:settings:admin",
        ("user:read:settings:admin", "user:read:admin", "user:read:settings:master", "user:master"),
    ),
    "seats": (
        "billing:read:plan_usage:admin",
        (
            "billing:read:plan_usage:admin",
            "billing:read:plan_usage:master",
            "account:read:admin",
            "billing:master",
            "user:read:summary:admin",
        ),
    ),
    "sub_accounts": (
        "account:read:list_sub_accounts:master",
        ("account:read:list_sub_accounts:master", "account:read:admin", "account:master"),
    ),
    "sign_ins": (
        "report:read:user_activities:admin",
        (
            "report:read:user_activities:admin",
            "report:read:admin",
            "report:read:user_activities:master",
            "report:master",
        ),
    ),
    "hosting": (
        "report:read:list_users:admin",
        (
            "report:read:list_users:admin",
            "report:read:admin",
            "report:read:list_users:master",
            "report:master",
        ),
    ),
    # The granular scope AWS AppFabric, Databricks and Monad ask for (zoom-operation-logs.md).
    "operation_logs": (
        "report:read:operation_logs:admin",
        (
            "report:read:operation_logs:admin",
            "report:read:admin",
            "report:read:operation_logs:master",
            "report:master",
        ),
    ),
}
# Parts a run does without at the cost of calls, not data: never "missing".
OPTIONAL = frozenset({"operation_logs"})
NOT_TESTED = "not tested"
LABELS = {
    "users": "list users",
    "addons": "read per-user add-ons (settings)",
    "seats": "read seat counts (plan usage)",
    "sub_accounts": "list sub accounts",
    "sign_ins": "read the sign-in/sign-out report",
    "hosting": "read the active host report (meetings hosted)",
    "operation_logs": "operation logs",
}


@dataclass(frozen=True)
class Capability:
    """Whether one part of an aggregation is possible, and what would enable it."""

    available: bool
    scope: str
    detail: str = ""
    scope_missing: bool = False  # the token lacks every scope that grants it


def optional_text(name: str, cap: Capability) -> str:
    """One plain sentence on an optional part: what having it (or not) changes."""
    if name != "operation_logs":
        return f"{LABELS[name]}: {'yes' if cap.available else 'no (' + cap.detail + ')'}"
    if cap.available:
        return "operation logs: yes (reruns re-read only changed users)"
    if cap.detail == NOT_TESTED:
        return f"operation logs: {NOT_TESTED}"
    whole = "reruns re-read every licensed user of an account whose seat counts moved"
    if cap.scope_missing:
        which = "one of the scopes" if "," in cap.scope else "the scope"
        return (
            f"operation logs: no — {whole}; add {which} {cap.scope} to re-read only changed users"
        )
    return f"operation logs: no ({cap.detail or 'not available'}): {whole}"


@dataclass(frozen=True)
class ConnectionReport:
    """The result of Test Connection, in the shape of ``test-connection --json``."""

    ok: bool
    account_id: str | None = None
    scopes: tuple[str, ...] = ()
    capabilities: dict[str, Capability] = field(default_factory=dict)
    error: str | None = None
    # Which write scopes the token has and which reclaim actions they allow (docs/reclaim.md).
    reclaim: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "account_id": self.account_id,
            "scopes": list(self.scopes),
            "capabilities": {  # all of them always, false when not reached
                name: self.capabilities.get(name, Capability(False, scope)).available
                for name, (scope, _any) in CAPABILITY_SCOPES.items()
            },
            "details": {
                name: {
                    "available": cap.available,
                    "scope": cap.scope,
                    "detail": cap.detail,
                    "optional": name in OPTIONAL,
                }
                for name, cap in self.capabilities.items()
            },
            "reclaim": self.reclaim,
            "error": self.error,
        }

    def lines(self) -> list[str]:
        """Plain-words summary, one line per fact; the error, if any, is ``self.error``."""
        if not self.ok and not self.capabilities:
            return []
        out = [f"Account: {self.account_id or 'unknown'}"]
        for name, cap in self.capabilities.items():
            if name in OPTIONAL:
                out.append(
                    f"  {'ok' if cap.available else 'optional':8} {optional_text(name, cap)}"
                )
            elif cap.available:
                out.append(f"  ok       {LABELS[name]}")
            else:
                out.append(f"  missing  {LABELS[name]}: {cap.detail or 'needs ' + cap.scope}")
        if self.reclaim is not None:
            allowed = [a for a, ok in self.reclaim["actions"].items() if ok]
            if allowed:
                out.append(f"  ok       reclaim licences: {', '.join(allowed)}")
            for action, scopes in self.reclaim["missing"].items():
                out.append(f"  read-only  reclaim {action}: needs {', '.join(scopes)}")
        return out


async def test_connection(ctx: AppContext) -> ConnectionReport:
    """Obtain a token, then probe each capability with one cheap call."""
    account_id = ctx.settings.account_id if ctx.settings.auth == "s2s" else None
    try:
        client = ctx.make_client()
    except (ServiceError, ZoomError) as exc:
        return ConnectionReport(ok=False, account_id=account_id, error=exc.message)
    caps: dict[str, Capability] = {}
    async with client:
        try:
            token = await client.token()
        except ZoomError as exc:
            return ConnectionReport(ok=False, account_id=account_id, error=exc.message)
        scopes = tuple(sorted(token.scopes))
        first_user: str | None = None

        async def probe_users() -> None:
            nonlocal first_user
            async with aclosing(client.iter_users("active", page_size=30)) as pages:
                async for page in pages:
                    first_user = next((u.id for u in page if u.id), None)
                    break

        async def probe_addons() -> None:
            if first_user is None:
                raise NotFound("No active user to read settings from.")
            await client.get_user_settings(first_user)

        async def probe_seats() -> None:
            try:
                await client.plan_usage(None)
            except (MissingScope, NoPermission, NotFound):
                await client.users_summary(None)

        async def probe_sign_ins() -> None:
            today = ctx.clock().date()
            pages = client.iter_sign_in_events(today - timedelta(days=1), today)
            async with aclosing(pages):
                async for _page in pages:
                    break

        async def probe_hosting() -> None:
            today = ctx.clock().date()  # one day: a single small request series
            reports = client.iter_host_report(today, today, page_size=30)
            async with aclosing(reports):
                async for _report in reports:
                    break

        async def probe_operation_logs() -> None:
            today = ctx.clock().date()  # one day, one entry: the smallest Heavy call there is
            pages = client.iter_operation_logs(today, today, page_size=1)
            async with aclosing(pages):
                async for _page in pages:
                    break

        probes = {
            "users": probe_users,
            "addons": probe_addons,
            "seats": probe_seats,
            "sub_accounts": client.list_sub_accounts,
            "sign_ins": probe_sign_ins,
            "hosting": probe_hosting,
            "operation_logs": probe_operation_logs,
        }
        for name, probe in probes.items():
            caps[name] = await _probe(name, probe, token.scopes)
            if name == "users" and not caps[name].available:
                break
    users_ok = caps.get("users", Capability(False, "")).available
    error = None if users_ok else caps["users"].detail
    for name in CAPABILITY_SCOPES:
        caps.setdefault(name, Capability(False, CAPABILITY_SCOPES[name][0], NOT_TESTED))
    return ConnectionReport(
        users_ok, account_id, scopes, caps, error, capability(frozenset(scopes))
    )


async def _probe(name: str, probe: Any, granted: frozenset[str]) -> Capability:
    scope, any_of = CAPABILITY_SCOPES[name]
    try:
        await probe()
    except NotMasterAccount as exc:
        return Capability(False, scope, exc.message)
    except MissingScope as exc:
        needs = exc.scope if exc.scope and exc.scope != "unknown" else scope
        return Capability(False, needs, f"missing scope {needs}", scope_missing=True)
    except NoPermission as exc:
        lacking = not granted & set(any_of)
        hint = f" (grant {scope})" if lacking else ""
        return Capability(False, scope, exc.message + hint, scope_missing=lacking)
    except NotFound as exc:
        return Capability(False, scope, exc.message)
    except ZoomError as exc:
        return Capability(False, scope, exc.message)
    return Capability(True, scope)
