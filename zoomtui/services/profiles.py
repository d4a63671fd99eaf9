"""Profiles: several Zoom accounts, each with its own settings, history and rate budget.

The default profile is today's config and history, so nothing migrates; named
profiles live under ``profiles/NAME/`` of the config and data directories
(``zoomtui.paths``). Every profile is read from its own file: the environment
applies only to the selected profile (the default unless ``--profile``), so a
cron line's credentials never leak into another account.
"""

from __future__ import annotations

import asyncio
import difflib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zoomtui import paths
from zoomtui.clock import Clock, utcnow
from zoomtui.errors import ZoomtuiError
from zoomtui.services.context import AppContext, ServiceError
from zoomtui.settings import Settings, load
from zoomtui.store import Store

USAGE = 2  # exit code of a mistyped profile name, like click's usage errors


class ProfileError(ServiceError):
    """A profile that does not exist or cannot exist: one sentence, exit code 2."""

    exit_code = USAGE


@dataclass(frozen=True)
class Profile:
    """Where one profile keeps its settings and its history."""

    name: str

    @property
    def config(self) -> Path:
        return paths.profile_config_file(self.name)

    @property
    def database(self) -> Path:
        return paths.profile_database_file(self.name)

    @property
    def default(self) -> bool:
        return self.name == paths.DEFAULT_PROFILE


def names() -> list[str]:
    """Every profile: the default first, then the named ones alphabetically."""
    root = paths.config_dir() / "profiles"
    found = (
        sorted(p.name for p in root.iterdir() if p.is_dir() and valid(p.name))
        if (root.is_dir())
        else []
    )
    return [paths.DEFAULT_PROFILE, *found]


def valid(name: str) -> bool:
    """Whether ``name`` can be a profile (a safe directory name)."""
    return bool(paths.PROFILE_NAME.match(name))


def checked(name: str, *, exists: bool = True) -> Profile:
    """The profile called ``name``; one sentence (exit 2) when it cannot be used."""
    if not valid(name):
        raise ProfileError(
            f"{name!r} cannot be a profile name: use letters, digits, '.', '_' and '-' "
            "(at most 64, not starting with '.' or '-')."
        )
    known = names()
    if exists and name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ProfileError(
            f"There is no profile {name!r}.{hint} `zoomtui profiles` lists them; "
            f"`zoomtui profiles add {name}` creates it."
        )
    if not exists and name in known:
        raise ProfileError(f"The profile {name!r} exists already.")
    return Profile(name)


def selected() -> Profile:
    """The profile ``ZOOMTUI_PROFILE`` (or ``--profile``) selects, checked."""
    return checked(paths.profile_name())


