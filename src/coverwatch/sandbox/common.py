"""What the sandbox's routes share: the state of the app serving them, errors, paged lists."""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from coverwatch.sandbox.state import SandboxState


def state_of(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"errors": message}, status_code=status, headers=headers)


def paged(request: Request, items: list[dict[str, Any]]) -> JSONResponse:
    """One page of a v1 list, with Procore's paging headers."""
    page = max(int(request.query_params.get("page", 1)), 1)
    per_page = min(max(int(request.query_params.get("per_page", 100)), 1), 1000)
    last = max(math.ceil(len(items) / per_page), 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    base = str(request.url.remove_query_params(["page", "per_page"]))
    sep = "&" if "?" in base else "?"
    links = [f'<{base}{sep}page=1&per_page={per_page}>; rel="first"']
    if page > 1:
        links.append(f'<{base}{sep}page={page - 1}&per_page={per_page}>; rel="prev"')
    if page < last:
        links.append(f'<{base}{sep}page={page + 1}&per_page={per_page}>; rel="next"')
    links.append(f'<{base}{sep}page={last}&per_page={per_page}>; rel="last"')
    headers = {"Link": ", ".join(links), "Total": str(len(items)), "Per-Page": str(per_page)}
    return JSONResponse(chunk, headers=headers)
