"""An emulator of the Zoom REST API v2 for the demo, tests and benchmarks.

It speaks raw HTTP/JSON exactly as zoomtui's client sees Zoom (envelopes,
omissions, error bodies, rate limits, faults) and never imports the client,
the store or the services, so it can check them rather than mirror them.
"""

from __future__ import annotations

from zoomtui.emulator.accounts import Account
from zoomtui.emulator.auth import DEMO_CREDENTIALS, EmulatorCredentials
from zoomtui.emulator.dataset import Dataset
from zoomtui.emulator.faults import Fault, parse_faults
from zoomtui.emulator.handler import Emulator, EmulatorConfig, EmulatorStats
from zoomtui.emulator.transport import API_URL, OAUTH_URL, EmulatorTransport

__all__ = [
    "API_URL",
    "DEMO_CREDENTIALS",
    "OAUTH_URL",
    "Account",
    "Dataset",
    "Emulator",
    "EmulatorConfig",
    "EmulatorCredentials",
    "EmulatorStats",
    "EmulatorTransport",
    "Fault",
    "parse_faults",
]