def add(name: str) -> Profile:
    """Create an empty profile: a settings file (0600) in its own directory (0700)."""
    profile = checked(name, exists=False)
    profile.config.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(profile.config, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    return profile


def rename(old: str, new: str) -> Profile:
    """Move a named profile's settings and history to a new name."""
    source = checked(old)
    if source.default:
        raise ProfileError("The default profile cannot be renamed; add a named one instead.")
    target = checked(new, exists=False)
    if target.database.parent.exists():
        raise ProfileError(
            f"A history for {new!r} exists already at {target.database.parent}; move it away first."
        )
    source.config.parent.rename(target.config.parent)
    if source.database.parent.exists():
        target.database.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        source.database.parent.rename(target.database.parent)
    return target


def remove(name: str, *, delete_history: bool) -> Path | None:
    """Remove a named profile's settings; its history too only when asked.

    Returns the history directory that was kept, if any.
    """
    profile = checked(name)
    if profile.default:
        raise ProfileError("The default profile cannot be removed.")
    shutil.rmtree(profile.config.parent)
    history = profile.database.parent
    if not history.exists():
        return None
    if delete_history:
        shutil.rmtree(history)
        return None
    return history


def settings_of(profile: Profile) -> Settings:
    """A profile's settings: its own file; the environment only for the selected profile."""
    env: dict[str, str] | None = None if profile.name == paths.profile_name() else {}
    return load(profile.config, env=env)


def context_of(profile: Profile, clock: Clock = utcnow) -> AppContext:
    """A profile's context: its settings (see :func:`settings_of`) and its history."""
    return AppContext(
        settings=settings_of(profile),
        db_path=profile.database,
        clock=clock,
        profile=profile.name,
    )


def latest(profile: Profile) -> tuple[Store | None, Any]:
    """A profile's open history (close it) and its latest complete run; (None, None) if none."""
    if not profile.database.exists():
        return None, None
    store = Store.open(profile.database)
    return store, store.latest_complete_run()


def listing(clock: Clock = utcnow) -> list[dict[str, Any]]:
    """One record per profile: name, account, active, last complete run, next due."""
    from zoomtui.services.schedule import next_due, parse_interval

    out = []
    for name in names():
        profile = Profile(name)
        ctx = context_of(profile, clock)
        store, run = latest(profile)
        try:
            due = next_due(
                run.finished_at if run else None, parse_interval(ctx.settings.schedule_interval)
            )
        finally:
            if store is not None:
                store.close()
        out.append(
            {
                "profile": name,
                "account_id": ctx.settings.account_id or None,
                "active": ctx.settings.active,
                "last_complete_run": run.id if run else None,
                "finished_at": run.finished_at if run else None,
                "next_due": due if ctx.settings.active else None,
            }
        )
    return out


SUMMARY_COLUMNS = [
    "profile", "account_id", "run_id", "finished_at", "users", "licensed", "idle_licensed",
    "free_seats", "savings_per_year", "note",
]  # fmt: skip
TOTALLED = ("users", "licensed", "idle_licensed", "free_seats", "savings_per_year")


def summary(clock: Clock = utcnow) -> list[dict[str, Any]]:
    """Per profile, its latest complete run: users, licensed, idle, free seats, savings."""
    out = []
    for name in names():
        ctx = context_of(Profile(name), clock)
        try:
            out.append(summary_record(name, ctx))
        finally:
            ctx.close()
    return out


def summary_record(name: str, ctx: AppContext) -> dict[str, Any]:
    """One account's line of the summary, from its context's history.

    Idle is counted at the run's end (the run's own snapshot), at the profile's
    ``inactive_days``; the run kept these counts when it completed. The TUI's
    Accounts screen (and the demo's three accounts) use this same record.
    """
    record: dict[str, Any] = {
        "profile": name,
        "account_id": ctx.settings.account_id or None,
        "run_id": None,
        "finished_at": None,
        "users": None,
        "licensed": None,
        "idle_licensed": None,
        "free_seats": None,
        "savings_per_year": None,
        "note": "no complete run yet",
    }
    if not ctx.db_path.exists():
        return record
    store = ctx.open_store()
    run = store.latest_complete_run()
    if run is None:
        return record
    counts = store.run_counts(run.id, ctx.settings.inactive_days)
    reclaimable = counts["idle_licensed"] + counts["old_invitations"]
    record.update(
        run_id=run.id,
        finished_at=run.finished_at,
        users=counts["users"],
        licensed=counts["licensed"],
        idle_licensed=counts["idle_licensed"],
        free_seats=counts["seats_free"],
        savings_per_year=round(reclaimable * ctx.settings.price_per_seat, 2),
        note="",
    )
    return record


def summary_total(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The total line: each count summed over the accounts that have one (None if none)."""
    total: dict[str, Any] = {"profile": "total", "account_id": "", "run_id": ""}
    for key in TOTALLED:
        values = [r[key] for r in records if r[key] is not None]
        total[key] = round(sum(values), 2) if values else None
    return total


@dataclass
class ProfileOutcome:
    """What ``aggregate --all-profiles`` did for one profile."""

    profile: str
    status: str  # a run status, "not_due", "inactive", "not_configured", "locked" or "error"
    result: dict[str, Any]
    message: str = ""


async def run_here(
    runnable: list[str],
    *,
    full: bool,
    cancel: asyncio.Event | None,
    report: Callable[[str, Any], None] | None,
    clock: Clock = utcnow,
    finished: Callable[[ProfileOutcome], None] | None = None,
) -> list[ProfileOutcome]:
    """Aggregate these profiles concurrently in this event loop; ``finished`` hears each end."""
    from zoomtui.services.aggregate import RunLocked, aggregate

    async def one(name: str) -> ProfileOutcome:
        try:
            ctx = context_of(Profile(name), clock)
        except (ZoomtuiError, OSError) as exc:  # a settings file that does not parse
            return ProfileOutcome(name, "error", {}, sentence(exc))
        try:
            progress = (lambda p: report(name, p)) if report is not None else None
            result = await aggregate(ctx, full=full, progress=progress, cancel=cancel)
            return ProfileOutcome(name, result.status, result.to_json(), result.error or "")
        except RunLocked as exc:
            return ProfileOutcome(name, "locked", {}, sentence(exc))
        except ZoomtuiError as exc:  # anything else is a bug: let it surface
            return ProfileOutcome(name, "error", {}, sentence(exc))
        finally:
            ctx.close()

    async def told(name: str) -> ProfileOutcome:
        outcome = await one(name)
        if finished is not None:
            finished(outcome)
        return outcome

    return list(await asyncio.gather(*(told(n) for n in runnable)))


def sentence(exc: BaseException) -> str:
    """Our error's one sentence, for a profile's outcome."""
    return str(getattr(exc, "message", None) or exc)
