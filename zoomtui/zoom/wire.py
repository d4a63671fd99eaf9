"""A lean HTTP/1.1 transport for httpx: keep-alive connections over asyncio streams.

Why: ``aggregate --all-profiles`` is bound by the client's CPU, and a request
through httpx's default transport (httpcore's pool, h11, anyio) cost about
3 ms of CPU on a small VM, most of it in that stack, against 0.13 ms for
the same exchange over bare asyncio streams. This transport keeps httpx's
client (URLs, headers, auth, cookies, redirects off, decoding, exceptions)
and replaces only the wire: one request at a time per connection, idle
connections reused per origin, the whole body read before returning (zoomtui
never streams). What it keeps from httpcore and h11:

- Idle connections kept 5 s at most, like httpx's default pool.
- TLS through the given context (verification and host name check on), with
  ALPN as httpx sets it; the TLS handshake counts towards the connect timeout.
- httpx's timeouts: ``connect``, ``write``, ``pool``, and ``read`` per read
  (each chunk received restarts it), raised as httpx's own exceptions.
- Failures as httpx's exceptions (``ConnectError`` with the ``ssl`` error as
  its cause, ``ReadError``, ``RemoteProtocolError``...), so retries and the
  messages built on them are unchanged.
- The response's framing checks (RFC 9112 §6): ``Transfer-Encoding: chunked``,
  one ``Content-Length``, else the body runs to the end of the connection;
  malformed status lines, header names or values, chunk sizes, conflicting
  lengths and over-long heads are protocol errors, as in h11.
- A request is never written with a CR or LF inside a header (h11 refuses
  them too): a hostile token cannot inject headers.

Proxies are httpx's business: the client uses this transport only when no
proxy is configured in the environment (``client.py``).
"""

from __future__ import annotations

import asyncio
import re
import ssl
import urllib.request
from typing import Any

import httpx

MAX_HEAD = 64 * 1024  # h11's default limit on a response's status line and headers
KEEPALIVE_EXPIRY = 5.0  # seconds an idle connection is kept, as httpx's default pool does
_NAME = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+\Z")  # RFC 9110 §5.6.2 token
_VALUE = re.compile(rb"[^\x00-\x08\x0a-\x1f\x7f]*\Z")  # no control characters but HTAB
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}\Z")
_DIGITS = re.compile(rb"[0-9]{1,19}\Z")
_IDEMPOTENT = frozenset((b"GET", b"HEAD", b"OPTIONS", b"PUT", b"DELETE"))
_NO_BODY_STATUS = (204, 304)


def environment_proxies() -> bool:
    """Whether the environment names a proxy httpx would use (``HTTP(S)_PROXY``, ``ALL_PROXY``).

    httpx reads them through ``urllib.request.getproxies`` too; ``NO_PROXY`` alone
    routes nothing through a proxy.
    """
    return any(scheme in ("http", "https", "all") for scheme in urllib.request.getproxies())


class _Stale(Exception):
    """A reused connection was closed by the server before any answer: try a fresh one."""


