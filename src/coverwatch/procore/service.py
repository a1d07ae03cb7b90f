"""Procore connections, and bringing Procore's projects and vendors into coverwatch."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import date
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from coverwatch.audit import service as audit
from coverwatch.compliance import service as compliance
from coverwatch.errors import InvalidInput, NotFound
from coverwatch.orgs.models import Organization
from coverwatch.procore import tracking, vendor_record, writeback
from coverwatch.procore.client import ProcoreClient
from coverwatch.procore.encryption import decrypt, encrypt
from coverwatch.procore.models import ProcoreConnection
from coverwatch.procore.oauth import ENVIRONMENTS, TokenSet, TokenStore, store_tokens
from coverwatch.procore.retries import RetryPolicy
from coverwatch.projects import service as projects
from coverwatch.projects.models import Project
from coverwatch.projects.schemas import ProjectIn
from coverwatch.requirements import service as requirements
from coverwatch.vendors import service as vendors
from coverwatch.vendors.models import ProjectVendor, Vendor
from coverwatch.vendors.schemas import VendorIn, VendorPatch

log = logging.getLogger(__name__)
SYSTEM = "procore"
GRANT_TYPES = ("authorization_code", "client_credentials")
WRITEBACK_LEVELS = ("project", "company", "off")
# How hard API calls made by jobs try before the job itself is retried (tests make it quicker).
retry_policy = RetryPolicy()


def create_connection(
    session: Session,
    *,
    org_id: int,
    environment: str,
    company_id: int,
    grant_type: str,
    client_id: str,
    client_secret: str,
    tokens: TokenSet | None = None,
    api_base_url: str | None = None,
    login_base_url: str | None = None,
    company_name: str = "",
    application_id: str | None = None,
    template_key: str | None = None,
    writeback_level: str = "project",
    work_order_contracts: bool = False,
    tracking_rule: dict[str, Any] | None = None,
    keep_procore_notifications: bool = False,
    actor: str = "system",
) -> ProcoreConnection:
    """Connect (or reconnect) the organization to one Procore company."""
    if environment not in ENVIRONMENTS:
        raise InvalidInput(f"environment must be one of {', '.join(ENVIRONMENTS)}")
    if grant_type not in GRANT_TYPES:
        raise InvalidInput(f"grant_type must be one of {', '.join(GRANT_TYPES)}")
    if writeback_level not in WRITEBACK_LEVELS:
        raise InvalidInput(f"writeback_level must be one of {', '.join(WRITEBACK_LEVELS)}")
    if template_key:
        requirements.get_template(session, org_id=org_id, key=template_key)  # must exist
    rule = tracking.parse_rule(tracking_rule, work_order_contracts=work_order_contracts)
    default_api, default_login = ENVIRONMENTS[environment]
    connection = session.scalar(
        select(ProcoreConnection).where(
            ProcoreConnection.org_id == org_id,
            ProcoreConnection.environment == environment,
            ProcoreConnection.company_id == company_id,
        )
    )
    if connection is None:
        connection = ProcoreConnection(
            org_id=org_id, environment=environment, company_id=company_id, token_version=0
        )
        session.add(connection)
    connection.api_base_url = (api_base_url or default_api).rstrip("/")
    connection.login_base_url = (login_base_url or api_base_url or default_login).rstrip("/")
    connection.grant_type = grant_type
    connection.client_id = client_id
    connection.client_secret_encrypted = encrypt(client_secret)
    connection.company_name = company_name
    connection.application_id = application_id
    connection.template_key = template_key
    connection.writeback_level = writeback_level
    connection.work_order_contracts = work_order_contracts
    connection.tracking = rule.as_dict()
    connection.keep_procore_notifications = keep_procore_notifications
    connection.active = True
    connection.access_token_encrypted = connection.refresh_token_encrypted = None
    connection.token_expires_at = None
    if tokens is not None:
        store_tokens(connection, tokens)
    session.flush()
    TokenStore(connection_id=connection.id, login_base_url="", http=httpx.Client()).forget()
    audit.record(
        session,
        org_id=org_id,
        actor=actor,
        action="procore_connected",
        entity_type="procore_connection",
        entity_id=connection.id,
        after={
            "environment": environment,
            "company_id": company_id,
            "grant_type": grant_type,
            "tracking": rule.as_dict(),
        },
    )
    return connection


def get_connection(
    session: Session, *, org_id: int, connection_id: int | None = None
) -> ProcoreConnection:
    """One of the organization's active connections (the only one when no id is given)."""
    statement = select(ProcoreConnection).where(
        ProcoreConnection.org_id == org_id, ProcoreConnection.active.is_(True)
    )
    if connection_id is not None:
        statement = statement.where(ProcoreConnection.id == connection_id)
    found = list(session.scalars(statement.order_by(ProcoreConnection.id)))
    if not found:
        raise NotFound("no Procore connection; run `coverwatch procore connect` first")
    if len(found) > 1:
        raise InvalidInput(
            "several Procore connections; say which one", details=[c.id for c in found]
        )
    return found[0]


