"""Bulk import through the API: the summary, the queue, the hold on emails, a second run."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient

from tests.imports.generator import make_import
from tests.imports.helpers import emails_to, on_file, upload
from tests.orgs.factories import Tenant

SMALL = {"text_deficient": 6, "fillable": 0, "scan": 0, "none": 5}


def test_import_holds_every_email_until_tracking_starts_and_a_second_run_changes_nothing(
    client: TestClient, tenant: Tenant, project_id: int
) -> None:
    generated = make_import(40, kinds=SMALL)
    before = on_file()
    response = upload(client, tenant, generated, project_id=project_id)
    assert response.status_code == 202, response.text
    import_id = response.json()["id"]
    body = client.get(f"/api/v1/imports/{import_id}", headers=tenant.headers()).json()
    assert body["state"] == "ready"
    summary = body["summary"]
    assert summary["vendors"]["vendors"] == 40
    assert summary["vendors"]["create"] == 40
    assert summary["vendors"]["merged_rows"] == generated.duplicate_rows
    files = summary["files"]
    assert files["read"] == generated.certificate_files + generated.unknown_insured
    assert files["failed"] == generated.corrupt
    assert files["duplicate"] == generated.duplicates
    assert files["skipped"] == generated.not_certificates
    assert files["unmatched"] == generated.unknown_insured + generated.corrupt
    assert files["matched"] == generated.certificate_files
    assert summary["statuses"] == {
        "compliant": generated.expected["compliant"],
        "deficient": generated.expected["deficient_text"],
        "needs_review": 0,
        "missing": generated.expected["missing"],
    }
    # The queue: the certificate of a company not on the list, and the corrupt PDF, with why.
    queue = client.get(
        f"/api/v1/imports/{import_id}/files?queue=true", headers=tenant.headers()
    ).json()
    assert queue["total"] == 2
    reasons = {f["path"]: (f["error"] or f["match_note"]) for f in queue["items"]}
    assert "damaged" in reasons["COIs/misc/broken.pdf"]
    assert "under 90" in reasons["COIs/misc/unknown-co.pdf"]
    # Misspelt names were matched with their score shown.
    scores = client.get(
        f"/api/v1/imports/{import_id}/files?per_page=500", headers=tenant.headers()
    ).json()
    near = [f for f in scores["items"] if f["matched_by"] == "name" and f["match_score"] < 100]
    assert near and all(f["match_score"] >= 90 for f in near)
    # Nothing is on file and nobody is emailed before "Start tracking".
    assert on_file() == before
    started = client.post(f"/api/v1/imports/{import_id}/start", headers=tenant.headers())
    assert started.status_code == 202, started.text
    body = client.get(f"/api/v1/imports/{import_id}", headers=tenant.headers()).json()
    assert body["state"] == "tracking"
    assert body["summary"]["result"]["created"] == 40
    after = on_file()
    assert after["vendors"] == before["vendors"] + 40
    assert after["project_vendors"] == before["project_vendors"] + 40
    assert after["certificates"] == before["certificates"] + generated.certificate_files
    # The normal flow: a request to each sub with nothing on file, a fix list to each short one.
    missing = [v for v in generated.vendors if v.kind == "none"]
    short = [v for v in generated.vendors if v.kind == "text_deficient"]
    fine = [v for v in generated.vendors if v.kind == "text"]
    assert all(emails_to(v.email) for v in missing + short)
    assert all(e.kind == "collection" for v in missing for e in emails_to(v.email))
    assert not any(emails_to(v.email) for v in fine)
    assert client.post(f"/api/v1/imports/{import_id}/start", headers=tenant.headers()).is_success
    assert on_file() == after

    # The same files again: every vendor unchanged, nothing put on file, nobody emailed again.
    again = upload(client, tenant, generated, project_id=project_id).json()
    assert again["summary"]["vendors"]["unchanged"] == 40, again["summary"]
    assert again["summary"]["vendors"]["create"] == 0
    assert client.post(f"/api/v1/imports/{again['id']}/start", headers=tenant.headers()).is_success
    assert on_file() == after


def test_a_person_assigns_a_queued_file(
    client: TestClient, tenant: Tenant, project_id: int
) -> None:
    generated = make_import(12, kinds={"none": 2})
    import_id = upload(client, tenant, generated, project_id=project_id).json()["id"]
    queued = client.get(
        f"/api/v1/imports/{import_id}/files?queue=true", headers=tenant.headers()
    ).json()["items"]
    unknown = next(f for f in queued if f["path"].endswith("unknown-co.pdf"))
    vendors = client.get(f"/api/v1/imports/{import_id}/vendors", headers=tenant.headers()).json()
    target = next(v for v in vendors["items"] if v["preview_status"] == "pending")
    picked = client.put(
        f"/api/v1/imports/{import_id}/files/{unknown['id']}",
        headers=tenant.headers("risk_manager"),
        json={"import_vendor_id": target["id"]},
    )
    assert picked.status_code == 200, picked.text
    assert picked.json()["matched_by"] == "person"
    summary = client.get(f"/api/v1/imports/{import_id}", headers=tenant.headers()).json()
    assert summary["summary"]["files"]["unmatched"] == 1
    assert summary["summary"]["statuses"]["missing"] == 1


def test_another_tenants_import_is_not_found(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, project_id: int
) -> None:
    import_id = upload(client, tenant, make_import(5, kinds={}), project_id=project_id).json()["id"]
    for method, path in (
        ("get", f"/api/v1/imports/{import_id}"),
        ("get", f"/api/v1/imports/{import_id}/files"),
        ("post", f"/api/v1/imports/{import_id}/start"),
    ):
        response = client.request(method, path, headers=other_tenant.headers())
        assert response.status_code == 404, (path, response.text)
    assert client.get("/api/v1/imports", headers=other_tenant.headers()).json()["total"] == 0


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _post(client: TestClient, tenant: Tenant, sheet: bytes, archive: bytes | None, **data: str):  # type: ignore[no-untyped-def]
    files = {"vendors": ("vendors.csv", sheet)}
    if archive is not None:
        files["certificates"] = ("c.zip", archive)
    return client.post("/api/v1/imports", headers=tenant.headers(), files=files, data=data)


def test_bad_input_is_refused_with_a_clear_message(client: TestClient, tenant: Tenant) -> None:
    sheet = b"Subcontractor,Email\nAcme Roofing LLC,office@acme.example\n"
    cases = [
        (b"Firm title,Where\nAcme,Here\n", None, 422, "no_name_column"),
        (b"%PDF-1.7 not a list", None, 415, "not_a_spreadsheet"),
        (b"", None, 422, "unreadable_spreadsheet"),
        (sheet, b"not a zip at all", 415, "not_an_archive"),
        (sheet, _zip({"../../etc/passwd.pdf": b"%PDF-1.4"}), 422, "unsafe_archive"),
        (sheet, _zip({"bomb.pdf": b"\0" * (30 * 1024 * 1024)}), 413, "archive_too_large"),
    ]
    for content, archive, code, error in cases:
        response = _post(client, tenant, content, archive)
        assert response.status_code == code, (error, response.text)
        assert response.json()["error"]["code"] == error
        assert response.json()["error"]["message"]
    assert client.get("/api/v1/imports", headers=tenant.headers()).json()["total"] == 0
    # A viewer may look but not import.
    refused = client.post(
        "/api/v1/imports", headers=tenant.headers("viewer"), files={"vendors": ("v.csv", sheet)}
    )
    assert refused.status_code == 403


def test_the_user_corrects_the_mapping_before_running(
    client: TestClient, tenant: Tenant, project_id: int
) -> None:
    sheet = (
        b"Firm title,Mail to\nAcme Roofing LLC,office@acme.example\n,\n"
        b"Beta Paving Inc,b@b.example\n"
    )
    created = _post(client, tenant, sheet, None, run="false")
    assert created.status_code == 202, created.text
    body = created.json()
    assert body["state"] == "mapping" and body["mapping"]["vendor_name"] is None
    assert body["mapping"]["contact_email"] == 1
    refused = client.post(f"/api/v1/imports/{body['id']}/run", headers=tenant.headers())
    assert refused.status_code == 422 and "vendor name" in refused.json()["error"]["message"]
    fixed = client.put(
        f"/api/v1/imports/{body['id']}/mapping",
        headers=tenant.headers(),
        json={
            "mapping": {"vendor_name": "Firm title", "contact_email": 1},
            "project_id": project_id,
        },
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["preview"][0] == {
        "vendor_name": "Acme Roofing LLC",
        "contact_email": "office@acme.example",
    }
    ran = client.post(f"/api/v1/imports/{body['id']}/run", headers=tenant.headers()).json()
    assert ran["state"] == "ready"
    assert ran["summary"]["statuses"]["missing"] == 2
