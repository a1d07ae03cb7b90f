"""The portal's network form: the sub or its agent allows (or stops) reuse of its coverage.

Only a link's holder decides: no API call of any organization can give the vendor's consent.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from coverwatch.db import session_scope
from coverwatch.errors import InvalidInput, LinkExpired, LinkInvalid
from coverwatch.network import service as network
from coverwatch.outreach import service
from coverwatch.vendors.models import Vendor
from coverwatch.web.portal import _context, _page, _refused

router = APIRouter(include_in_schema=False)


@router.post("/r/{token}/network", response_class=HTMLResponse)
def portal_network(request: Request, token: str, allow: str = Form("")) -> HTMLResponse:
    """Record the consent (`allow=yes`, the ticked box) or its withdrawal (`allow=no`)."""
    with session_scope() as session:
        try:
            outreach, audience = service.request_of_token(session, token=token)
        except (LinkInvalid, LinkExpired) as exc:
            return _refused(request, token, exc)
        vendor = session.get(Vendor, outreach.vendor_id)
        assert vendor is not None
        if audience == "agent":
            by = service.agent_address(session, vendor=vendor) or "agent"
        else:
            by = next(iter(service.sub_addresses(session, vendor=vendor)), "sub")
        try:
            if allow == "yes":
                network.grant(session, request=outreach, audience=audience, by=by)
            elif allow == "no":
                network.withdraw(session, request=outreach, audience=audience, by=by)
            else:
                raise InvalidInput("tick the box to allow sharing, or choose to stop it")
        except InvalidInput as exc:
            context = _context(
                session, token=token, outreach=outreach, audience=audience, uploaded=[]
            )
            context["network_error"] = exc.message
            return _page(request, "portal.html", context, status_code=422)
        context = _context(session, token=token, outreach=outreach, audience=audience, uploaded=[])
        context["network_saved"] = allow
        return _page(request, "portal.html", context)