class _Conn:
    __slots__ = ("idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def usable(self, now: float) -> bool:
        if now - self.idle_since > KEEPALIVE_EXPIRY:
            return False
        return not (self.reader.at_eof() or self.writer.is_closing())

    def close(self) -> None:
        self.writer.close()


class WireTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio streams with at most ``max_connections`` requests at once."""

    def __init__(self, *, ssl_context: ssl.SSLContext, max_connections: int) -> None:
        self._ssl = ssl_context
        self._slots = asyncio.Semaphore(max(1, max_connections))
        self._idle: dict[tuple[str, str, int], list[_Conn]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout") or {}
        slots = self._slots
        if slots.locked():
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    await slots.acquire()
            except TimeoutError:
                raise httpx.PoolTimeout("No connection became free in time.") from None
        else:
            await slots.acquire()
        try:
            url = request.url
            scheme = url.scheme
            if scheme not in ("http", "https"):
                raise httpx.UnsupportedProtocol(f"The URL's scheme {scheme!r} is not supported.")
            key = (scheme, url.host, url.port or (443 if scheme == "https" else 80))
            message = _encode(request, await request.aread())
            idle = self._idle.setdefault(key, [])
            now = asyncio.get_running_loop().time()
            while idle:
                conn = idle.pop()
                if not conn.usable(now):
                    conn.close()
                    continue
                try:
                    return await self._exchange(conn, idle, request, message, timeouts, True)
                except _Stale:
                    continue
            conn = await self._connect(key, timeouts.get("connect"))
            return await self._exchange(conn, idle, request, message, timeouts, False)
        finally:
            slots.release()

    async def _connect(self, key: tuple[str, str, int], timeout: float | None) -> _Conn:
        scheme, host, port = key
        tls = self._ssl if scheme == "https" else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None, limit=MAX_HEAD
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(f"Connecting to {host} timed out.") from None
        except OSError as exc:  # ssl.SSLError is an OSError
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return _Conn(reader, writer)

    async def _exchange(
        self,
        conn: _Conn,
        idle: list[_Conn],
        request: httpx.Request,
        message: bytes,
        timeouts: dict[str, Any],
        reused: bool,
    ) -> httpx.Response:
        """Send one request on ``conn`` and read its whole answer; pool or close ``conn``."""
        method = request.method.encode()
        idempotent = method in _IDEMPOTENT
        keep = False
        received = False
        try:
            try:
                async with asyncio.timeout(timeouts.get("write")):
                    conn.writer.write(message)
                    await conn.writer.drain()
            except TimeoutError:
                raise httpx.WriteTimeout("Sending the request timed out.") from None
            except OSError as exc:
                if reused and idempotent:
                    raise _Stale from exc
                raise httpx.WriteError(str(exc) or type(exc).__name__) from exc
            read_timeout = timeouts.get("read")
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout(read_timeout) as deadline:

                    def more_time() -> None:
                        if read_timeout is not None:
                            deadline.reschedule(loop.time() + read_timeout)

                    reader = conn.reader
                    while True:
                        try:
                            head = await reader.readuntil(b"\r\n\r\n")
                        except asyncio.IncompleteReadError as exc:
                            if reused and not (exc.partial or received) and idempotent:
                                raise _Stale from None
                            raise httpx.RemoteProtocolError(
                                "Server disconnected without sending a response."
                            ) from None
                        except asyncio.LimitOverrunError:
                            raise httpx.RemoteProtocolError(
                                "The response's status line and headers are too long."
                            ) from None
                        received = True
                        version, status, reason, headers = _parse_head(head)
                        if status >= 200:
                            break
                        if status == 101:
                            raise httpx.RemoteProtocolError("Unexpected protocol switch.")
                        more_time()  # an informational answer: the real one follows
                    body, keep = await _read_body(
                        reader, method, status, version, headers, more_time
                    )
            except TimeoutError:
                raise httpx.ReadTimeout("Reading the response timed out.") from None
            except OSError as exc:
                if reused and not received and idempotent:
                    raise _Stale from exc
                raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
        finally:
            if keep:
                conn.idle_since = asyncio.get_running_loop().time()
                idle.append(conn)
            else:
                conn.close()
        return httpx.Response(
            status,
            headers=headers,
            stream=httpx.ByteStream(body),
            extensions={"http_version": version, "reason_phrase": reason},
        )

    async def aclose(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()


def _encode(request: httpx.Request, body: bytes) -> bytes:
    """The request's bytes on the wire; refuses header injection as h11 does."""
    url = request.url
    lines = [request.method.encode(), b" ", url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        lines += (name, b": ", value, b"\r\n")
        if b"\n" in value or b"\r" in value or not _NAME.match(name):
            raise httpx.LocalProtocolError("A request header holds a line break or a bad name.")
    lines += (b"\r\n", body)
    return b"".join(lines)


def _parse_head(head: bytes) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
    lines = head[:-4].split(b"\r\n")
    version, _, rest = lines[0].partition(b" ")
    code, _, reason = rest.partition(b" ")
    if version not in (b"HTTP/1.1", b"HTTP/1.0") or len(code) != 3 or not code.isdigit():
        raise httpx.RemoteProtocolError("The response's status line is malformed.")
    if not _VALUE.match(reason):
        raise httpx.RemoteProtocolError("The response's reason phrase holds control characters.")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        value = value.strip(b" \t")
        if not colon or not _NAME.match(name) or not _VALUE.match(value):
            raise httpx.RemoteProtocolError("The response holds a malformed header.")
        headers.append((name, value))
    return version, int(code), reason, headers


async def _read_body(
    reader: asyncio.StreamReader,
    method: bytes,
    status: int,
    version: bytes,
    headers: list[tuple[bytes, bytes]],
    more_time: Any,
) -> tuple[bytes, bool]:
    """The body framed as RFC 9112 §6.3 says, and whether the connection can be reused."""
    length: bytes | None = None
    chunked = False
    close = version != b"HTTP/1.1"
    for name, value in headers:
        lower = name.lower()
        if lower == b"content-length":
            if length is not None and value != length:
                raise httpx.RemoteProtocolError("The response has conflicting lengths.")
            length = value
        elif lower == b"transfer-encoding":
            codings = [c.strip() for c in value.lower().split(b",")]
            if codings[-1] != b"chunked":
                raise httpx.RemoteProtocolError("The response's transfer coding is unsupported.")
            chunked = True
        elif lower == b"connection" and b"close" in value.lower():
            close = True
    if method == b"HEAD" or status in _NO_BODY_STATUS:
        return b"", not close
    if chunked:
        return await _read_chunked(reader, more_time), not close
    if length is not None:
        if not _DIGITS.match(length):
            raise httpx.RemoteProtocolError("The response's Content-Length is malformed.")
        left = int(length)
        parts: list[bytes] = []
        while left:
            data = await reader.read(min(left, 1 << 20))
            if not data:
                raise httpx.RemoteProtocolError("The server closed the connection mid-body.")
            parts.append(data)
            left -= len(data)
            more_time()
        return b"".join(parts), not close
    parts = []  # no framing: the body ends with the connection
    while data := await reader.read(1 << 20):
        parts.append(data)
        more_time()
    return b"".join(parts), False


async def _read_chunked(reader: asyncio.StreamReader, more_time: Any) -> bytes:
    parts: list[bytes] = []
    try:
        while True:
            line = await reader.readuntil(b"\r\n")
            size = line[:-2].split(b";", 1)[0].strip(b" \t")
            if not _HEX.match(size):
                raise httpx.RemoteProtocolError("The response has a malformed chunk size.")
            count = int(size, 16)
            more_time()
            if count == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, ignored
                    more_time()
                return b"".join(parts)
            chunk = await reader.readexactly(count + 2)
            if chunk[-2:] != b"\r\n":
                raise httpx.RemoteProtocolError("A chunk of the response is malformed.")
            parts.append(chunk[:-2])
            more_time()
    except asyncio.IncompleteReadError:
        raise httpx.RemoteProtocolError("The server closed the connection mid-body.") from None
    except asyncio.LimitOverrunError:
        raise httpx.RemoteProtocolError("A chunk header of the response is too long.") from None
