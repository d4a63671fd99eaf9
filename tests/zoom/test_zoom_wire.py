"""The lean HTTP/1.1 wire and client: framing, keep-alive, timeouts, cookies and failures.

A scripted loopback server answers each request with raw bytes, so every
framing case (chunked, Connection: close, malformed heads) is on a real socket.
"""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from tests.helpers.zoomfakes import S2S
from zoomtui.zoom import ZoomClient, wire
from zoomtui.zoom.http import LeanClient
from zoomtui.zoom.tls import tls_context
from zoomtui.zoom.wire import WireTransport

Answer = Callable[[bytes], bytes | None]  # request head → raw response (None: stall)


class Scripted:
    """A loopback server that answers with ``answers`` in turn; counts connections."""

    def __init__(self, *answers: bytes | None, close_after: bool = False) -> None:
        self.answers = list(answers)
        self.heads: list[bytes] = []
        self.connections = 0
        self.close_after = close_after
        self.server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while self.answers:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                answer = self.answers.pop(0)
                if answer is None:
                    await asyncio.sleep(5)
                    return
                writer.write(answer)
                await writer.drain()
                if self.close_after:
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def scripted() -> AsyncIterator[Callable[..., Scripted]]:
    made: list[Scripted] = []

    async def start(*answers: bytes | None, close_after: bool = False) -> Scripted:
        script = Scripted(*answers, close_after=close_after)
        script.server = await asyncio.start_server(script.serve, "127.0.0.1", 0)
        made.append(script)
        return script

    yield start  # type: ignore[misc]
    for script in made:
        assert script.server is not None
        script.server.close()


def ok(body: bytes, *extra: bytes) -> bytes:
    head = [b"HTTP/1.1 200 OK", b"Content-Length: %d" % len(body), *extra]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def client(timeout: float = 5.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=WireTransport(ssl_context=tls_context(), max_connections=2), timeout=timeout
    )


async def test_keep_alive_reuses_one_connection_and_sends_the_headers(scripted) -> None:
    server = await scripted(ok(b'{"a": 1}'), ok(b"second"))
    async with client() as http:
        first = await http.get(server.url + "/v2/users?status=active", headers={"X-A": "b"})
        second = await http.get(server.url + "/v2/other")
    assert first.json() == {"a": 1} and second.text == "second"
    assert server.connections == 1
    assert server.heads[0].startswith(b"GET /v2/users?status=active HTTP/1.1\r\n")
    assert b"\r\nx-a: b\r\n" in server.heads[0].lower()
    assert b"\r\nhost: 127.0.0.1:" in server.heads[0].lower()


async def test_chunked_and_gzip_bodies_are_decoded(scripted) -> None:
    packed = gzip.compress(b"hello world")
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + b"%x\r\n" % 5 + packed[:5] + b"\r\n"
        + b"%x;ext=1\r\n" % (len(packed) - 5) + packed[5:] + b"\r\n"
        + b"0\r\nX-Trailer: 1\r\n\r\n"
    )  # fmt: skip
    server = await scripted(chunked, ok(b"next"))
    async with client() as http:
        first = await http.get(server.url + "/")
        second = await http.get(server.url + "/")  # the chunked framing left the stream clean
    assert first.text == "hello world" and second.text == "next"
    assert server.connections == 1


async def test_connection_close_and_unframed_bodies_open_a_new_connection(scripted) -> None:
    closing = ok(b"one", b"Connection: close")
    unframed = b"HTTP/1.1 200 OK\r\n\r\nuntil the end"
    server = await scripted(closing, unframed, ok(b"three"), close_after=True)
    async with client() as http:
        texts = [(await http.get(server.url + "/")).text for _ in range(3)]
    assert texts == ["one", "until the end", "three"]
    assert server.connections == 3


async def test_a_get_on_a_connection_the_server_closed_is_sent_again(scripted) -> None:
    # The server answers, then drops the idle connection without saying so.
    server = await scripted(ok(b"one"), ok(b"two"), close_after=True)
    async with client() as http:
        assert (await http.get(server.url + "/")).text == "one"
        await asyncio.sleep(0.05)
        assert (await http.get(server.url + "/")).text == "two"
    assert server.connections == 2


async def test_idle_connections_expire_as_in_httpx(scripted, monkeypatch) -> None:
    monkeypatch.setattr(wire, "KEEPALIVE_EXPIRY", 0.02)
    server = await scripted(ok(b"one"), ok(b"two"), ok(b"three"))
    async with client() as http:
        assert (await http.get(server.url + "/")).text == "one"
        assert (await http.get(server.url + "/")).text == "two"
        assert server.connections == 1  # reused at once
        await asyncio.sleep(0.1)
        assert (await http.get(server.url + "/")).text == "three"
    assert server.connections == 2  # idle too long: a new one


