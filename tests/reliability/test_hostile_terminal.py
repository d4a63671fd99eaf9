"""Hostile Zoom data in the headless CLI, on a real pseudo-terminal.

The account is served by the emulator in hostile mode (``zoomtui.emulator.hostile_text``):
every third user's names, department and e-mail address carry OSC 52 / OSC 0 sequences,
CSI codes, C1 controls, bidi overrides and markup, and Zoom's error texts carry the same.
Each command runs as a real process whose stdout and stderr are a pty, as an operator's
would be, and nothing it writes may hold a control, C1 or bidi character except the
progress line's own ``CR ESC[2K``. Piped output stays exact (JSON and CSV are data).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.helpers.reliability_procs import ZOOMTUI, base_env, run_cli
from zoomtui.clock import utcnow
from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.handler import reply
from zoomtui.emulator.hostile_text import ERROR_PAYLOAD, PAYLOADS
from zoomtui.emulator.server import BackgroundServer
from zoomtui.text import safe_text

pytestmark = pytest.mark.slow

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")  # tab and newline are fine
PROGRESS = "\r\x1b[2K"  # the aggregate progress line rewriting itself on a terminal
ALL = ("--status", "active", "--status", "pending", "--status", "inactive")


class Refusing(Emulator):
    """The hostile emulator, but Zoom refuses paths ending in ``refuse`` with a hostile 403."""

    refuse: tuple[str, ...] = ()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.refuse and request.url.path.endswith(self.refuse):
            if request.url.path.endswith("/oauth/token"):
                body = {"reason": f"Token service down {ERROR_PAYLOAD}", "error": "server_error"}
                return reply(400, body)
            return reply(403, {"code": 200, "message": f"No permission. {ERROR_PAYLOAD}"})
        return super().handle(request)


@dataclass
class World:
    emulator: Refusing
    env: dict[str, str]
    db: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A hostile account served on loopback, with two complete runs in a tmp database."""
    tmp = tmp_path_factory.mktemp("hostile-cli")
    start = utcnow().replace(microsecond=0) - timedelta(days=14)
    dataset = Dataset.generate(users=150, seed=3, start=start, hostile=True)
    emulator = Refusing(dataset, EmulatorConfig(rate_limits=False))
    with BackgroundServer(emulator) as server:
        creds = DEMO_CREDENTIALS
        env = base_env(
            tmp,
            ZOOM_ACCOUNT_ID=creds.account_id,
            ZOOM_CLIENT_ID=creds.client_id,
            ZOOM_CLIENT_SECRET=creds.client_secret,
            ZOOMTUI_API_URL=f"{server.url}/v2",
            ZOOMTUI_OAUTH_URL=f"{server.url}/oauth/token",
            ZOOMTUI_RATE_TIER="business",
        )
        db = tmp / "hostile.db"
        for step in range(2):
            if step:
                emulator.advance(7)
            done = run_cli("aggregate", "--quiet", "--db", str(db), env=env)
            assert done.returncode == 0, done.stderr
        yield World(emulator, env, db)


def on_terminal(*args: str, env: dict[str, str], timeout: float = 120) -> tuple[int, str]:
    """Run ``zoomtui *args`` with stdin, stdout and stderr on a 120x40 pty; code and output."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [*ZOOMTUI, *args], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"zoomtui {' '.join(args)} did not finish in {timeout} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the process and every child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def strings(data: object) -> Iterator[str]:
    """Every string inside parsed JSON, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def clean(output: str) -> str:
    """The output as lines; fails if anything in it could act on the terminal."""
    # the pty turns \n into \r\n; CSV ends its own lines with \r\n
    text = output.replace(PROGRESS, "").replace("\r\r\n", "\n").replace("\r\n", "\n")
    bad = FORBIDDEN.search(text)
    start = max((bad.start() if bad else 0) - 60, 0)
    assert bad is None, f"{bad.group()!r} reaches the terminal: {text[start : start + 120]!r}"
    assert "Traceback" not in text
    return text


def test_the_served_account_is_hostile(world: World) -> None:
    done = run_cli("users", "--format", "json", *ALL, "--db", str(world.db), env=world.env)
    users = json.loads(done.stdout)  # piped: exact
    text = " ".join(str(u.get(k)) for u in users for k in ("first_name", "last_name", "email"))
    assert all(payload[:200] in text for payload in PAYLOADS)  # long names are cut at storage


