"""The Test Connection result as the Connection screen shows it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from zoomtui.services.connection import LABELS, OPTIONAL, ConnectionReport, optional_text
from zoomtui.tui.safe import safe


def report_renderable(report: ConnectionReport) -> Table | Text:
    """The Test Connection result: account, scopes and one line per capability."""
    if not report.ok and not report.capabilities:
        return safe(f"✗ Connection failed: {report.error}", "bold")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    head = "✓ Connected" if report.ok else "✗ Connected, but users cannot be listed"
    table.add_row(Text(head, style="bold"), safe(f"account {report.account_id or 'unknown'}"))
    required = {n: c for n, c in report.capabilities.items() if n not in OPTIONAL}
    # The parts that work share one wrapped row, so the missing ones and the reclaim
    # line stay on screen at 80x24 without reaching the corner where toasts appear.
    working = [LABELS.get(name, name) for name, cap in required.items() if cap.available]
    if working:
        table.add_row("  ok", safe(" · ".join(working)))
    for name, cap in required.items():
        if not cap.available:
            why = cap.detail or f"needs scope {cap.scope}"
            table.add_row(
                Text("  missing", style="bold"),
                safe(f"{LABELS.get(name, name)} — {why} (scope {cap.scope})"),  # Zoom's words
            )
    for name, cap in report.capabilities.items():
        if name in OPTIONAL:  # a run does without them: more calls, the same data
            table.add_row("  ok" if cap.available else "  optional", safe(optional_text(name, cap)))
    if report.reclaim is not None:
        allowed = [action for action, ok in report.reclaim["actions"].items() if ok]
        missing = report.reclaim["missing"]
        if allowed:
            table.add_row("  reclaim", safe(", ".join(allowed)))
        if missing:
            needs = "; ".join(f"{a} needs {', '.join(sc)}" for a, sc in missing.items())
            table.add_row(Text("  read-only", style="bold"), safe(needs))
    scopes = ", ".join(report.scopes) or "none reported"
    line = safe(scopes, "dim")  # one line: a token with every scope would push the rest away
    line.no_wrap, line.overflow = True, "ellipsis"
    table.add_row("Scopes", line)
    if report.error:
        table.add_row("", safe(report.error))
    return table
