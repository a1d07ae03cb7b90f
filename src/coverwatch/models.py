"""Imports every table so that metadata is complete (for Alembic and test set-up)."""

from coverwatch.audit.models import AuditEvent
from coverwatch.certificates.models import Certificate, Document, PolicyLimit, PolicyRow
from coverwatch.compliance.models import DeficiencyRow, Evaluation, Waiver
from coverwatch.db import Base
from coverwatch.imports.models import ImportFile, ImportRun, ImportVendor
from coverwatch.network.models import NetworkConsent, NetworkIdentity, NetworkLink
from coverwatch.orgs.models import ApiKey, Organization, User
from coverwatch.outreach.models import (
    InboundMessage,
    OutboundEmail,
    OutreachNotice,
    OutreachRequest,
)
from coverwatch.procore.models import (
    ProcoreCommitment,
    ProcoreConnection,
    ProcoreDelivery,
    ProcoreInsuranceRecord,
    ProcoreWriteback,
)
from coverwatch.projects.models import ExternalRef, Project
from coverwatch.requirements.models import InsurerRatingRow, RequirementTemplate, TemplateVersion
from coverwatch.vendors.models import ProjectVendor, Vendor, VendorContact
from coverwatch.webhooks.models import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Base",
    "Certificate",
    "DeficiencyRow",
    "Document",
    "Evaluation",
    "ExternalRef",
    "ImportFile",
    "ImportRun",
    "ImportVendor",
    "InboundMessage",
    "InsurerRatingRow",
    "NetworkConsent",
    "NetworkIdentity",
    "NetworkLink",
    "Organization",
    "OutboundEmail",
    "OutreachNotice",
    "OutreachRequest",
    "PolicyLimit",
    "PolicyRow",
    "ProcoreCommitment",
    "ProcoreConnection",
    "ProcoreDelivery",
    "ProcoreInsuranceRecord",
    "ProcoreWriteback",
    "Project",
    "ProjectVendor",
    "RequirementTemplate",
    "TemplateVersion",
    "User",
    "Vendor",
    "VendorContact",
    "Waiver",
    "WebhookDelivery",
    "WebhookEndpoint",
]
