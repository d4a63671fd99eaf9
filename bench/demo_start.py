"""Start-up of ``zoomtui --demo``: its three accounts' histories, first start and later ones.

Usage: .venv/bin/python bench/demo_start.py [--repeat 3]

First start: the demo databases do not exist, so every account runs its past
aggregations against its in-process emulator (what the README's first command
waits for). Later start: the histories exist, so each emulator only moves
forward. Both are timed up to the moment the app could open (contexts built,
histories filled), for the first account alone (the demo before it had three)
and for all three. Everything lives in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from _common import log, median

from zoomtui.services.demo import DEMO_ACCOUNTS, demo_contexts, fill_demo_histories


def start(db: Path, accounts: int) -> float:
    started = time.perf_counter()
    contexts = demo_contexts(db)
    chosen = dict(list(contexts.items())[:accounts])
    asyncio.run(fill_demo_histories(chosen))
    elapsed = time.perf_counter() - started
    for ctx in contexts.values():
        ctx.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out: dict[str, object] = {"benchmark": "demo_start"}
    for accounts in (1, len(DEMO_ACCOUNTS)):
        first, later = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "demo.db"
                first.append(start(db, accounts))
                later.append(start(db, accounts))
        out[f"{accounts}_accounts"] = {
            "first_start_s_median": median(first),
            "later_start_s_median": median(later),
            "first_start_s_all": [round(t, 2) for t in first],
        }
        log(f"{accounts} accounts: {out[f'{accounts}_accounts']}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
