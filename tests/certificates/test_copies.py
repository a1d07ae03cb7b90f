"""Copies of the same policies on file: a worse reading never overrides a sure one."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coverwatch import clock
from coverwatch.certificates.copies import combine
from coverwatch.certificates.schemas import CertificateData
from tests.orgs.factories import Tenant
from tests.requirements.factories import make_certificate


def _gl(data: CertificateData) -> int:
    return next(i for i, p in enumerate(data.policies) if p.type == "general_liability")


def _wc(data: CertificateData) -> int:
    return next(i for i, p in enumerate(data.policies) if p.type == "workers_comp")


def _photo_of(pdf: CertificateData, **changes: Any) -> CertificateData:
    """The same certificate read from a photo: what `changes` says, and those values flagged."""
    gl, wc = _gl(pdf), _wc(pdf)
    policies = [p.model_copy() for p in pdf.policies]
    policies[gl] = policies[gl].model_copy(
        update={"limits": {**policies[gl].limits, "each_occurrence": 200_000}}
    )
    policies[wc] = policies[wc].model_copy(update={"statutory": None})
    flags = [f"/policies/{gl}/limits/each_occurrence", "/insured/name"]
    insured = pdf.insured.model_copy(update={"name": "ACME ROOF1NG LLC"})
    update = {"policies": policies, "insured": insured, "needs_review": flags, **changes}
    return pdf.model_copy(update=update)


def test_a_photo_of_a_certificate_read_surely_adds_no_doubt_and_no_misreading() -> None:
    pdf = make_certificate()
    pdf = pdf.model_copy(
        update={
            "policies": [
                p.model_copy(update={"statutory": True}) if p.type == "workers_comp" else p
                for p in pdf.policies
            ]
        }
    )
    newer, older = combine([_photo_of(pdf), pdf])
    # The photo keeps the policies, with the sure values of the PDF where it read badly or
    # not at all; the PDF's copies are not counted twice.
    assert newer.policies[_gl(newer)].limits["each_occurrence"] == 2_000_000
    assert newer.policies[_wc(newer)].statutory is True
    assert newer.insured.name == "Acme Roofing, LLC"
    assert newer.needs_review == []
    assert older.policies == [] and older.needs_review == []


def test_a_value_a_newer_copy_reads_surely_is_a_change_that_counts() -> None:
    pdf = make_certificate()
    gl = _gl(pdf)
    lowered = [p.model_copy() for p in pdf.policies]
    lowered[gl] = lowered[gl].model_copy(update={"limits": {"each_occurrence": 500_000}})
    newer, _older = combine([pdf.model_copy(update={"policies": lowered}), pdf])
    limits = newer.policies[gl].limits
    assert limits["each_occurrence"] == 500_000
    # A limit the newer copy does not print at all is taken from the older one.
    assert limits["general_aggregate"] == pdf.policies[gl].limits["general_aggregate"]


def test_an_unsure_older_reading_fills_nothing_and_a_renewal_replaces_nothing() -> None:
    pdf = make_certificate()
    gl = _gl(pdf)
    unsure = pdf.model_copy(update={"needs_review": [f"/policies/{gl}/limits/each_occurrence"]})
    newer, _ = combine([_photo_of(pdf), unsure])
    assert newer.policies[_gl(newer)].limits["each_occurrence"] == 200_000
    assert f"/policies/{gl}/limits/each_occurrence" in newer.needs_review
    renewed = [
        p.model_copy(update={"policy_number": (p.policy_number or "") + "-R"}) for p in pdf.policies
    ]
    renewal, expiring = combine([pdf.model_copy(update={"policies": renewed}), pdf])
    assert len(renewal.policies) == len(expiring.policies) == len(pdf.policies)


def test_flags_of_an_older_document_follow_its_remaining_policies() -> None:
    pdf = make_certificate()
    gl = _gl(pdf)
    last = len(pdf.policies) - 1
    # An older document with the same GL and an extra row read badly, after the GL in order.
    extra = pdf.policies[last].model_copy(update={"policy_number": "XTRA-1"})
    older = pdf.model_copy(
        update={
            "policies": [pdf.policies[gl], extra],
            "needs_review": ["/policies/1/limits", "/policies/0/limits/each_occurrence"],
        }
    )
    only_gl = pdf.model_copy(update={"policies": [pdf.policies[gl]], "needs_review": []})
    _newer, rest = combine([only_gl, older])
    assert [p.policy_number for p in rest.policies] == ["XTRA-1"]
    assert rest.needs_review == ["/policies/0/limits"]


def test_flags_in_the_dotted_form_are_understood() -> None:
    pdf = make_certificate()
    gl = _gl(pdf)
    photo = _photo_of(pdf, needs_review=[f"policies[{gl}].limits.each_occurrence"])
    newer, _ = combine([photo, pdf])
    assert newer.needs_review == []
    assert newer.policies[gl].limits["each_occurrence"] == 2_000_000


def test_a_phone_photo_after_the_pdf_leaves_a_compliant_sub_compliant(
    client: TestClient, tenant: Tenant
) -> None:
    from coverwatch.demo.certificates import demo_pairs
    from tests.outreach.factories import TUESDAY_MORNING, add_sub
    from tests.parsing.scans import make_scan

    clock.travel(at=TUESDAY_MORNING)
    sub = add_sub(client, tenant)
    files = demo_pairs(
        insured="Acme Roofing, LLC", holder="Summit Builders, Inc.", today=clock.today()
    )
    pdf = next(v for k, v in files.items() if k.endswith("corrected.pdf"))
    headers = tenant.headers("admin")
    url = f"/api/v1/vendors/{sub.vendor_id}/documents"
    status = f"/api/v1/project-vendors/{sub.project_vendor_id}"
    assert client.post(url, headers=headers, files={"file": ("coi.pdf", pdf)}).status_code == 202
    assert client.get(status, headers=headers).json()["status"] == "compliant"
    # A photo of the same certificate: OCR misses the PER STATUTE box and doubts other values.
    photo = make_scan(pdf, seed=5)
    (read,) = client.post(url, headers=headers, files={"file": ("coi.jpg", photo)}).json()
    certificate = client.get(f"/api/v1/certificates/{read['id']}", headers=headers).json()
    assert certificate["data"]["source"]["method"] == "ocr" and certificate["needs_review"]
    after = client.get(status, headers=headers).json()
    assert after["status"] == "compliant", after
    assert client.get("/api/v1/review-queue", headers=headers).json()["items"] == []
