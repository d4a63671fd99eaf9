"""How a run's failures are judged and worded: which error ends it, which skips one user.

Split from ``phases.py`` (which runs the phases) so each stays a readable size.
"""

from __future__ import annotations

import re

from zoomtui.zoom.errors import (
    DailyLimitReached,
    MissingScope,
    NoPermission,
    NotFound,
    NotMasterAccount,
    ZoomError,
)

# Errors that mean "this part is not allowed for these credentials": skip it, note why.
NOT_ALLOWED = (MissingScope, NoPermission, NotMasterAccount)


def first_cause(group: BaseExceptionGroup) -> BaseException:
    """The error to report from a failed task group: a daily limit first, then the first one."""
    leaves: list[BaseException] = []

    def walk(g: BaseExceptionGroup) -> None:
        for exc in g.exceptions:
            if isinstance(exc, BaseExceptionGroup):
                walk(exc)
            else:
                leaves.append(exc)

    walk(group)
    for exc in leaves:
        if isinstance(exc, DailyLimitReached):
            return exc
    return leaves[0]


_SAFE_FLAG = re.compile(r"^[A-Za-z0-9_]{1,60}$")


def unknown_flags_note(flags: set[str]) -> str:
    """One sentence naming the ``feature`` flags Zoom sent that the licence table lacks.

    Only names of letters, digits and underscores are repeated: the rest are counted,
    since this note is shown on terminals.
    """
    safe = sorted(f for f in flags if _SAFE_FLAG.match(f))
    kept = [f for f in safe if f.startswith("zoom_")]
    ignored = [f for f in safe if not f.startswith("zoom_")]
    parts = []
    if kept:
        parts.append(f"kept as add-ons by their Zoom name: {', '.join(kept)}")
    if ignored:
        parts.append(f"not licences, ignored: {', '.join(ignored)}")
    if len(safe) < len(flags):
        parts.append(f"{len(flags) - len(safe)} more with unusual names, ignored")
    return "Zoom sent feature flags zoomtui does not know (" + "; ".join(parts) + ")."


def one_user_refused(exc: ZoomError) -> bool:
    """A 4xx about one user (not auth, not a rate limit): skip that user, not the run."""
    return (
        type(exc) is ZoomError
        and exc.status is not None
        and 400 <= exc.status < 500
        and exc.status not in (401, 429)
    )


def plan_usage_refused(exc: ZoomError) -> bool:
    """Plan usage not to be had for this account: count seats from ``/users/summary``.

    Beyond a missing scope or permission, Zoom's Billing APIs refuse a sub account that
    pays its own bill (code 2100 "This sub account is paid by self.", Zoom's v2 error
    tables) and plan usage's prerequisites (a paid master account) are not spelled out
    for other accounts: any 4xx about the call (not the token, not a rate limit) means
    this account's seats come from the summary, never that the run fails.
    """
    return isinstance(exc, (*NOT_ALLOWED, NotFound)) or one_user_refused(exc)