async def test_informational_answers_are_skipped_and_204_has_no_body(scripted) -> None:
    server = await scripted(b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"x"), b"HTTP/1.1 204 No\r\n\r\n")
    async with client() as http:
        assert (await http.get(server.url + "/")).text == "x"
        empty = await http.get(server.url + "/")
    assert empty.status_code == 204 and empty.content == b""
    assert empty.reason_phrase == "No" and empty.http_version == "HTTP/1.1"


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: a\x00b\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
        b"",
    ],
)
async def test_malformed_answers_are_protocol_errors(scripted, raw: bytes) -> None:
    server = await scripted(raw, close_after=True)
    async with client() as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(server.url + "/")


async def test_a_stalled_answer_is_a_read_timeout(scripted) -> None:
    server = await scripted(None)
    async with client(timeout=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get(server.url + "/")


async def test_a_refused_connection_is_a_connect_error(scripted) -> None:
    server = await scripted()
    url = server.url
    assert server.server is not None
    server.server.close()
    await server.server.wait_closed()
    async with client() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(url + "/")


async def test_a_line_break_in_a_header_is_refused_before_sending(scripted) -> None:
    server = await scripted(ok(b"x"))
    async with client() as http:
        with pytest.raises(httpx.LocalProtocolError):
            await http.get(server.url + "/", headers={"Authorization": "Bearer a\r\nX-Evil: 1"})
    assert server.heads == []


async def test_the_pool_timeout_holds_when_every_connection_is_busy(scripted) -> None:
    server = await scripted(None, None)
    http = httpx.AsyncClient(
        transport=WireTransport(ssl_context=tls_context(), max_connections=1),
        timeout=httpx.Timeout(2.0, pool=0.1),
    )
    async with http:
        first = asyncio.ensure_future(http.get(server.url + "/"))
        await asyncio.sleep(0.05)
        with pytest.raises(httpx.PoolTimeout):
            await http.get(server.url + "/")
        first.cancel()


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


async def test_tls_verifies_the_certificate(self_signed: tuple[Path, Path]) -> None:
    key, cert = self_signed
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(ok(b"secret"))
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=served)
    url = f"https://localhost:{server.sockets[0].getsockname()[1]}/"
    try:
        async with client() as http:  # the default trust store refuses a self-signed cert
            with pytest.raises(httpx.ConnectError) as caught:
                await http.get(url)
        assert isinstance(caught.value.__cause__, ssl.SSLCertVerificationError)
        trusting = ssl.create_default_context(cafile=str(cert))
        wire = WireTransport(ssl_context=trusting, max_connections=1)
        async with httpx.AsyncClient(transport=wire) as http:
            assert (await http.get(url)).text == "secret"
    finally:
        server.close()


def test_the_client_uses_the_wire_unless_a_proxy_is_configured(monkeypatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    direct = ZoomClient(S2S, api_url="https://api.zoom.us/v2")
    lanes = direct._http.clients  # type: ignore[union-attr]
    assert all(isinstance(c._transport, WireTransport) for c in lanes)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    proxied = ZoomClient(S2S, api_url="https://api.zoom.us/v2")
    lanes = proxied._http.clients  # type: ignore[union-attr]
    assert not any(isinstance(c._transport, WireTransport) for c in lanes)
    mounts = lanes[0]._mounts  # httpx routes https through the proxy, as before
    assert any(t is not None and "proxy" in type(t._pool).__name__.lower() for t in mounts.values())


async def test_the_lean_client_merges_headers_sends_cookies_back_and_decodes(scripted) -> None:
    packed = gzip.compress(b'{"ok": true}')
    server = await scripted(
        ok(b"first", b"Set-Cookie: lb=node7; Path=/"),
        ok(packed, b"Content-Encoding: gzip"),
        b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n",
    )
    http = LeanClient(
        transport=WireTransport(ssl_context=tls_context(), max_connections=1),
        headers={"Accept": "application/json", "User-Agent": "zoomtui/test"},
    )
    async with http:
        await http.request("GET", server.url + "/a", params={"page_size": 300, "q": "a b"})
        second = await http.request(
            "POST", server.url + "/b", data={"grant_type": "x"}, headers={"Accept": "text/plain"}
        )
        moved = await http.request("GET", server.url + "/c")
    first_head, second_head = (h.decode().lower() for h in server.heads[:2])
    assert first_head.startswith("get /a?page_size=300&q=a+b http/1.1")
    assert "user-agent: zoomtui/test" in first_head and "accept-encoding: gzip" in first_head
    assert "cookie: lb=node7" in second_head  # the cookie set by the first answer
    assert "accept: text/plain" in second_head and "application/json" not in second_head
    assert "content-type: application/x-www-form-urlencoded" in second_head
    assert second.json() == {"ok": True} and second.request.method == "POST"
    assert moved.status_code == 302 and moved.request.url.path == "/c"  # never followed


async def test_the_lean_client_raises_httpx_errors_with_their_request(scripted) -> None:
    server = await scripted(None)
    http = LeanClient(
        transport=WireTransport(ssl_context=tls_context(), max_connections=1), timeout=0.2
    )
    async with http:
        with pytest.raises(httpx.ReadTimeout) as caught:
            await http.request("GET", server.url + "/slow")
    assert caught.value.request.url.path == "/slow"
    with pytest.raises(ValueError):
        LeanClient(follow_redirects=True)
