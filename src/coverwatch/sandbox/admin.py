"""The sandbox's admin API and page: act as a GC would, and switch faults on and off."""

from __future__ import annotations

import asyncio
from dataclasses import asdict, fields
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from coverwatch.sandbox.state import SandboxState

admin_router = APIRouter(prefix="/_admin", include_in_schema=False)


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _missing(what: str) -> JSONResponse:
    return JSONResponse({"error": f"{what} not found"}, status_code=404)


@admin_router.post("/api/reset")
def reset(request: Request) -> dict[str, str]:
    """Forget all data and faults (clients stay)."""
    _state(request).reset()
    request.app.state.delivery.clear()
    return {"status": "reset"}


@admin_router.post("/api/clients")
async def add_client(request: Request) -> dict[str, str]:
    """Register an OAuth client (an app) with its application id."""
    body = await request.json()
    _state(request).add_client(
        body["client_id"], body["client_secret"], application_id=body.get("application_id", "")
    )
    return {"client_id": body["client_id"]}


@admin_router.put("/api/clients/{client_id}/companies/{company_id}/permitted_projects")
async def set_permitted(request: Request, client_id: str, company_id: int) -> dict[str, Any]:
    """The projects the app's service account may see in the company."""
    project_ids = (await request.json())["project_ids"]
    _state(request).set_permitted(client_id, company_id, project_ids)
    return {"permitted": project_ids}


@admin_router.post("/api/clients/{client_id}/companies/{company_id}/app_update")
def app_update(request: Request, client_id: str, company_id: int) -> dict[str, Any]:
    """A new app version installed: the permitted projects are reset to none."""
    _state(request).app_update(client_id, company_id)
    return {"permitted": []}


@admin_router.post("/api/clients/{client_id}/companies/{company_id}/uninstall")
def uninstall(request: Request, client_id: str, company_id: int) -> dict[str, Any]:
    """The company admin removes the app (App Management)."""
    _state(request).uninstall(client_id, company_id)
    return {"installed": False}


@admin_router.post("/api/companies")
async def add_company(request: Request) -> dict[str, Any]:
    body = await request.json()
    return _state(request).add_company(
        name=body["name"],
        company_id=body.get("id"),
        installed_clients=body.get("installed_clients"),
    )


@admin_router.post("/api/projects")
async def add_project(request: Request) -> Any:
    body = await request.json()
    sandbox = _state(request)
    if str(body.get("company_id")) not in sandbox.data.companies:
        return _missing("company")
    company_id = int(body.pop("company_id"))
    return sandbox.add_project(company_id=company_id, **body)


@admin_router.post("/api/vendors")
async def add_vendor(request: Request) -> Any:
    body = await request.json()
    sandbox = _state(request)
    if str(body.get("company_id")) not in sandbox.data.companies:
        return _missing("company")
    company_id = int(body.pop("company_id"))
    return sandbox.add_vendor(company_id=company_id, **body)


@admin_router.patch("/api/vendors/{vendor_id}")
async def update_vendor(request: Request, vendor_id: int) -> Any:
    sandbox = _state(request)
    if str(vendor_id) not in sandbox.data.vendors:
        return _missing("vendor")
    return sandbox.update_vendor(vendor_id, await request.json())


@admin_router.post("/api/projects/{project_id}/vendors/{vendor_id}")
def add_to_project(request: Request, project_id: int, vendor_id: int, quiet: bool = False) -> Any:
    """Add a company vendor to a project's directory, as a GC does in Procore."""
    sandbox = _state(request)
    if str(project_id) not in sandbox.data.projects or str(vendor_id) not in sandbox.data.vendors:
        return _missing("project or vendor")
    return sandbox.add_vendor_to_project(project_id, vendor_id, quiet=quiet)


@admin_router.delete("/api/projects/{project_id}/vendors/{vendor_id}")
def remove_from_project(request: Request, project_id: int, vendor_id: int) -> Any:
    if not _state(request).remove_vendor_from_project(project_id, vendor_id):
        return _missing("vendor on that project")
    return {"removed": True}


