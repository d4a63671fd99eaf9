"""The Zoom accounts a TUI session can switch between: the profiles on disk, or the demo's.

Why one interface: the profile switcher, the Accounts screen and the Connection screen's
"new profile" work the same on real profiles and on the offline demo's three emulated
accounts; only where a context comes from differs.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from zoomtui.clock import Clock, utcnow
from zoomtui.services import profiles
from zoomtui.services.context import AppContext, ServiceError

BUILT_IN = (
    "The demo's accounts are built in; create a profile outside the demo "
    "(`zoomtui profiles add NAME`)."
)


class Accounts:
    """The accounts of a session; subclasses say where contexts come from."""

    demo = False

    def names(self) -> list[str]:
        raise NotImplementedError

    def open(self, name: str) -> AppContext:
        """A context on the account called ``name``."""
        raise NotImplementedError

    def summary(self) -> list[dict[str, Any]]:
        """One ``zoomtui summary`` record per account, in ``names()`` order.

        The TUI calls it in a reader thread: it must not use a connection the event
        loop uses.
        """
        raise NotImplementedError

    def create(self, name: str) -> str:
        """Create an empty account (a new profile); returns its name."""
        raise NotImplementedError

    def check_new(self, name: str) -> tuple[str, str]:
        """Whether ``name`` can be a new profile: (error, note); both empty when fine.

        The rules of ``zoomtui profiles add``: a safe file name that is not taken. The note
        names an existing profile the new name is close to (a typo of it, perhaps).
        """
        name = name.strip()
        if not name:
            return "Type a name for the new profile.", ""
        try:
            profiles.checked(name, exists=False)
        except profiles.ProfileError as exc:
            return exc.message, ""
        close = difflib.get_close_matches(name, self.names(), n=1)
        note = f"Close to the existing profile {close[0]!r}." if close else ""
        return "", note

    def unknown(self, name: str) -> ServiceError:
        close = difflib.get_close_matches(name, self.names(), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return profiles.ProfileError(f"There is no account {name!r}.{hint}")


class ProfileAccounts(Accounts):
    """The profiles of ``zoomtui profiles``; the launch profile keeps its ``--db`` history."""

    def __init__(self, launch: AppContext, clock: Clock = utcnow) -> None:
        self.clock = clock
        self.launch_profile = launch.profile
        self.launch_db = launch.db_path

    def names(self) -> list[str]:
        return profiles.names()

    def open(self, name: str) -> AppContext:
        if name not in self.names():
            raise self.unknown(name)
        ctx = profiles.context_of(profiles.checked(name), self.clock)
        if name == self.launch_profile:
            ctx.db_path = self.launch_db  # ``--db`` / ``ZOOMTUI_DB`` chose it at start
        return ctx

    def summary(self) -> list[dict[str, Any]]:
        out = []
        for name in self.names():
            ctx = self.open(name)
            try:
                out.append(profiles.summary_record(name, ctx))
            finally:
                ctx.close()
        return out

    def create(self, name: str) -> str:
        return profiles.add(name.strip()).name


class DemoAccounts(Accounts):
    """The offline demo's emulated accounts, each context built once and kept."""

    demo = True

    def __init__(self, contexts: dict[str, AppContext]) -> None:
        self.contexts = contexts

    def names(self) -> list[str]:
        return list(self.contexts)

    def open(self, name: str) -> AppContext:
        if name not in self.contexts:
            raise self.unknown(name)
        return self.contexts[name]

    def summary(self) -> list[dict[str, Any]]:
        """Each record read on a connection of its own, closed after.

        Why: the TUI calls this in a reader thread, while the kept contexts' connections
        belong to the event loop (the current account's run writes through its own).
        """
        out = []
        for name, ctx in self.contexts.items():
            view = dataclasses.replace(ctx, _store=None)
            try:
                out.append(profiles.summary_record(name, view))
            finally:
                view.close()
        return out

    def create(self, name: str) -> str:
        raise ServiceError(BUILT_IN)

    def check_new(self, name: str) -> tuple[str, str]:
        return BUILT_IN, ""

    def close(self) -> None:
        for ctx in self.contexts.values():
            ctx.close()
