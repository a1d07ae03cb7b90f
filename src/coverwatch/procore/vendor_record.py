"""What coverwatch takes from a Procore vendor record: its name, other names and contacts."""

from __future__ import annotations

from typing import Any

from coverwatch.email_addresses import usable_email
from coverwatch.vendors.schemas import ContactIn


def vendor_fields(data: dict[str, Any]) -> tuple[str, list[str], list[ContactIn]]:
    """Legal name, other names and contacts of a Procore company vendor."""
    # Procore's `legal_name` is the parent company's name when there is a parent: never ours.
    name = (data.get("name") or f"Procore vendor {data['id']}").strip()
    dba = [
        n.strip()
        for n in (data.get("name"), data.get("trade_name"), data.get("abbreviated_name"))
        if n and n.strip() and n.strip() != name
    ]
    contacts: list[ContactIn] = []
    primary = data.get("primary_contact") or {}
    # An address that is not one (typed into Procore by hand) is left out; the contact stays.
    primary_email = usable_email(primary.get("email_address"))
    if primary_email or primary.get("first_name") or primary.get("last_name"):
        full = " ".join(p for p in (primary.get("first_name"), primary.get("last_name")) if p)
        contacts.append(
            ContactIn(
                role="office",
                name=full[:200],
                email=primary_email,
                phone=primary.get("business_phone") or primary.get("mobile_phone"),
            )
        )
    office_email = usable_email(data.get("email_address"))
    if office_email and all(c.email != office_email for c in contacts):
        contacts.append(
            ContactIn(role="office", name="", email=office_email, phone=data.get("business_phone"))
        )
    return name[:300], list(dict.fromkeys(dba)), contacts