@pytest.mark.parametrize(
    "args",
    [
        ("users", *ALL),
        ("users", "--format", "csv", *ALL),
        ("users", "--format", "json", *ALL),
        ("diff",),
        ("diff", "--format", "json"),
        ("seats",),
        ("seats", "--format", "csv"),
        ("runs",),
        ("runs", "--format", "csv"),
    ],
    ids=" ".join,
)
def test_every_listing_on_a_terminal(world: World, args: tuple[str, ...]) -> None:
    code, output = on_terminal(*args, "--db", str(world.db), env=world.env)
    text = clean(output)
    assert code == 0, text
    if args[0] in ("users", "diff") and "json" not in args:
        shown = [safe_text(p)[:12] for p in PAYLOADS]  # what the payloads look like defused
        assert any(p in text for p in shown), text
    if "json" in args:
        data = json.loads(text)  # JSON escapes: still the exact data
        assert any(p in s for s in strings(data) for p in PAYLOADS)


def test_csv_to_a_pipe_stays_exact(world: World) -> None:
    done = run_cli("users", "--format", "csv", *ALL, "--db", str(world.db), env=world.env)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert any(PAYLOADS[0] in row["first_name"] for row in rows)
    assert any(PAYLOADS[3] in row["dept"] for row in rows)


def test_test_connection_quotes_zoom_safely(world: World) -> None:
    world.emulator.refuse = ("/plans/usage", "/summary")
    try:
        code, output = on_terminal("test-connection", "--db", str(world.db), env=world.env)
    finally:
        world.emulator.refuse = ()
    text = clean(output)
    assert code == 0 and "␛]0;pwned" in text  # the seats capability quotes Zoom's refusal

    for refused in ("/users", "/oauth/token"):
        world.emulator.refuse = (refused,)
        try:
            code, output = on_terminal("test-connection", "--db", str(world.db), env=world.env)
        finally:
            world.emulator.refuse = ()
        text = clean(output)
        assert code == 1 and "␛]0;pwned" in text and "[@click=app.quit]x[/]" in text


def test_aggregate_notes_errors_and_the_stored_error(world: World, tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")  # its own history: these runs must not disturb the others
    world.emulator.refuse = ("/plans/usage", "/summary")
    try:
        code, output = on_terminal("aggregate", "--db", db, env=world.env)
        text = clean(output)  # progress on the terminal, then the notes
        assert code == 0 and "note: seats:" in text and "␛]0;pwned" in text

        world.emulator.refuse = ("/users",)
        code, output = on_terminal("aggregate", "--db", db, env=world.env)
        text = clean(output)
        assert code == 1 and "␛]0;pwned" in text  # the failure sentence on stderr

        world.emulator.refuse = ("/oauth/token",)
        code, output = on_terminal("aggregate", "--json", "--db", db, env=world.env)
        text = clean(output)
        assert code == 1 and "Token service down" in text
    finally:
        world.emulator.refuse = ()
    runs = json.loads(run_cli("runs", "--format", "json", "--db", db, env=world.env).stdout)
    failed = [r for r in runs if r["status"] == "failed"]
    assert len(failed) == 2
    for run in failed:  # stored as a sanitised sentence
        assert FORBIDDEN.search(run["error"]) is None and "␛]0;pwned" in run["error"]
    code, output = on_terminal("runs", "--db", db, env=world.env)
    assert code == 0
    clean(output)


TEXTUAL_OSC = re.compile("\x1b\\]22;[^\x07\x1b]*(\x07|\x1b\\\\)")  # Textual's pointer-shape request


def test_the_tui_on_a_terminal(tmp_path: Path) -> None:
    """The real app on a pty: what it writes holds no OSC, BEL, C1 or bidi from the data."""
    import asyncio

    from zoomtui.services.demo import demo_context, fill_demo_history

    db = tmp_path / "tui.db"

    async def fill() -> None:
        ctx = demo_context(db, users=120, fill=False, hostile=True)
        await fill_demo_history(ctx)
        ctx.close()

    asyncio.run(fill())
    env = base_env(tmp_path, TERM="xterm-256color")
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    proc = subprocess.Popen(
        [*ZOOMTUI, "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    out = bytearray()

    def pump(until: Callable[[str], bool], seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return False
                if not data:
                    return False
                out.extend(data)
                if until(out.decode("utf-8", "replace")):
                    return True
        return True

    try:
        pump(lambda text: "␛" in text, 60)  # the users list, hostile names defused
        for key in (b"2", b"3", b"4", b"1"):  # Runs, Diff, Seats, back to Users
            os.write(master, key)
            pump(lambda _text: False, 2)
        os.write(master, b"\x11")  # ctrl+q
        pump(lambda _text: False, 20)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.wait(timeout=30) == 0
    text = TEXTUAL_OSC.sub("", out.decode("utf-8", "replace"))
    assert "␛" in text and "Diff" in text
    for sequence in ("\x1b]", "\x07", "\x1bP", "\x1b_", "\x1b^"):  # OSC, BEL, DCS, APC, PM
        assert sequence not in text, (sequence, text[text.find(sequence) - 80 :][:160])
    bad = re.search(f"[\x80-\x9f{BIDI}]", text)
    assert bad is None, bad
