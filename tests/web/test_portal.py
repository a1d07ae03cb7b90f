"""The vendor portal through HTTP: links from real emails, uploads read by the real parser."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.app import create_app
from coverwatch.settings import get_settings
from tests.orgs.factories import Tenant
from tests.outreach.factories import (
    AGENT,
    SUB,
    TUESDAY_MORNING,
    add_sub,
    emails_to,
    file_certificate,
)
from tests.samples import drawn_certificate

LINK = re.compile(r"https?://[^/\s]+(/r/[A-Za-z0-9_.\-]+)")


def _link_in(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def _collection_link() -> str:
    [email] = emails_to(SUB)
    return _link_in(email.text_body)


def test_the_emailed_link_opens_a_page_that_says_who_asks_and_what_is_needed(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    page = client.get(_collection_link())
    assert page.status_code == 200
    assert "Summit Builders, Inc." in page.text and "Acme Roofing, LLC" in page.text
    assert "Harbor View Tower" in page.text
    assert "CG 20 10" in page.text and "additional insured" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert page.headers["x-frame-options"] == "DENY"


def test_a_tampered_link_and_an_expired_one_get_clear_pages_and_a_way_to_a_new_link(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    link = _collection_link()
    tampered = client.get(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert tampered.status_code == 404 and "This link does not work" in tampered.text
    clock.travel(days=31)
    expired = client.get(link)
    assert expired.status_code == 410 and "This link has expired" in expired.text
    renewed = client.post(link + "/renew")
    assert renewed.status_code == 200 and "o•••••@acme-roofing.example" in renewed.text
    [fresh] = emails_to(SUB, kind="new_link")
    assert client.get(_link_in(fresh.text_body)).status_code == 200


def test_a_file_that_is_not_a_certificate_is_refused_on_the_page(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    link = _collection_link()
    response = client.post(
        link + "/upload", files={"file": ("notes.txt", b"hello, this is not a PDF")}
    )
    assert response.status_code == 422
    assert "not a PDF or an image" in response.text


def test_an_uploaded_certificate_is_read_and_answered_then_sent_to_the_agent(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    # In force today, but short of the template's limits.
    pdf, truth = drawn_certificate(gl_each_occurrence=500_000, umbrella=None)
    sub = add_sub(client, tenant, agent=None)
    link = _collection_link()
    response = client.post(link + "/upload", files={"file": ("acord25.pdf", pdf)})
    assert response.status_code == 200  # after the redirect to the answer
    assert "What we read" in response.text
    assert truth.insured.name and truth.insured.name in response.text.replace("&amp;", "&")
    assert 'id="deficiencies"' in response.text
    status = client.get(
        f"/api/v1/project-vendors/{sub.project_vendor_id}", headers=tenant.headers("admin")
    ).json()["status"]
    assert status == "non_compliant"
    sent = client.post(link + "/agent", data={"email": "broker@harbor.example"})
    assert sent.status_code == 200 and "Sent to broker@harbor.example" in sent.text
    [email] = emails_to("broker@harbor.example")
    assert email.kind == "deficiency" and "Please issue a new certificate" in email.text_body
    assert client.get(_link_in(email.text_body)).status_code == 200
    assert not emails_to(AGENT)


def test_send_to_my_agent_refuses_an_address_that_is_not_one(
    client: TestClient, tenant: Tenant
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant, agent=None)
    link = _collection_link()
    file_certificate(client, tenant, sub.vendor_id, gl_each_occurrence=500_000, umbrella=None)
    for address, reason in (
        ("broker@@harbor.example", "invalid characters"),
        ("broker@harbor", "should have a period"),
        ("Broker Lee <broker@harbor.example>", "without a name or angle brackets"),
    ):
        refused = client.post(link + "/agent", data={"email": address})
        assert refused.status_code == 422, (address, refused.text)
        assert "not a valid email address" in refused.text and reason in refused.text, address
    assert [e.kind for e in emails_to(SUB)] == ["collection", "deficiency"]
    sent = client.post(link + "/agent", data={"email": "Broker@Bücher.Example"})
    assert sent.status_code == 200 and "Sent to broker@bücher.example" in sent.text
    [email] = emails_to("broker@bücher.example")
    assert email.kind == "deficiency"


def test_files_too_large_together_get_a_page_not_json(
    client: TestClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.travel(at=TUESDAY_MORNING)
    add_sub(client, tenant)
    link = _collection_link()
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 50_000)
    with TestClient(create_app()) as small:
        response = small.post(
            link + "/upload", files={"file": ("big.pdf", b"%PDF-" + b"0" * 60_000)}
        )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "one at a time" in response.text


def test_a_finding_that_rests_on_a_value_read_badly_is_never_shown_as_a_gap(
    client: TestClient, tenant: Tenant
) -> None:
    from tests.certificates.factories import current_certificate

    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    link = _collection_link()
    # GL $500,000, read with low confidence; no umbrella at all (a sure gap).
    data = current_certificate(gl_each_occurrence=500_000, umbrella=None)
    gl = next(i for i, p in enumerate(data.policies) if p.type == "general_liability")
    data.needs_review = [f"/policies/{gl}/limits/each_occurrence"]
    response = client.post(
        f"/api/v1/vendors/{sub.vendor_id}/certificates",
        headers=tenant.headers("admin"),
        json=data.model_dump(mode="json", by_alias=True),
    )
    assert response.status_code == 201, response.text
    page = client.get(link)
    fixes = re.search(r'id="deficiencies">(.*?)</ol>', page.text, re.S)
    assert fixes is not None and "mbrella" in fixes.group(1)
    assert "$500,000" not in fixes.group(1)
    [to_agent] = emails_to(AGENT, kind="deficiency")
    assert "mbrella" in to_agent.text_body and "$500,000" not in to_agent.text_body