def list_connections(session: Session, *, org_id: int) -> list[ProcoreConnection]:
    """Every connection of the organization."""
    return list(
        session.scalars(
            select(ProcoreConnection)
            .where(ProcoreConnection.org_id == org_id)
            .order_by(ProcoreConnection.id)
        )
    )


def connections_for_company(session: Session, *, company_id: int) -> list[ProcoreConnection]:
    """The active connections to a Procore company (a webhook names only the company)."""
    return list(
        session.scalars(
            select(ProcoreConnection).where(
                ProcoreConnection.company_id == company_id, ProcoreConnection.active.is_(True)
            )
        )
    )


def connections_for_authorization(
    session: Session, *, authorization: str | None
) -> list[ProcoreConnection]:
    """The active connections whose hooks carry this Authorization value (found by digest).

    For a delivery whose body names no company: looked up by index, so that a flood of
    unreadable bodies costs one query each, not a decryption per connection.
    """
    if not authorization:
        return []
    return list(
        session.scalars(
            select(ProcoreConnection).where(
                ProcoreConnection.webhook_secret_digest == _digest(authorization),
                ProcoreConnection.active.is_(True),
            )
        )
    )


def describe_connection(connection: ProcoreConnection) -> dict[str, Any]:
    """A connection in the API's shape: never a token or a secret."""
    rule = tracking.parse_rule(
        connection.tracking, work_order_contracts=connection.work_order_contracts
    )
    return {
        "id": connection.id,
        "environment": connection.environment,
        "api_base_url": connection.api_base_url,
        "company_id": connection.company_id,
        "company_name": connection.company_name,
        "grant_type": connection.grant_type,
        "template": connection.template_key,
        "writeback_level": connection.writeback_level,
        "work_order_contracts": connection.work_order_contracts,
        "tracking": {**rule.as_dict(), "description": tracking.describe(rule)},
        "keep_procore_notifications": connection.keep_procore_notifications,
        "active": connection.active,
        "hooks": connection.hooks,
        "install_report": connection.install_report or {},
        "refused_deliveries": connection.refused_deliveries,
        "last_refused_at": connection.last_refused_at,
        "disconnected_reason": connection.disconnected_reason,
        "last_sync_at": connection.last_sync_at,
    }


def ensure_webhook_secret(connection: ProcoreConnection) -> str:
    """The Authorization value our hooks carry, created on first use."""
    if connection.webhook_secret_encrypted:
        return decrypt(connection.webhook_secret_encrypted)
    value = f"Bearer cwhk_{secrets.token_urlsafe(32)}"
    connection.webhook_secret_encrypted = encrypt(value)
    connection.webhook_secret_digest = _digest(value)
    return value


def webhook_authorized(connection: ProcoreConnection, header: str | None) -> bool:
    """Whether a delivery carries this connection's Authorization value (constant time)."""
    if not header or not connection.webhook_secret_encrypted:
        return False
    expected = decrypt(connection.webhook_secret_encrypted)
    if not hmac.compare_digest(expected.encode(), header.strip().encode()):
        return False
    if connection.webhook_secret_digest is None:  # a secret made before digests were kept
        connection.webhook_secret_digest = _digest(expected)
    return True


def _digest(authorization: str) -> str:
    return hashlib.sha256(authorization.strip().encode()).hexdigest()


def client_for(connection: ProcoreConnection, *, http: httpx.Client | None = None) -> ProcoreClient:
    """An API client acting through the connection."""
    return ProcoreClient.for_connection(connection, http=http, retry=retry_policy)


# -- bringing Procore records in ----------------------------------------------------------


def find_project(session: Session, *, org_id: int, procore_project_id: int) -> Project | None:
    """Our project for a Procore project id."""
    project_id = projects.find_by_external_id(
        session,
        org_id=org_id,
        entity_type="project",
        system=SYSTEM,
        external_id=str(procore_project_id),
    )
    return session.get(Project, project_id) if project_id else None


def find_vendor(session: Session, *, org_id: int, procore_vendor_id: int) -> Vendor | None:
    """Our vendor for a Procore company vendor id."""
    vendor_id = projects.find_by_external_id(
        session,
        org_id=org_id,
        entity_type="vendor",
        system=SYSTEM,
        external_id=str(procore_vendor_id),
    )
    return session.get(Vendor, vendor_id) if vendor_id else None


