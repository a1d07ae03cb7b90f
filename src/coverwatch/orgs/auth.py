"""FastAPI dependencies: the database session of a request, and who is calling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from coverwatch.db import session_scope
from coverwatch.errors import Forbidden, Unauthorized
from coverwatch.orgs.service import Principal, authenticate


def get_session() -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with session_scope() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


def get_principal(request: Request, session: DbSession) -> Principal:
    """The caller behind the `Authorization: Bearer` API key."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send an API key as 'Authorization: Bearer cw_...'")
    return authenticate(session, token=token.strip())


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_role(principal: Principal, *roles: str, action: str) -> None:
    """Forbidden unless the caller has one of `roles`."""
    if principal.role not in roles:
        raise Forbidden(
            f"{action} needs the role {' or '.join(roles)}; your role is {principal.role}",
            details={"required_roles": list(roles), "role": principal.role},
        )


def writer_roles() -> tuple[str, ...]:
    """Roles allowed to change projects, vendors and certificates."""
    return ("admin", "risk_manager", "project_manager")
