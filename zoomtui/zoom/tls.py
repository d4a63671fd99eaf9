"""One TLS context for every HTTP client of the process.

Why: httpx builds a fresh ``SSLContext`` for each client and loads the whole CA bundle
into it (0.05-0.2 s of CPU each). A Zoom client holds several connection lanes, and
``aggregate --all-profiles`` makes a client per profile, so 20 profiles spent seconds of
CPU on identical contexts. The context is httpx's own (``create_ssl_context``: certifi,
or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), built once per value of those variables;
verification stays on, and an ``SSLContext`` is safe to share between clients.
"""

from __future__ import annotations

import functools
import os
import ssl

import httpx


def tls_context() -> ssl.SSLContext:
    """The verifying context httpx would build, shared while the CA variables are unchanged."""
    return _context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    del cert_file, cert_dir  # the cache key: httpx reads them from the environment itself
    return httpx.create_ssl_context()
