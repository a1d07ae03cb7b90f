"""A small HTTP server on loopback whose answers each test writes, for what the sandbox never does.

    scripted.answer = lambda seen: Answer(429, headers=[("Retry-After", "soon")])
    client = scripted_client(scripted.url, retry=RetryPolicy())
    assert [s.method for s in scripted.seen] == ["GET", "GET"]

It answers every path and method; `seen` lists the requests in the order they came.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.ratelimit import MemoryBudget
from coverwatch.procore.retries import RetryPolicy
from coverwatch.server import ServerThread


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    params: dict[str, str]


@dataclass
class Answer:
    """What to answer: status, headers (a list, so a name may repeat), JSON body, and a delay."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    delay: float = 0.0


def _ok(_seen: Seen) -> Answer:
    return Answer(body={})


class ScriptedServer(ServerThread):
    """Answers every request with `answer(seen)`; `reset()` between tests."""

    def __init__(self) -> None:
        self.answer: Callable[[Seen], Answer] = _ok
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        app = Starlette(
            routes=[
                Route(
                    "/{path:path}",
                    self._endpoint,
                    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                )
            ]
        )
        super().__init__(app)

    def reset(self) -> None:
        with self._lock:
            self.answer = _ok
            self.seen = []

    def requests(self, method: str) -> list[Seen]:
        """The requests received with `method`."""
        with self._lock:
            return [s for s in self.seen if s.method == method]

    async def _endpoint(self, request: Request) -> Response:
        seen = Seen(request.method, request.url.path, dict(request.query_params))
        with self._lock:
            self.seen.append(seen)
            answer = self.answer(seen)
        if answer.delay:
            await asyncio.sleep(answer.delay)
        response = JSONResponse(answer.body, status_code=answer.status)
        for name, value in answer.headers:
            response.raw_headers.append((name.lower().encode(), value.encode()))
        return response


def scripted_client(
    url: str,
    *,
    retry: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> ProcoreClient:
    """A client of the server at `url`, with a token of its own and a fresh rate budget."""
    return ProcoreClient(
        api_base_url=url,
        company_id=7,
        token=lambda _rejected: "scripted-token",
        budget_key="scripted",
        budget=MemoryBudget(),
        retry=retry,
        sleep=sleep,
    )
