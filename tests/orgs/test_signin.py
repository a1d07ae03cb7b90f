"""Sign-in over HTTP: sessions and hand-offs each good for their purpose only, and for a while
only; password hashes brought up to date when the password is given."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

from coverwatch import clock
from coverwatch.db import session_scope
from coverwatch.orgs import passwords
from coverwatch.orgs import service as orgs
from coverwatch.settings import get_settings
from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, TUESDAY_MORNING, add_sub, emails_to

PASSWORD = "correct horse battery staple"
ROLE = "risk_manager"
LINK = re.compile(r"https?://[^/\s]+/r/([\w.\-]+)")


def _email(tenant: Tenant) -> str:
    return f"{ROLE}@{tenant.slug}.example"


def _set_hash(tenant: Tenant, password_hash: str) -> None:
    with session_scope() as session:
        user = orgs.get_user(session, org_id=tenant.org_id, email=_email(tenant))
        user.password_hash = password_hash


def _stored_hash(tenant: Tenant) -> str | None:
    with session_scope() as session:
        return orgs.get_user(session, org_id=tenant.org_id, email=_email(tenant)).password_hash


def _sign_in(web: TestClient, tenant: Tenant, password: str = PASSWORD) -> tuple[str, str]:
    """The session cookie and the popup's hand-off token of a successful sign-in."""
    response = web.post(
        "/signin", data={"email": _email(tenant), "password": password, "popup": "1"}
    )
    assert response.status_code == 200, response.text
    cookie = re.search(r"coverwatch_session=([^;]+)", response.headers["set-cookie"])
    handoff = re.search(r'data-handoff="([^"]+)"', response.text)
    assert cookie and handoff
    return cookie.group(1), handoff.group(1)


def _dashboard(web: TestClient, cookie: str) -> int:
    """The dashboard's status for a visitor with only this cookie: 200 signed in, 303 not."""
    bare = TestClient(web.app, base_url="https://testserver")
    headers = {"Cookie": f"coverwatch_session={cookie}"}
    return bare.get("/dashboard", headers=headers, follow_redirects=False).status_code


def _handed_off(web: TestClient, token: str) -> bool:
    """Whether the panel turns `token` into a session cookie."""
    bare = TestClient(web.app, base_url="https://testserver")
    response = bare.post("/procore/panel/session", data={"handoff": token}, follow_redirects=False)
    assert response.status_code == 303
    return "coverwatch_session=" in response.headers.get("set-cookie", "")


def test_each_token_is_good_for_its_own_purpose_only(web: TestClient, tenant: Tenant) -> None:
    clock.travel(at=TUESDAY_MORNING)
    _set_hash(tenant, passwords.hash_password(PASSWORD))
    add_sub(web, tenant)
    [request_email] = emails_to(SUB)
    found = LINK.search(request_email.text_body)
    assert found
    link = found.group(1)
    session, handoff = _sign_in(web, tenant)
    # One format, a salt per purpose. The salts are pinned: changing one ends every session (or
    # breaks every link already emailed).
    secret = get_settings().resolved_secret_key
    with session_scope() as db:
        user = orgs.get_user(db, org_id=tenant.org_id, email=_email(tenant))
        ids = [user.id, tenant.org_id]
    assert URLSafeTimedSerializer(secret, salt="coverwatch.web.session").loads(session) == ids
    assert URLSafeTimedSerializer(secret, salt="coverwatch.web.handoff").loads(handoff) == ids
    assert URLSafeSerializer(secret, salt="coverwatch.outreach.link").loads(link)[1] == "sub"

    assert _dashboard(web, session) == 200
    assert web.get(f"/r/{link}").status_code == 200
    assert _handed_off(web, handoff)
    # A magic link or a hand-off is not a session cookie ...
    assert _dashboard(web, link) == 303
    assert _dashboard(web, handoff) == 303
    # ... a session is not a magic link ...
    for token in (session, handoff):
        page = web.get(f"/r/{token}")
        assert page.status_code == 404 and "This link does not work" in page.text
    # ... and neither a session nor a link is a hand-off.
    assert not _handed_off(web, session)
    assert not _handed_off(web, link)
    # An altered session is no session.
    assert _dashboard(web, session[:-2] + ("AA" if not session.endswith("AA") else "BB")) == 303


def test_sessions_and_hand_offs_expire(web: TestClient, tenant: Tenant) -> None:
    _set_hash(tenant, passwords.hash_password(PASSWORD))
    session, handoff = _sign_in(web, tenant)
    clock.travel(hours=1)
    assert not _handed_off(web, handoff)  # a hand-off is good for two minutes
    clock.travel(hours=6.9)
    assert _dashboard(web, session) == 200
    clock.travel(hours=0.2)  # past the eight hours of a session
    assert _dashboard(web, session) == 303
    session, handoff = _sign_in(web, tenant)
    assert _dashboard(web, session) == 200 and _handed_off(web, handoff)


def test_a_hash_made_with_weaker_parameters_is_remade_at_sign_in(
    web: TestClient, tenant: Tenant
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    assert passwords.needs_rehash(weak)
    _set_hash(tenant, weak)
    # A wrong password changes nothing.
    wrong = web.post("/signin", data={"email": _email(tenant), "password": "guess"})
    assert wrong.status_code == 401
    assert _stored_hash(tenant) == weak
    session, _handoff = _sign_in(web, tenant)
    remade = _stored_hash(tenant)
    assert remade is not None and remade != weak
    assert passwords.verify_password(remade, PASSWORD) and not passwords.needs_rehash(remade)
    assert _dashboard(web, session) == 200
    # Signing in again with a current hash leaves it as it is.
    _sign_in(web, tenant)
    assert _stored_hash(tenant) == remade


def test_a_user_created_with_a_password_signs_in_with_it(web: TestClient, tenant: Tenant) -> None:
    with session_scope() as session:
        orgs.create_user(
            session,
            org_id=tenant.org_id,
            email="Dana@Summit.Example",
            role="viewer",
            password=PASSWORD,
        )
    response = web.post("/signin", data={"email": "DANA@summit.example", "password": PASSWORD})
    assert response.status_code == 200, response.text
    with session_scope() as session:
        user = orgs.get_user(session, org_id=tenant.org_id, email="dana@summit.example")
        # Made by the hasher sign-in checks with: nothing to remake.
        assert user.password_hash and not passwords.needs_rehash(user.password_hash)