def template_key_for(session: Session, *, connection: ProcoreConnection) -> str:
    """The template for projects first seen through this connection."""
    if connection.template_key:
        return connection.template_key
    org = session.get(Organization, connection.org_id)
    preferred = (org.settings or {}).get("default_template") if org else None
    keys = [t.key for t in requirements.list_templates(session, org_id=connection.org_id)]
    for key in (preferred, "ground-up"):
        if key in keys:
            return str(key)
    if not keys:
        raise InvalidInput("the organization has no requirement template")
    return keys[0]


def upsert_project(
    session: Session, *, connection: ProcoreConnection, data: dict[str, Any], actor: str
) -> Project:
    """Our project for a Procore project, created with the connection's template if new."""
    found = find_project(session, org_id=connection.org_id, procore_project_id=int(data["id"]))
    if found is not None:
        return found
    state = (data.get("state_code") or "").strip().upper()
    start, end = _date(data.get("start_date")), _date(data.get("completion_date"))
    if start and end and end < start:
        end = None  # Procore allows it; our engine would refuse the project
    address = ", ".join(
        str(part) for part in (data.get("address"), data.get("city"), data.get("zip")) if part
    )
    project_in = ProjectIn(
        name=(data.get("name") or data.get("display_name") or f"Procore project {data['id']}")[
            :300
        ],
        number=(data.get("project_number") or None),
        address=address[:500] or None,
        state=state if len(state) == 2 else None,
        start_date=start,
        end_date=end,
        template=template_key_for(session, connection=connection),
        external_ids={SYSTEM: str(data["id"])},
    )
    return projects.create_project(session, org_id=connection.org_id, actor=actor, data=project_in)


def upsert_vendor(
    session: Session, *, connection: ProcoreConnection, data: dict[str, Any], actor: str
) -> tuple[Vendor, bool]:
    """Our vendor for a Procore vendor, names and contacts refreshed; (vendor, names changed)."""
    name, dba, contacts = vendor_record.vendor_fields(data)
    vendor = find_vendor(session, org_id=connection.org_id, procore_vendor_id=int(data["id"]))
    if vendor is None:
        vendor_in = VendorIn(
            legal_name=name,
            dba_names=dba,
            contacts=contacts,
            external_ids={SYSTEM: str(data["id"])},
        )
        return vendors.create_vendor(
            session, org_id=connection.org_id, actor=actor, data=vendor_in
        ), False
    # Compared as stored, not rebuilt as input: an address kept before it was checked would
    # be refused; here it only differs, and is replaced.
    current = [
        (c.role, c.name, c.email, c.phone) for c in vendors.contacts_of(session, vendor=vendor)
    ]
    wanted = [(c.role, c.name, c.email, c.phone) for c in contacts]
    if vendor.legal_name == name and list(vendor.dba_names) == dba and current == wanted:
        return vendor, False
    changed = vendors.update_vendor(
        session,
        vendor=vendor,
        actor=actor,
        patch=VendorPatch(legal_name=name, dba_names=dba, contacts=contacts),
    )
    return vendor, changed


def start_tracking(
    session: Session,
    *,
    connection: ProcoreConnection,
    project: Project,
    vendor: Vendor,
    actor: str,
) -> tuple[ProjectVendor, bool]:
    """Put the vendor on the project and evaluate it; (project vendor, newly tracked)."""
    existing = session.scalar(
        select(ProjectVendor).where(
            ProjectVendor.project_id == project.id, ProjectVendor.vendor_id == vendor.id
        )
    )
    if existing is not None and existing.tracking:
        return existing, False
    project_vendor = vendors.assign(session, project=project, vendor=vendor, actor=actor)
    compliance.evaluate_project_vendor(
        session, project_vendor=project_vendor, trigger="procore", actor=actor
    )
    # The evaluation above starts outreach: a collection request when nothing is on file.
    # A new sub shows in Procore at once, even though its status did not move.
    writeback.request_writeback(session, project_vendor=project_vendor)
    return project_vendor, True


def stop_tracking(
    session: Session, *, org_id: int, procore_project_id: int, procore_vendor_id: int, actor: str
) -> ProjectVendor | None:
    """Take a vendor off a project because Procore no longer has it there."""
    project = find_project(session, org_id=org_id, procore_project_id=procore_project_id)
    vendor = find_vendor(session, org_id=org_id, procore_vendor_id=procore_vendor_id)
    if project is None or vendor is None:
        return None
    project_vendor = session.scalar(
        select(ProjectVendor).where(
            ProjectVendor.project_id == project.id, ProjectVendor.vendor_id == vendor.id
        )
    )
    if project_vendor is None or not project_vendor.tracking:
        return None
    return vendors.remove(session, project_vendor=project_vendor, actor=actor)


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
