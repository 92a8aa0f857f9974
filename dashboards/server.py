"""How ``kg dashboard`` serves the dashboard: ``streamlit run dashboards/server.py``.

The app itself is ``app.py``; this file wraps it in Streamlit's ASGI ``st.App`` for one reason:
a deep link such as ``/explore?entity=person:wang-yi`` made Streamlit's page probe its server at
``/explore/_stcore/health`` and ``/explore/_stcore/host-config`` first (404s in every log) before
falling back to ``/_stcore/...``: the frontend guesses the server's base path from the page's path
unless the page says where the server is (``window.__streamlit.BACKEND_BASE_URL``, Streamlit's
setting for hosting). ``BaseUrlAnnouncer`` adds that setting to the HTML page, so the first probe
is the right one. Nothing else changes: AppTest and ``streamlit run dashboards/app.py`` still work.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths that are never the HTML page: Streamlit's API, assets and files with an extension.
_NOT_A_PAGE = re.compile(r"^/(?:_stcore|static|component|media|app/static)/|\.[A-Za-z0-9]+$")
# Runs before Streamlit's bundle (a deferred module script) and tells it where the server is.
ANNOUNCE = (b"<script>window.__streamlit=Object.assign({},window.__streamlit,"
            b"{BACKEND_BASE_URL:window.location.origin+'/'});</script>")


def announce_base_url(html: bytes) -> bytes:
    """The page with ``ANNOUNCE`` as the first thing in its ``<head>`` (unchanged without one)."""
    return re.sub(rb"<head[^>]*>", lambda m: m.group(0) + ANNOUNCE, html, count=1)


class BaseUrlAnnouncer:
    """ASGI middleware: the HTML page gets ``ANNOUNCE``; everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or _NOT_A_PAGE.search(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        # The page uncompressed (it is small), so that it can be edited here.
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        start: Message = {}
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            headers = dict(start.get("headers", []))
            content = bytes(body)
            if headers.get(b"content-type", b"").startswith(b"text/html"):
                content = announce_base_url(content)
            await send({**start, "headers": [(k, str(len(content)).encode() if k.lower() == b"content-length" else v)
                                             for k, v in start.get("headers", [])]})
            await send({"type": "http.response.body", "body": content})

        await self.app(scope, receive, capture)


app = st.App(str(Path(__file__).with_name("app.py")), middleware=[Middleware(BaseUrlAnnouncer)])
