"""A loopback HTTP/1.1 server for the emulator: asyncio streams, keep-alive, no threads.

A minimal parser is enough (request line, headers, Content-Length body) and
keeps a single core fast: each request is handled by the synchronous
``Emulator.handle`` on the event loop, while injected latency is an
``asyncio.sleep`` that never blocks other connections. Faults that break
the transport are real here: ``reset`` aborts the socket, ``timeout``
stalls the connection past a client's timeout and then closes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import threading
from collections.abc import Callable
from http import HTTPStatus

import httpx

from zoomtui.emulator.handler import Emulator, reply

MAX_HEADER_LINES = 100


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the only ones we serve on)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class LoopbackServer:
    """Serves one Emulator on a loopback address until closed."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(f"{host} is not a loopback address")
        self.emulator = emulator
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return base_url(self.host, self.port)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def serve_forever(self) -> None:
        if self._server is None:
            await self.start()
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        local = bool(peer) and is_loopback(str(peer[0]))
        try:
            while True:
                request = await read_request(reader, self.host, self.port)
                if request is None:
                    break
                request_obj, keep_alive = request
                if request_obj.url.path.startswith("/_emulator/") and not local:
                    response = reply(403, {"code": 403, "message": "Loopback only."})
                else:
                    latency = self.emulator.config.latency_ms
                    if latency > 0:
                        await asyncio.sleep(latency / 1000)
                    try:
                        response = self.emulator.handle(request_obj)
                    except httpx.TimeoutException:
                        await asyncio.sleep(self.emulator.config.server_timeout_s)
                        break
                    except httpx.TransportError:
                        writer.transport.abort()
                        return
                writer.write(encode_response(response, keep_alive))
                await writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, UnicodeDecodeError):
            pass  # a broken or malformed connection just ends
        finally:
            with contextlib.suppress(Exception):
                writer.close()


async def read_request(
    reader: asyncio.StreamReader, host: str, port: int
) -> tuple[httpx.Request, bool] | None:
    """Parse one request; None at a clean end of connection."""
    line = await reader.readline()
    if not line.strip():
        return None
    method, target, version = line.decode("latin-1").split()
    headers: list[tuple[str, str]] = []
    for _ in range(MAX_HEADER_LINES):
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    lower = {k.lower(): v for k, v in headers}
    length = int(lower.get("content-length", "0") or 0)
    body = await reader.readexactly(length) if length else b""
    connection = lower.get("connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    authority = lower.get("host") or f"{base_url(host, port)[7:]}"
    request = httpx.Request(method, f"http://{authority}{target}", headers=headers, content=body)
    return request, keep_alive


def encode_response(response: httpx.Response, keep_alive: bool) -> bytes:
    """Serialise a response with Content-Length framing."""
    body = response.content
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = "Unknown"
    lines = [f"HTTP/1.1 {response.status_code} {phrase}"]
    skip = {"content-length", "connection", "transfer-encoding"}
    lines += [f"{k}: {v}" for k, v in response.headers.items() if k.lower() not in skip]
    lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def serve(
    emulator: Emulator,
    host: str = "127.0.0.1",
    port: int = 0,
    on_ready: Callable[[LoopbackServer], None] | None = None,
) -> None:
    """Serve until cancelled (Ctrl-C raises KeyboardInterrupt out of here)."""
    server = LoopbackServer(emulator, host, port)

    async def main() -> None:
        await server.start()
        if on_ready is not None:
            on_ready(server)
        await server.serve_forever()

    asyncio.run(main())


class BackgroundServer:
    """The loopback server on its own thread, for tests and benchmarks."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = LoopbackServer(emulator, host, port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="zoom-emulator", daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            await self.server.start()
            self._ready.set()
            with contextlib.suppress(asyncio.CancelledError):
                await self.server.serve_forever()

        asyncio.run(main())

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("emulator server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.server.close)
        self._thread.join(10)
