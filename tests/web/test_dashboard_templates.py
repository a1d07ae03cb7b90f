"""The dashboard's template page: preview whose status an edit would change, then save it."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.orgs.factories import Tenant
from tests.outreach.factories import SUB, emails_to
from tests.requirements.test_template_changes import _compliant_sub, _raised, _spec, _status
from tests.web.test_dashboard import _web

PAGE = "/dashboard/templates/ground-up"


def _token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_risk_manager_previews_an_edit_then_saves_it(client: TestClient, tenant: Tenant) -> None:
    sub = _compliant_sub(client, tenant)
    web = _web(client, tenant, "risk_manager")
    listing = web.get("/dashboard/templates")
    assert listing.status_code == 200 and 'href="/dashboard/templates/ground-up"' in listing.text
    page = web.get(PAGE)
    assert page.status_code == 200 and 'id="spec"' in page.text
    raised = json.dumps(_raised(_spec(client, tenant), 20_000_000))
    form = {"form_token": _token(page.text), "spec": raised}
    preview = web.post(PAGE, data={**form, "action": "preview"})
    assert preview.status_code == 200
    row = re.search(rf'id="change-{sub.project_vendor_id}">(.*?)</tr>', preview.text, re.S)
    assert row is not None and "Acme Roofing, LLC" in row.group(1)
    assert "Not compliant" in row.group(1) and "$20,000,000" in row.group(1)
    assert _status(client, tenant, sub) == "compliant"  # nothing saved by a preview
    saved = web.post(PAGE, data={**form, "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    after = web.get(saved.headers["location"])
    assert 'id="saved"' in after.text and "wait 30 minutes" in after.text
    assert _status(client, tenant, sub) == "non_compliant"
    assert emails_to(SUB, kind="deficiency") == []  # held for the grace period


def test_bad_json_a_forged_form_and_a_project_manager_save_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    web = _web(client, tenant, "risk_manager")
    token = _token(web.get(PAGE).text)
    bad = web.post(PAGE, data={"form_token": token, "spec": "{not json", "action": "save"})
    assert bad.status_code == 422 and "not valid JSON" in bad.text
    assert "{not json" in bad.text  # the text typed is kept to fix
    invalid = web.post(
        PAGE, data={"form_token": token, "spec": '{"lines": "x"}', "action": "preview"}
    )
    assert invalid.status_code == 422 and "lines" in invalid.text
    forged = web.post(PAGE, data={"form_token": "forged", "spec": "{}", "action": "save"})
    assert forged.status_code == 403
    pm = _web(client, tenant, "project_manager")
    page = pm.get(PAGE)
    assert "readonly" in page.text and 'id="save-button"' not in page.text
    spec = json.dumps(_spec(client, tenant))
    refused = pm.post(PAGE, data={"form_token": _token(page.text), "spec": spec, "action": "save"})
    assert refused.status_code == 403
    version = client.get("/api/v1/templates/ground-up", headers=tenant.headers("admin")).json()
    assert version["version"] == 1
    assert web.get("/dashboard/templates/nope").status_code == 404
