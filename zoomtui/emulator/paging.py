"""Stateless ``next_page_token`` cursors that expire after 15 minutes like Zoom's.

The token carries (offset, issue time) and a MAC over the listing it belongs
to (path, filters and page size), so replaying it on another listing, with a
different ``page_size`` or after the TTL fails with Zoom's code 300.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from typing import ClassVar

from zoomtui.emulator.faults import PAGE_TOKEN_MESSAGE

MAX_PAGE_SIZE = 300


class BadPageToken(Exception):
    """The cursor is unknown, tampered with, for another listing, or expired."""

    body: ClassVar[dict[str, object]] = {"code": 300, "message": PAGE_TOKEN_MESSAGE}


class Pager:
    """Issues and checks cursors with a per-emulator key."""

    def __init__(self, key: bytes, ttl: int) -> None:
        self._key = key
        self.ttl = ttl

    def issue(self, listing: str, offset: int, now: int) -> str:
        data = struct.pack(">IQ", offset, now)
        mac = hmac.new(self._key, data + listing.encode(), hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(data + mac).decode().rstrip("=")

    def offset(self, token: str, listing: str, now: int) -> int:
        """The offset a cursor points at; raises ``BadPageToken``."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, binascii.Error):
            raise BadPageToken from None
        if len(raw) != 24:
            raise BadPageToken
        data, mac = raw[:12], raw[12:]
        expected = hmac.new(self._key, data + listing.encode(), hashlib.sha256).digest()[:12]
        if not hmac.compare_digest(mac, expected):
            raise BadPageToken
        offset, issued = struct.unpack(">IQ", data)
        if now - issued > self.ttl:
            raise BadPageToken
        return int(offset)


def page_size(raw: str | None, default: int = 30) -> int | None:
    """Parsed ``page_size`` (over 300 is clamped to 300), or None when invalid."""
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        return None
    if size < 1:
        return None
    return min(size, MAX_PAGE_SIZE)
