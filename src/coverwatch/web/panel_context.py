"""Where in Procore the panel is shown: company and project, and for a side panel its record.

Procore fills `{{procore.company.id}}` and `{{procore.project.id}}` into the values of the
component's URL, never into its keys, so the URL an admin configures is
`/procore/panel?companyId={{procore.company.id}}&projectId={{procore.project.id}}` (the form of
Procore's own example). A side panel learns the rest from the `setup` message Procore posts to
it (`context.company_id`, `project_id`, `id`, `view`); static/procore_context.js puts those in
the URL as `view` and `resourceId`, so that the server renders the record the user looks at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.procore.models import ProcoreCommitment, ProcoreConnection
from coverwatch.procore.service import find_vendor
from coverwatch.vendors.models import ProjectVendor

# Side panel view keys (Procore's reference) whose record `id` names a vendor or a commitment.
VENDOR_VIEWS = ("project_directory.vendors.",)
COMMITMENT_VIEWS = {
    "commitments.work_order_contracts.": "work_order",
    "commitments.purchase_order_contracts.": "purchase_order",
}


@dataclass(frozen=True)
class PanelContext:
    """The Procore company, project, and the side panel's view and record, as strings."""

    company_id: str
    project_id: str
    view: str = ""
    resource_id: str = ""

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> PanelContext:
        """Read from the query string (or a form: the same names)."""
        return cls(
            company_id=str(values.get("companyId", "")).strip(),
            project_id=str(values.get("projectId", "")).strip(),
            view=str(values.get("view", "")).strip()[:100],
            resource_id=str(values.get("resourceId", "")).strip()[:20],
        )

    def query(self) -> dict[str, str]:
        """The parameters that bring the panel back here."""
        query = {"companyId": self.company_id, "projectId": self.project_id}
        if self.view and self.resource_id:
            query.update(view=self.view, resourceId=self.resource_id)
        return query

    def url(self, **extra: str) -> str:
        """The panel's address for this place (with extra parameters such as `approved`)."""
        return "/procore/panel?" + urlencode({**self.query(), **extra})

    def whole_project(self) -> PanelContext:
        """The same project without the side panel's record."""
        return PanelContext(company_id=self.company_id, project_id=self.project_id)

    @property
    def record_kind(self) -> str | None:
        """vendor, work_order or purchase_order when the side panel shows one of those."""
        if not self.resource_id.isdigit():
            return None
        if self.view.startswith(VENDOR_VIEWS):
            return "vendor"
        for prefix, kind in COMMITMENT_VIEWS.items():
            if self.view.startswith(prefix):
                return kind
        return None


def focused_project_vendor(
    session: Session, *, org_id: int, project_id: int, where: PanelContext
) -> tuple[int | None, str | None]:
    """The project vendor the side panel's record is about, or a sentence saying why none."""
    kind = where.record_kind
    if kind is None:
        return None, None
    resource_id = int(where.resource_id)
    if kind == "vendor":
        vendor = find_vendor(session, org_id=org_id, procore_vendor_id=resource_id)
        vendor_id = vendor.id if vendor else None
    else:
        commitment = session.scalar(
            select(ProcoreCommitment)
            .join(ProcoreConnection, ProcoreConnection.id == ProcoreCommitment.connection_id)
            .where(
                ProcoreConnection.org_id == org_id,
                ProcoreCommitment.kind == kind,
                ProcoreCommitment.procore_id == resource_id,
                ProcoreCommitment.removed.is_(False),
            )
        )
        vendor_id = None
        if commitment is not None and commitment.procore_vendor_id is not None:
            vendor = find_vendor(
                session, org_id=org_id, procore_vendor_id=commitment.procore_vendor_id
            )
            vendor_id = vendor.id if vendor else None
    if vendor_id is not None:
        found = session.scalar(
            select(ProjectVendor.id).where(
                ProjectVendor.project_id == project_id,
                ProjectVendor.vendor_id == vendor_id,
                ProjectVendor.tracking.is_(True),
            )
        )
        if found is not None:
            return found, None
    what = "company" if kind == "vendor" else "contract's vendor"
    return None, f"This {what} is not tracked on this project in coverwatch"
