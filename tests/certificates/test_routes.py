"""Uploading certificate files through the API: stored, read by a job, evaluated, or refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.orgs.factories import Tenant
from tests.samples import drawn_certificate


def _vendor_on_project(client: TestClient, tenant: Tenant, legal_name: str) -> tuple[int, int]:
    headers = tenant.headers("project_manager")
    project = client.post(
        "/api/v1/projects",
        headers=headers,
        json={"name": "Harbor View Tower", "template": "ground-up"},
    ).json()
    vendor = client.post("/api/v1/vendors", headers=headers, json={"legal_name": legal_name}).json()
    pv = client.post(
        f"/api/v1/projects/{project['id']}/vendors",
        headers=headers,
        json={"vendor_id": vendor["id"]},
    ).json()
    return vendor["id"], pv["id"]


def test_an_uploaded_pdf_is_read_and_evaluated(client: TestClient, tenant: Tenant) -> None:
    pdf, truth = drawn_certificate()
    vendor_id, pv_id = _vendor_on_project(client, tenant, truth.insured.name or "Sub LLC")
    headers = tenant.headers("project_manager")
    response = client.post(
        f"/api/v1/vendors/{vendor_id}/documents",
        headers=headers,
        files={"file": ("acord25.pdf", pdf, "application/octet-stream")},
    )
    assert response.status_code == 202, response.text
    (received,) = response.json()
    certificate = client.get(f"/api/v1/certificates/{received['id']}", headers=headers).json()
    assert certificate["state"] == "parsed", certificate["error"]
    assert certificate["data"]["insured"]["name"] == truth.insured.name
    assert certificate["data"]["source"]["method"] == "text"
    assert len(certificate["data"]["policies"]) == len(truth.policies)
    stored = client.get(f"/api/v1/documents/{certificate['document_id']}", headers=headers)
    assert stored.content == pdf
    evaluations = client.get(
        f"/api/v1/project-vendors/{pv_id}/evaluations", headers=headers
    ).json()["items"]
    assert evaluations[0]["trigger"] == "certificate_read"
    assert evaluations[0]["certificate_ids"] == [received["id"]]
    assert (
        client.get(f"/api/v1/project-vendors/{pv_id}", headers=headers).json()["status"]
        != "pending"
    )


def test_a_raw_pdf_body_and_the_same_file_twice(client: TestClient, tenant: Tenant) -> None:
    sample, _ = drawn_certificate(insured="Lisa Gomez, LLC")
    vendor_id, _ = _vendor_on_project(client, tenant, "Lisa Gomez, LLC")
    headers = {
        **tenant.headers("admin"),
        "Content-Type": "application/pdf",
        "X-Filename": "coi.pdf",
    }
    first = client.post(f"/api/v1/vendors/{vendor_id}/documents", headers=headers, content=sample)
    second = client.post(f"/api/v1/vendors/{vendor_id}/documents", headers=headers, content=sample)
    assert first.status_code == second.status_code == 202
    # Content-addressed: the same bytes are one document, never stored twice.
    assert first.json()[0]["document_id"] == second.json()[0]["document_id"]
    certificate = client.get(
        f"/api/v1/certificates/{first.json()[0]['id']}", headers=headers
    ).json()
    assert certificate["state"] == "parsed"
    assert certificate["data"]["source"]["method"] == "text"


def test_bad_files_get_one_clear_error_and_lose_nothing(client: TestClient, tenant: Tenant) -> None:
    vendor_id, _ = _vendor_on_project(client, tenant, "Acme Roofing, LLC")
    headers = tenant.headers("project_manager")
    url = f"/api/v1/vendors/{vendor_id}/documents"

    empty = client.post(url, headers=headers, files={"file": ("a.pdf", b"", "application/pdf")})
    assert empty.status_code == 422 and "empty" in empty.json()["error"]["message"]
    word = client.post(
        url, headers=headers, files={"file": ("a.docx", b"PK\x03\x04 word", "application/pdf")}
    )
    assert word.status_code == 415
    assert word.json()["error"]["code"] == "unsupported_media_type"
    missing = client.post(url, headers=headers, files={"other": ("x.pdf", b"%PDF-1.7")})
    assert missing.status_code == 422

    corrupt = client.post(
        url, headers=headers, files={"file": ("bad.pdf", b"%PDF-1.7\n garbage", "application/pdf")}
    )
    assert corrupt.status_code == 202
    certificate = client.get(
        f"/api/v1/certificates/{corrupt.json()[0]['id']}", headers=headers
    ).json()
    assert certificate["state"] == "failed"
    assert certificate["error"].split(":")[0] in {"corrupt_file", "not_a_certificate"}
    # The file is kept even though it could not be read: nothing a sub sends is lost.
    kept = client.get(f"/api/v1/documents/{certificate['document_id']}", headers=headers)
    assert kept.content == b"%PDF-1.7\n garbage"


def test_uploads_need_a_writer_and_the_vendor_of_ones_own_organization(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    vendor_id, _ = _vendor_on_project(client, tenant, "Acme Roofing, LLC")
    files = {"file": ("a.pdf", b"%PDF-1.7", "application/pdf")}
    url = f"/api/v1/vendors/{vendor_id}/documents"
    assert client.post(url, files=files).status_code == 401
    assert client.post(url, headers=tenant.headers("viewer"), files=files).status_code == 403
    assert client.post(url, headers=other_tenant.headers("admin"), files=files).status_code == 404


def test_a_pdf_after_a_byte_order_mark_is_read_and_other_files_still_get_415(
    client: TestClient, tenant: Tenant
) -> None:
    # Some systems that save or mail a certificate put a BOM or a few stray bytes before
    # `%PDF-`; the parser reads such a file, so the API takes it.
    pdf, truth = drawn_certificate()
    vendor_id, _ = _vendor_on_project(client, tenant, truth.insured.name or "Sub LLC")
    headers = tenant.headers("project_manager")
    url = f"/api/v1/vendors/{vendor_id}/documents"
    prefixed = b"\xef\xbb\xbf\r\n\x00junk " + pdf
    response = client.post(url, headers=headers, files={"file": ("coi.pdf", prefixed)})
    assert response.status_code == 202, response.text
    certificate = client.get(
        f"/api/v1/certificates/{response.json()[0]['id']}", headers=headers
    ).json()
    assert certificate["state"] == "parsed", certificate["error"]
    assert certificate["data"]["insured"]["name"] == truth.insured.name
    stored = client.get(f"/api/v1/documents/{certificate['document_id']}", headers=headers)
    assert stored.content == prefixed
    assert stored.headers["content-type"].startswith("application/pdf")

    for name, content in [
        ("notes.txt", b"\xef\xbb\xbfnot a certificate, just text"),
        ("late.pdf", b"\xef\xbb\xbf" + b" " * 2048 + pdf),  # header past where readers look
    ]:
        refused = client.post(url, headers=headers, files={"file": (name, content)})
        assert refused.status_code == 415, (name, refused.text)
        assert refused.json()["error"]["code"] == "unsupported_media_type"
