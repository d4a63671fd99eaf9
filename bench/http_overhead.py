"""Client CPU per HTTP request: httpx on httpcore (anyio or asyncio streams) vs zoomtui's wire.

Usage: .venv/bin/python bench/http_overhead.py [--requests 400] [--concurrency 1 8]
       [--repeats 3] [--profile-users 300] [--profile-repeats 3] [--latency-ms 20]

Part 1 sends ``--requests`` GETs of a 300-user page to a loopback ``zoomtui
emulator`` (rate limits off, no latency) with an ``httpx.AsyncClient`` built as
zoomtui builds its lanes (shared TLS context, same limits and headers), once on
httpx's default transport (httpcore → anyio) and once on
``_aionet.py`` (httpcore → asyncio streams), and once on zoomtui's own wire
(``zoomtui/zoom/wire.py`` under ``LeanClient``, what the Zoom client uses
without a proxy), at each concurrency:
this process's CPU (user + system) per request; the emulator runs in its own
process and is not counted. Part 2 aggregates one ``--profile-users`` profile
(add-ons on, the tier's real limits, ``--latency-ms``) with each transport and
reports the process CPU of the whole run — what ``aggregate --all-profiles``
multiplies by the number of profiles — and the 429s each run met (pacing
changes with the transport's speed). ``--no-limits`` runs that part with the
emulator's limits off and the client's budgets out of the way: the CPU of the
requests alone. uvloop is measured too when it is installed (not a dependency).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
from _aionet import asyncio_transport
from _common import log, loopback_context, loopback_emulator, median

from zoomtui.emulator import DEMO_CREDENTIALS
from zoomtui.services.aggregate import aggregate
from zoomtui.zoom import client as zoom_client
from zoomtui.zoom.http import LeanClient
from zoomtui.zoom.tls import tls_context
from zoomtui.zoom.wire import WireTransport

Transport = Callable[[int, Any], httpx.AsyncBaseTransport | None]
LoopFactory = Callable[[], asyncio.AbstractEventLoop] | None

try:  # not a dependency of zoomtui: measured only when installed
    import uvloop

    UVLOOP: LoopFactory = uvloop.new_event_loop
except ImportError:
    UVLOOP = None

TRANSPORTS: dict[str, Transport] = {
    "httpx_anyio": lambda pool, verify: None,  # httpx's default transport
    "httpx_asyncio": lambda pool, verify: asyncio_transport(
        verify=verify, limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
    ),
    "zoomtui_wire": lambda pool, verify: WireTransport(ssl_context=verify, max_connections=pool),
}
# The client class each variant runs under: the wire comes with LeanClient's request path.
CLIENTS: dict[str, type[httpx.AsyncClient]] = {"zoomtui_wire": LeanClient}
LOOPS: dict[str, LoopFactory] = {"asyncio": None} | ({"uvloop": UVLOOP} if UVLOOP else {})
VARIANTS = [(t, loop) for loop in LOOPS for t in TRANSPORTS]  # (transport, loop) names


def run(coro: Any, loop: str) -> Any:
    with asyncio.Runner(loop_factory=LOOPS[loop]) as runner:
        return runner.run(coro)


def patched_client(name: str) -> Any:
    """The Zoom client's lanes built as variant ``name``: its client class and transport."""
    make, cls = TRANSPORTS[name], CLIENTS.get(name, httpx.AsyncClient)

    def build(**kwargs: Any) -> httpx.AsyncClient:
        given = kwargs.get("transport")
        if given is None or isinstance(given, WireTransport):  # the client's own choice
            limits = kwargs["limits"]
            kwargs["transport"] = make(limits.max_connections, kwargs["verify"])
        return cls(**kwargs)

    return mock.patch.object(zoom_client, "LeanClient", build)


def token(oauth_url: str) -> str:
    creds = DEMO_CREDENTIALS
    basic = base64.b64encode(f"{creds.client_id}:{creds.client_secret}".encode()).decode()
    reply = httpx.post(
        oauth_url,
        data={"grant_type": "account_credentials", "account_id": creds.account_id},
        headers={"Authorization": f"Basic {basic}"},
        timeout=30,
    )
    reply.raise_for_status()
    return str(reply.json()["access_token"])