@admin_router.post("/api/seed")
async def seed(request: Request) -> dict[str, Any]:
    """Many projects and vendors at once, without webhooks (for sync and load tests)."""
    body = await request.json()
    sandbox = _state(request)
    company_id = int(body["company_id"])
    project_ids = []
    for p in range(int(body.get("projects", 1))):
        project = sandbox.add_project(company_id=company_id, name=f"Seeded Project {p + 1}")
        project_ids.append(project["id"])
        for v in range(int(body.get("vendors_per_project", 0))):
            vendor = sandbox.add_vendor(
                company_id=company_id,
                name=f"Seeded Vendor {p + 1}-{v + 1}, LLC",
                email_address=f"office{p + 1}-{v + 1}@seeded.example",
                quiet=True,
            )
            sandbox.add_vendor_to_project(project["id"], vendor["id"], quiet=True)
    return {"project_ids": project_ids}


@admin_router.post("/api/hooks/{hook_id}/raw")
async def send_raw(request: Request, hook_id: int) -> Any:
    """Queue a body the hook sends as is, after whatever it has queued already."""
    sandbox = _state(request)
    if str(hook_id) not in sandbox.data.hooks:
        return _missing("hook")
    sandbox.queue_raw(hook_id, (await request.body()).decode())
    return {"queued": True}


@admin_router.get("/api/deliveries")
def deliveries(request: Request) -> list[dict[str, Any]]:
    """Every delivery made, retried and discarded, oldest first."""
    return list(_state(request).data.deliveries)


@admin_router.get("/api/config")
def get_config(request: Request) -> dict[str, Any]:
    return asdict(_state(request).config)


@admin_router.put("/api/config")
async def set_config(request: Request) -> dict[str, Any]:
    """Change limits and faults: any of the fields of `SandboxConfig`."""
    body = await request.json()
    config = _state(request).config
    known = {f.name: f.type for f in fields(config)}
    for key, value in body.items():
        if key in known:
            setattr(config, key, value)
            if key == "seed":
                _state(request).rng.seed(value)
    return asdict(config)


@admin_router.get("/api/stats")
def stats(request: Request) -> dict[str, Any]:
    sandbox = _state(request)
    return {**asdict(sandbox.stats), "pending_deliveries": request.app.state.delivery.pending()}


@admin_router.post("/api/expire-tokens")
def expire_tokens(request: Request) -> dict[str, str]:
    _state(request).expire_tokens()
    return {"status": "expired"}


@admin_router.get("/api/state")
def dump(request: Request) -> dict[str, Any]:
    return asdict(_state(request).data)


@admin_router.post("/api/deliveries/wait")
async def wait_for_deliveries(request: Request, timeout: float = 10.0) -> JSONResponse:
    """Answer once every queued webhook was delivered (or the timeout passed)."""
    idle = await asyncio.to_thread(request.app.state.delivery.wait_idle, timeout)
    return JSONResponse({"idle": idle}, status_code=200 if idle else 504)


@admin_router.get("", response_class=HTMLResponse)
def page(request: Request) -> str:
    """A small page to add vendors to projects by hand."""
    data = _state(request).data
    projects = "".join(
        f"<option value='{p['id']}'>{p['name']} ({p['id']})</option>"
        for p in data.projects.values()
    )
    vendors = "".join(
        f"<option value='{v['id']}'>{v['name']} ({v['id']})</option>" for v in data.vendors.values()
    )
    rows = "".join(
        f"<tr><td>{p['name']}</td><td>"
        + ", ".join(
            data.vendors[str(v)]["name"] for v in data.project_vendors.get(str(p["id"]), [])
        )
        + "</td></tr>"
        for p in data.projects.values()
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Procore sandbox</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:.2em 1em}}</style>
</head><body><h1>Procore sandbox</h1>
<form id="add"><label>Project <select name="project">{projects}</select></label>
<label>Vendor <select name="vendor">{vendors}</select></label>
<button>Add vendor to project</button></form>
<h2>Project directories</h2><table>{rows}</table>
<script>
document.getElementById('add').addEventListener('submit', async (event) => {{
  event.preventDefault();
  const form = new FormData(event.target);
  await fetch(`/_admin/api/projects/${{form.get('project')}}/vendors/${{form.get('vendor')}}`,
              {{method: 'POST'}});
  location.reload();
}});
</script></body></html>"""
