"""aggregate's progress on stderr when it is not a terminal (cron, a log file)."""

from __future__ import annotations

import pytest

from zoomtui.commands import run
from zoomtui.services.aggregate import Progress


def test_a_log_gets_totals_not_labels_and_few_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(run.time, "monotonic", lambda: clock[0])
    progress = run._StderrProgress()
    progress.tty = False
    for page in range(1, 101):  # 100 pages of two concurrent listings, 0.5 s apart
        progress(Progress("users", page * 300, None, f"acct{page % 2}: active users"))
        progress(Progress("sign_ins", page * 900, None, "Sign-in/sign-out report"))
        clock[0] += 0.5
    progress(Progress("saving", 0, None, "Committing the run"))
    progress(Progress("done", 1, 1, "Run 7 complete"))
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "users: 300 users listed"
    assert "acct" not in "".join(lines)  # a grand total is never labelled as one listing's
    assert len([ln for ln in lines if ln.startswith("users:")]) == 5  # first, every 15 s, last
    assert lines[-4:] == [
        "users: 30,000 users listed",
        "sign_ins: 90,000 sign-in events read",
        "saving: Committing the run",
        "done: Run 7 complete",
    ]


def test_the_settings_reads_line_says_the_time_left(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run.describe(Progress("addons", 0, 3000, "Reading settings", left_s=150.0)) == (
        "addons: 0/3,000 users' settings read · about 2 min 30 s left"
    )
    assert run.describe(Progress("addons", 50, 3000, "Reading settings")) == (
        "addons: 50/3,000 users' settings read"  # no estimate known: nothing claimed
    )
    clock = [0.0]
    monkeypatch.setattr(run.time, "monotonic", lambda: clock[0])
    progress = run._StderrProgress()
    progress.tty = False
    for done in range(0, 3001, 50):  # 20 reads a second for 150 s
        progress(Progress("addons", done, 3000, "Reading settings", left_s=(3000 - done) / 20))
        clock[0] += 2.5
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "addons: 0/3,000 users' settings read · about 2 min 30 s left"
    assert lines[1] == "addons: 300/3,000 users' settings read · about 2 min 20 s left"
    assert len(lines) == 11  # one line every 15 s of a 150 s read
