"""``LeanClient``: httpx's ``AsyncClient`` with a shorter path for the requests zoomtui sends.

Why: with the lean wire (``wire.py``) underneath, httpx's own request path
(building the request through the client's merge steps, the auth and redirect
generators, the cookie jar's urllib round trip on every response, the
response's stream wrappers, an INFO log line per request) was about a third
of the client's CPU per request. zoomtui's requests never use what that path
is for: no auth flow (the bearer token is a header), no redirects
(``follow_redirects=False``), no streaming, no event hooks. ``request``
builds the ``httpx.Request`` directly with the client's headers, timeout and
cookies, sends it through the transport httpx picks for the URL (so proxy
mounts and mocks still apply), and reads the whole body.

Kept as httpx does it: the client's default headers under the request's own,
the query parameters, form and JSON bodies, the timeout per request,
cookies sent back when a server set some (the jar is only touched when a
response carries ``Set-Cookie`` or the jar is not empty), exceptions carrying
their request, content decoding (gzip...) when the body is read.
"""

from __future__ import annotations

from typing import Any

import httpx


class LeanClient(httpx.AsyncClient):
    """An ``AsyncClient`` whose ``request`` skips the steps zoomtui's requests never need."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("follow_redirects") or kwargs.get("auth") or kwargs.get("event_hooks"):
            raise ValueError("LeanClient sends without redirects, auth flows or event hooks")
        super().__init__(**kwargs)
        self._lean_extensions = {"timeout": self.timeout.as_dict()}

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        merged = self.headers.copy()
        if headers:
            merged.update(headers)
        request = httpx.Request(
            method,
            url,
            params=params,
            data=data,
            json=json,
            headers=merged,
            extensions=self._lean_extensions,
        )
        if self.cookies:
            self.cookies.set_cookie_header(request)
        transport = self._transport_for_url(request.url)
        try:
            response = await transport.handle_async_request(request)
            response.request = request
            await response.aread()
        except httpx.RequestError as exc:
            if exc._request is None:  # as httpx's own request_context does
                exc.request = request
            raise
        if "set-cookie" in response.headers:
            self.cookies.extract_cookies(response)
        return response
