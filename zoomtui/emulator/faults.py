"""Fault injection: which call fails, and how, on a seeded and repeatable schedule.

Each ``Fault`` names a kind, an endpoint glob (matched against the path after
``/v2``, or ``/oauth/token``) and either a probability (seeded RNG) or exact
1-based call numbers among the calls that glob matches. ``page_token_expired``
only counts calls that carry a ``next_page_token``.

``KINDS`` are faults Zoom itself produces; ``HOSTILE_KINDS`` (see
``hostile.py``) are what a broken or malicious peer could send instead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fnmatch import fnmatchcase

from zoomtui.emulator.hostile import HOSTILE_KINDS

KINDS = (
    "429_seconds",
    "429_date",
    "429_none",
    "429_daily",
    "5xx",
    "timeout",
    "reset",
    "truncated_json",
    "token_revoked",
    "page_token_expired",
)

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. "
    "Refer to the response header for details on when you can make another request."
)
PAGE_TOKEN_MESSAGE = "The next page token is invalid or expired."
HTML_5XX = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
}


@dataclass(frozen=True)
class Fault:
    """One scheduled fault; without probability or at_calls it hits every matching call."""

    kind: str
    endpoint_glob: str = "*"
    probability: float | None = None
    at_calls: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS and self.kind not in HOSTILE_KINDS:
            known = ", ".join(KINDS + HOSTILE_KINDS)
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {known}")
        if self.probability is not None and not 0.0 <= self.probability <= 1.0:
            raise ValueError("fault probability must be between 0 and 1")


def parse_faults(spec: str) -> tuple[Fault, ...]:
    """Parse ``KIND[:GLOB][@PROBABILITY | #N,N,...]`` items separated by ``;``.

    Example: ``5xx:/users*@0.05;token_revoked:*#40;429_none``.
    """
    faults: list[Fault] = []
    for item in filter(None, (part.strip() for part in spec.split(";"))):
        probability: float | None = None
        at_calls: tuple[int, ...] = ()
        if "@" in item:
            item, _, prob = item.partition("@")
            try:
                probability = float(prob)
            except ValueError:
                raise ValueError(f"fault probability {prob!r} is not a number") from None
        elif "#" in item:
            item, _, calls = item.partition("#")
            try:
                at_calls = tuple(int(n) for n in calls.split(",") if n.strip())
            except ValueError:
                raise ValueError(f"fault call numbers {calls!r} are not integers") from None
        kind, _, glob = item.partition(":")
        faults.append(Fault(kind.strip(), glob.strip() or "*", probability, at_calls))
    return tuple(faults)


class FaultPlan:
    """Decides, call by call, which fault (if any) applies."""

    def __init__(self, faults: tuple[Fault, ...], seed: int = 0) -> None:
        self.faults = faults
        self._rng = random.Random(seed)
        self._seen = [0] * len(faults)

    def pick(self, path: str, has_page_token: bool) -> Fault | None:
        """The fault to inject into this call, counting it for every matching fault."""
        chosen: Fault | None = None
        for i, fault in enumerate(self.faults):
            if not fnmatchcase(path, fault.endpoint_glob):
                continue
            if fault.kind == "page_token_expired" and not has_page_token:
                continue
            self._seen[i] += 1
            if fault.at_calls:
                hit = self._seen[i] in fault.at_calls
            elif fault.probability is not None:
                hit = self._rng.random() < fault.probability
            else:
                hit = True
            if hit and chosen is None:
                chosen = fault
        return chosen

    def choose_5xx(self) -> int:
        """Which server error a ``5xx`` fault returns."""
        return self._rng.choice(sorted(HTML_5XX))


def html_error(status: int) -> bytes:
    """The HTML page a load balancer returns instead of JSON."""
    title = f"{status} {HTML_5XX.get(status, 'Server Error')}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
    ).encode()
