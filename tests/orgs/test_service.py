"""Organizations: how a name becomes the slug in addresses and sign-in."""

from __future__ import annotations

from sqlalchemy.orm import Session

from coverwatch.orgs.service import create_organization, get_organization


def test_a_slug_spells_an_accented_name_in_ascii(session: Session) -> None:
    org = create_organization(session, name="Construcción Peña")
    assert org.slug == "construccion-pena"
    assert get_organization(session, slug_or_id="construccion-pena").id == org.id
    assert create_organization(session, name="Ødegård & Søn, Łódź").slug == "odegard-son-lodz"
