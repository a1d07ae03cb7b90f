"""The API client against the sandbox over HTTP: tokens, paging, limits, retries, errors."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from coverwatch.db import session_scope
from coverwatch.procore import oauth, service
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.errors import (
    ProcoreAuthError,
    ProcoreNotFound,
    ProcoreStatusError,
    ProcoreTransportError,
)
from coverwatch.procore.models import ProcoreConnection
from coverwatch.procore.oauth import TokenStore
from tests.orgs.factories import Tenant
from tests.procore.conftest import FAST_RETRY
from tests.procore.factories import CLIENT_ID, CLIENT_SECRET, SandboxAdmin, make_connection


def _client(tenant: Tenant, sandbox: SandboxAdmin, company_id: int) -> ProcoreClient:
    connection = make_connection(
        org_id=tenant.org_id, sandbox_url=sandbox.url, company_id=company_id
    )
    return service.client_for(connection)


def test_authorization_code_install_and_rotating_refresh(
    tenant: Tenant, sandbox: SandboxAdmin
) -> None:
    company = sandbox.company()
    with httpx.Client() as http:
        url = oauth.authorize_url(
            login_base_url=sandbox.url,
            client_id=CLIENT_ID,
            redirect_uri=oauth.OOB_REDIRECT_URI,
            state="xyz",
        )
        page = http.get(url).text
        code = page.split("<code id='code'>")[1].split("</code>")[0]
        tokens = oauth.exchange_code(
            http=http,
            login_base_url=sandbox.url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            code=code,
            redirect_uri=oauth.OOB_REDIRECT_URI,
        )
        with pytest.raises(ProcoreAuthError):  # a code is single-use
            oauth.exchange_code(
                http=http, login_base_url=sandbox.url, client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET, code=code, redirect_uri=oauth.OOB_REDIRECT_URI,
            )  # fmt: skip
    with session_scope() as session:
        connection = service.create_connection(
            session,
            org_id=tenant.org_id,
            environment="local",
            company_id=company["id"],
            grant_type="authorization_code",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            tokens=tokens,
            api_base_url=sandbox.url,
        )
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None and row.refresh_token_encrypted
        assert tokens.refresh_token not in row.refresh_token_encrypted  # encrypted at rest
        first_refresh = row.refresh_token_encrypted
    client = service.client_for(connection)
    sandbox._call("POST", "/expire-tokens")
    TokenStore._cache.clear()
    assert client.companies()[0]["id"] == company["id"]  # refreshed behind the scenes
    with session_scope() as session:
        row = session.get(ProcoreConnection, connection.id)
        assert row is not None and row.refresh_token_encrypted != first_refresh
    # The old refresh token died when it was used: only the stored new one works.
    sandbox._call("POST", "/expire-tokens")
    TokenStore._cache.clear()
    assert client.companies()


def test_paging_follows_link_and_total(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    company = sandbox.company()
    [project_id] = sandbox.seed(company["id"], projects=1, vendors_per_project=230)
    client = _client(tenant, sandbox, company["id"])
    vendors = list(client.paginate(f"/rest/v1.0/projects/{project_id}/vendors", per_page=100))
    assert len(vendors) == 230 and len({v["id"] for v in vendors}) == 230
    assert sandbox.stats()["requests"] == 3


def test_5xx_and_slow_answers_are_retried(
    tenant: Tenant, sandbox: SandboxAdmin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "retry_policy", replace(FAST_RETRY, timeout=0.3, attempts=12))
    company = sandbox.company()
    project = sandbox.project(company["id"])
    client = _client(tenant, sandbox, company["id"])
    client.companies()  # token fetched before faults are on
    sandbox.configure(fail_500_rate=0.3, slow_rate=0.2, slow_seconds=0.6, seed=20261125)
    for _ in range(8):
        assert client.project(project["id"])["id"] == project["id"]
    stats = sandbox.stats()
    assert stats["injected_500"] + stats["slow"] > 0


def test_errors_are_translated(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    company = sandbox.company()
    client = _client(tenant, sandbox, company["id"])
    with pytest.raises(ProcoreNotFound):
        client.project(424242)
    sandbox.configure(fail_500_rate=1.0)
    with pytest.raises(ProcoreStatusError) as caught:
        client.project(424242)
    assert caught.value.status == 500
    dead = ProcoreClient(
        api_base_url="http://127.0.0.1:9",
        company_id=1,
        token=lambda _rejected: "t",
        budget_key="dead",
        retry=FAST_RETRY,
    )
    with pytest.raises(ProcoreTransportError):
        dead.companies()


def test_company_header_is_always_sent(tenant: Tenant, sandbox: SandboxAdmin) -> None:
    company = sandbox.company()
    project = sandbox.project(company["id"])
    client = _client(tenant, sandbox, company["id"])
    client.companies()  # the token first: the token endpoint takes no company header
    seen: list[str | None] = []
    original = client.http.request

    def spy(*args: object, **kwargs: object) -> httpx.Response:
        seen.append(dict(kwargs["headers"]).get("Procore-Company-Id"))  # type: ignore[call-overload]
        return original(*args, **kwargs)  # type: ignore[arg-type]

    client.http.request = spy  # type: ignore[method-assign]
    client.project(project["id"])
    assert seen == [str(company["id"])]
