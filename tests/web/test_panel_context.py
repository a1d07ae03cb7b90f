"""The panel finds its place in Procore: the URL Procore fills, and the side panel's context."""

from __future__ import annotations

import threading
import time
from http.server import ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from coverwatch.app import create_app
from coverwatch.db import session_scope
from coverwatch.procore.models import ProcoreCommitment, ProcoreConnection
from coverwatch.projects import service as projects
from coverwatch.settings import get_settings
from tests.orgs.factories import Tenant
from tests.web.browser import chromium
from tests.web.test_panel import (
    COMPANY,
    PanelProject,
    _ParentPage,
    _seed,
    _sign_in,
    sign_in_through_popup,
)

BAYSIDE_IN_PROCORE = 7_700_001
SUBCONTRACT = 8_800_001


def _link_bayside(made: PanelProject, *, contract: bool = False) -> int:
    """Give Bayside Drywall its Procore vendor id (and a subcontract); its project vendor id."""
    bayside = made.vendors["Bayside Drywall Inc"]
    with session_scope() as session:
        projects.set_external_id(
            session,
            org_id=made.tenant.org_id,
            entity_type="vendor",
            entity_id=bayside["vendor_id"],
            system="procore",
            external_id=str(BAYSIDE_IN_PROCORE),
        )
        if contract:
            connection = session.scalar(
                select(ProcoreConnection).where(ProcoreConnection.org_id == made.tenant.org_id)
            )
            assert connection is not None
            session.add(
                ProcoreCommitment(
                    org_id=made.tenant.org_id,
                    connection_id=connection.id,
                    kind="work_order",
                    procore_id=SUBCONTRACT,
                    procore_project_id=made.procore_project_id,
                    procore_vendor_id=BAYSIDE_IN_PROCORE,
                    title="Drywall",
                )
            )
    return int(bayside["id"])


@pytest.fixture
def made(web: TestClient, tenant: Tenant) -> PanelProject:
    return _seed(web, tenant, company_id=COMPANY, procore_project_id=901)


def test_the_url_procore_fills_finds_the_project(web: TestClient, made: PanelProject) -> None:
    _sign_in(web, made.tenant)
    page = web.get(f"/procore/panel?companyId={COMPANY}&projectId=901")
    assert page.status_code == 200 and "Harbor View Tower" in page.text
    # Procore fills values, never keys: a URL with the placeholders as keys finds nothing.
    as_keys = web.get(f"/procore/panel?procore.company.id={COMPANY}&procore.project.id=901")
    assert as_keys.status_code == 404


def test_a_side_panel_on_a_directory_vendor_shows_that_sub(
    web: TestClient, made: PanelProject
) -> None:
    bayside = _link_bayside(made)
    _sign_in(web, made.tenant)
    page = web.get(
        f"/procore/panel?companyId={COMPANY}&projectId=901"
        f"&view=project_directory.vendors.edit&resourceId={BAYSIDE_IN_PROCORE}"
    )
    assert page.status_code == 200
    assert f'id="pv-{bayside}"' in page.text
    assert "Acme Roofing" not in page.text
    assert "All subcontractors on Harbor View Tower" in page.text
    # Approving from the side panel comes back to the same sub.
    assert 'name="view" value="project_directory.vendors.edit"' in page.text


def test_a_side_panel_on_a_subcontract_shows_its_vendor(
    web: TestClient, made: PanelProject
) -> None:
    bayside = _link_bayside(made, contract=True)
    _sign_in(web, made.tenant)
    base = f"/procore/panel?companyId={COMPANY}&projectId=901"
    page = web.get(f"{base}&view=commitments.work_order_contracts.detail&resourceId={SUBCONTRACT}")
    assert f'id="pv-{bayside}"' in page.text and "Acme Roofing" not in page.text
    unknown = web.get(f"{base}&view=commitments.purchase_order_contracts.detail&resourceId=1")
    assert "contract&#39;s vendor is not tracked on this project" in unknown.text
    assert 'class="vendor ' not in unknown.text


def test_the_side_panel_reads_procores_setup_message(
    engine: Engine, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright import sync_api

    from coverwatch.server import ServerThread

    with TestClient(create_app(), base_url="https://testserver") as client:
        made = _seed(client, tenant, company_id=COMPANY, procore_project_id=901)
    bayside = _link_bayside(made)
    parent = ThreadingHTTPServer(("127.0.0.1", 0), _ParentPage)
    parent_origin = f"http://localhost:{parent.server_address[1]}"
    monkeypatch.setattr(get_settings(), "frame_ancestors", parent_origin)
    app = ServerThread(create_app()).start()
    # A side panel configured with the company and project only: the record comes by message,
    # answered as Procore answers `initialize`.
    panel_url = f"{app.url}/procore/panel?companyId={COMPANY}&projectId=901"
    _ParentPage.html = (
        "<!doctype html><title>Procore (fake)</title><h1>Directory: Bayside Drywall</h1>"
        f'<iframe id="app" src="{panel_url}" style="width:380px;height:700px"></iframe>'
        "<script>window.addEventListener('message', function (event) {"
        "  if (!event.data || event.data.type !== 'initialize') return;"
        "  event.source.postMessage({type: 'setup', context: {"
        f"    company_id: '{COMPANY}', project_id: '901', id: '{BAYSIDE_IN_PROCORE}',"
        "    view: 'project_directory.vendors.edit'}}, event.origin);"
        "});</script>"
    ).encode()
    threading.Thread(target=parent.serve_forever, daemon=True).start()
    try:
        with chromium() as browser:
            page = browser.new_context().new_page()
            page.goto(f"{parent_origin}/")
            frame = page.frame_locator("#app")
            # The setup message put the record in the panel's address.
            deadline = time.monotonic() + 30
            while not any("resourceId=" in f.url for f in page.frames):
                assert time.monotonic() < deadline, [f.url for f in page.frames]
                page.wait_for_timeout(100)
            assert any(f"resourceId={BAYSIDE_IN_PROCORE}" in f.url for f in page.frames)
            sign_in_through_popup(page, frame, tenant)
            # Signed in, the side panel shows the sub of the directory page, alone.
            sync_api.expect(frame.locator(f"#pv-{bayside}")).to_be_visible(timeout=30_000)
            assert frame.locator(".vendor .name").all_inner_texts() == ["Bayside Drywall Inc"]
    finally:
        app.stop()
        parent.shutdown()
        parent.server_close()
