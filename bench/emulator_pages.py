"""Emulator CPU per page of the user listing and the sign-in report, called directly.

Usage: .venv/bin/python bench/emulator_pages.py [--users N] [--repeat R] [--baseline REF]

Each repeat runs in a fresh subprocess: it generates the account (not timed),
then asks ``Emulator.handle`` for every page of every account's user listing
(each status, page_size 300) and of its six months of sign-in report (one
request window per month, page_size 300), as a first aggregation does, and
sums the process CPU time per route. Caches the emulator builds on the first
page of a listing are part of what is measured, since a real run pays them
once too. ``--baseline REF`` measures the package as committed at REF the same
way (exported with ``git archive``), so one JSON object holds before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from _common import PYTHON, ROOT, log, median

LIST, REPORT = "list_users", "activities"


def _walk(api: Any, path: str, params: dict[str, str], cpu: dict[str, float], kind: str) -> int:
    """Fetch every page of one listing; returns the number of pages."""
    import time

    pages, token = 0, ""
    while True:
        query = dict(params, page_size="300")
        if token:
            query["next_page_token"] = token
        t0 = time.process_time()
        response = api.handle(api.request(path, query))
        cpu[kind] += time.process_time() - t0
        assert response.status_code == 200, response.text
        pages += 1
        token = response.json()["next_page_token"]
        if not token:
            return pages


class _Api:
    """A bearer token and request builder around one emulator."""

    def __init__(self, emulator: Any) -> None:
        import httpx

        self.handle = emulator.handle
        self._httpx = httpx
        form = {"grant_type": "account_credentials", "account_id": "demo-account"}
        token = emulator.handle(
            httpx.Request("POST", "http://emulator.local/oauth/token", data=form,
                          headers={"Authorization": "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="})
        ).json()["access_token"]  # fmt: skip
        self._auth = {"Authorization": f"Bearer {token}"}

    def request(self, path: str, params: dict[str, str]) -> Any:
        url = f"http://emulator.local/v2{path}"
        return self._httpx.Request("GET", url, params=params, headers=self._auth)


def child(users: int) -> dict[str, Any]:
    from datetime import UTC, datetime, timedelta

    from zoomtui.emulator import Dataset, Emulator, EmulatorConfig
    from zoomtui.zoom.pagination import sign_in_windows

    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    ds = Dataset.generate(users=users, seed=1, start=start)
    api = _Api(Emulator(ds, EmulatorConfig(rate_limits=False), clock=lambda: start))
    today = start.date()
    cpu = {LIST: 0.0, REPORT: 0.0}
    pages = {LIST: 0, REPORT: 0}
    for account in ds.accounts:
        for status in ("active", "inactive", "pending"):
            params = {"status": status}
            pages[LIST] += _walk(api, f"/accounts/{account.id}/users", params, cpu, LIST)
        for first, last in sign_in_windows(today - timedelta(days=180), today, today):
            params = {"from": first.isoformat(), "to": last.isoformat()}
            path = f"/accounts/{account.id}/report/activities"
            pages[REPORT] += _walk(api, path, params, cpu, REPORT)
    return {"cpu_s": cpu, "pages": pages}


def _export(ref: str, into: Path) -> None:
    """The ``zoomtui`` package as committed at ``ref``."""
    archive = subprocess.run(["git", "archive", ref, "zoomtui"], cwd=ROOT, check=True,
                             capture_output=True).stdout  # fmt: skip
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def measure(users: int, repeat: int, pythonpath: str | None) -> dict[str, Any]:
    """Medians over ``repeat`` fresh subprocesses of CPU ms per page of each route."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    runs = []
    for i in range(repeat):
        cmd = [PYTHON, __file__, "--child", "--users", str(users)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
        runs.append(json.loads(out))
        log(f"run {i + 1}: {runs[-1]}")
    result: dict[str, Any] = {"pages": runs[0]["pages"]}
    for kind in (LIST, REPORT):
        per_page = [1000 * r["cpu_s"][kind] / r["pages"][kind] for r in runs]
        result[f"{kind}_cpu_ms_per_page_median"] = median(per_page)
    result["total_cpu_s_median"] = median([sum(r["cpu_s"].values()) for r in runs])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", metavar="REF", help="also measure the package at a git ref")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.users)))
        return
    out: dict[str, Any] = {"benchmark": "emulator_pages", "users": args.users}
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            _export(args.baseline, Path(tmp))
            log(f"baseline {args.baseline}")
            out["before"] = measure(args.users, args.repeat, tmp)
            out["before"]["ref"] = args.baseline
    log("current tree")
    out["after"] = measure(args.users, args.repeat, None)
    if args.baseline:
        for kind in (LIST, REPORT):
            key = f"{kind}_cpu_ms_per_page_median"
            out[f"{kind}_speedup"] = round(out["before"][key] / out["after"][key], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
