"""The sandbox's OAuth 2.0 endpoints: authorize (auto-approved) and token, as Procore answers."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from coverwatch.sandbox.common import state_of

OOB = "urn:ietf:wg:oauth:2.0:oob"
router = APIRouter(prefix="/oauth")


@router.get("/authorize", response_model=None)
def authorize(
    request: Request,
    client_id: str,
    redirect_uri: str,
    response_type: str = "code",
    state: str = "",
) -> Response:
    """Auto-approves, as if the admin clicked "Allow"."""
    sandbox = state_of(request)
    if client_id not in sandbox.data.clients or response_type != "code":
        return HTMLResponse("<h1>Unknown client</h1>", status_code=400)
    code = sandbox.issue_code(client_id)
    if redirect_uri == OOB:
        return HTMLResponse(f"<h1>Authorization code</h1><p><code id='code'>{code}</code></p>")
    sep = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{sep}{urlencode({'code': code, 'state': state})}")


@router.post("/token")
def token(
    request: Request,
    grant_type: str = Form(),
    client_id: str = Form(),
    client_secret: str = Form(),
    code: str | None = Form(default=None),
    refresh_token: str | None = Form(default=None),
    redirect_uri: str | None = Form(default=None),
) -> JSONResponse:
    """Procore's token endpoint: the three grants, refresh tokens rotating on every use."""
    sandbox = state_of(request)
    if not sandbox.client_ok(client_id, client_secret):
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    if grant_type == "client_credentials":
        return JSONResponse(sandbox.issue_tokens(client_id, refresh=False))
    if grant_type == "authorization_code":
        if not code or sandbox.take_code(code) != client_id:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(sandbox.issue_tokens(client_id, refresh=True))
    if grant_type == "refresh_token":
        if not refresh_token or sandbox.rotate_refresh(refresh_token) != client_id:
            return JSONResponse(
                {
                    "error": "invalid_grant",
                    "error_description": "The provided authorization grant is invalid, "
                    "expired, revoked, does not match the redirection URI used in the "
                    "authorization request, or was issued to another client.",
                },
                status_code=400,
            )
        return JSONResponse(sandbox.issue_tokens(client_id, refresh=True))
    return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