async def request_loop(
    name: str, url: str, bearer: str, count: int, concurrency: int
) -> tuple[float, float]:
    verify = tls_context()
    http = CLIENTS.get(name, httpx.AsyncClient)(
        transport=TRANSPORTS[name](concurrency, verify),
        verify=verify,
        timeout=30.0,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        headers={"Accept": "application/json", "Authorization": f"Bearer {bearer}"},
    )
    left = count

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            reply = await http.request("GET", url)
            assert reply.status_code == 200, reply.status_code

    async with http:
        await http.request("GET", url)  # connect outside the measurement
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.process_time() - cpu, time.perf_counter() - wall


def requests_part(count: int, concurrencies: list[int], repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {"requests": count, "page_size": 300}
    with loopback_emulator(300, rate_limits=False) as em:
        url = em.api_url + "/users?page_size=300&status=active"
        bearer = token(em.oauth_url)
        for concurrency in concurrencies:
            cpu: dict[str, list[float]] = {}
            wall: dict[str, list[float]] = {}
            for _ in range(repeats):  # interleaved, so a change in the machine's load hits all
                for transport, loop in VARIANTS:
                    key = f"{transport}_{loop}_c{concurrency}"
                    loop_run = request_loop(transport, url, bearer, count, concurrency)
                    c, w = run(loop_run, loop)
                    cpu.setdefault(key, []).append(c * 1000 / count)
                    wall.setdefault(key, []).append(w * 1000 / count)
            for key in cpu:
                out[key] = {
                    "cpu_ms_per_request": median(cpu[key]),
                    "wall_ms_per_request": median(wall[key]),
                }
                log(key, out[key])
            base = out[f"httpx_anyio_asyncio_c{concurrency}"]["cpu_ms_per_request"]
            for transport, loop in VARIANTS[1:]:
                new = out[f"{transport}_{loop}_c{concurrency}"]["cpu_ms_per_request"]
                out[f"{transport}_{loop}_c{concurrency}"]["cpu_saved"] = round(1 - new / base, 3)
    return out


def profile_part(users: int, repeats: int, latency_ms: float, limits: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"users": users, "latency_ms": latency_ms, "rate_limits": limits}
    scale = 1.0 if limits else 1000.0  # without limits the client's budgets must not pace
    cpu: dict[str, list[float]] = {}
    wall: dict[str, list[float]] = {}
    calls: dict[str, int] = {}
    throttled: dict[str, list[int]] = {}
    with loopback_emulator(users, latency_ms=latency_ms, rate_limits=limits) as em:
        for i in range(repeats):  # interleaved, so a change in the machine's load hits all
            for transport, loop in VARIANTS:
                key = f"{transport}_{loop}"
                db = Path(tempfile.mkdtemp()) / f"{key}{i}.db"
                ctx = loopback_context(em, db, tier="pro", rate_scale=scale, concurrency=32)
                with patched_client(transport):
                    c, w = time.process_time(), time.perf_counter()
                    result = run(aggregate(ctx, full=True), loop)
                    cpu.setdefault(key, []).append(time.process_time() - c)
                    wall.setdefault(key, []).append(time.perf_counter() - w)
                calls[key] = sum(result.stats.get("calls", {}).values())
                throttled.setdefault(key, []).append(sum(result.stats["throttled"].values()))
                ctx.close()
                assert result.status == "complete", result.status
                log(key, i, round(cpu[key][-1], 3), "s CPU")
    for key in cpu:
        out[key] = {
            "cpu_s": median(cpu[key]),
            "wall_s": median(wall[key]),
            "calls": calls[key],
            "answered_429": throttled[key],  # per run: a 429 costs a retry and slower pacing
        }
    base = out["httpx_anyio_asyncio"]["cpu_s"]
    for transport, loop in VARIANTS[1:]:
        key = f"{transport}_{loop}"
        out[key]["cpu_saved"] = round(1 - out[key]["cpu_s"] / base, 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile-users", type=int, default=300)
    parser.add_argument("--profile-repeats", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument(
        "--no-limits",
        action="store_true",
        help="profile part without rate limits (emulator off, client budgets x1000)",
    )
    args = parser.parse_args()
    result = {
        "cores": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
        "per_request": requests_part(args.requests, args.concurrency, args.repeats),
        "profile": profile_part(
            args.profile_users, args.profile_repeats, args.latency_ms, not args.no_limits
        ),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
