"""The Centre's logs as JSON lines on stderr (one object a line: what journald, Docker and log shippers
read without a parser of their own), and one line per request with its status, duration and who sent it.

No secret reaches a log: requests are logged by method and path (no query, no header), who sent them by
district id or advisor name.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = "ssd_starter.centre"
access_log = logging.getLogger(f"{LOGGER}.access")


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "pid", "message", …fields}`` (the pid tells several workers apart); the
    fields of ``extra={"fields": {…}}`` are merged in, a traceback goes under ``error``. Usable from a logging
    configuration file as ``"()": "ssd_starter.centre.logs.JsonFormatter"`` (packaging/centre/logging.json
    does, for uvicorn's own)."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "pid": record.process,
            "message": record.getMessage()}
        document.update(getattr(record, "fields", {}))
        if record.exc_info:
            document["error"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False, default=str)


def configure(log_format: str = "json") -> None:
    """Send the Centre's own loggers to stderr, as JSON lines (or plain text), once per process. Left alone
    when a logging configuration already gave them a handler (uvicorn's ``--log-config``)."""
    logger = logging.getLogger(LOGGER)
    if logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class AccessLog:
    """Pure ASGI middleware: after each HTTP request one line with method, path, status, milliseconds, the
    client's address and the principal the authentication put in the request's state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]
        state = scope.setdefault("state", {})  # where request.state writes: the same dict, read afterwards

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            client = scope.get("client")
            access_log.info("%s %s %s", scope["method"], scope["path"], status[0], extra={"fields": {
                "event": "request", "method": scope["method"], "path": scope["path"], "status": status[0],
                "ms": round((time.perf_counter() - started) * 1000, 1), "client": client[0] if client else None,
                "principal": state.get("principal")}})
