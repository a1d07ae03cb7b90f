"""Where webhooks may go: public addresses only, unless the deployment allows private ones.

Without this an organization could register `http://169.254.169.254/...` or an address on the
server's own network and make coverwatch call it (server-side request forgery). The check runs
when an endpoint is saved and again before each delivery, since DNS answers can change.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from coverwatch.errors import InvalidInput
from coverwatch.settings import get_settings


class DestinationNotAllowed(InvalidInput):
    """A webhook URL that resolves to a loopback, private, link-local or reserved address."""

    code = "destination_not_allowed"


def check_destination(url: str) -> None:
    """Refuse a URL whose host resolves to a non-public address (unless allowed by settings)."""
    if get_settings().webhook_allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise DestinationNotAllowed("the webhook URL has no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise DestinationNotAllowed(f"the webhook host {host} does not resolve") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise DestinationNotAllowed(
                f"the webhook host {host} resolves to {address}, which is not a public address; "
                "set COVERWATCH_WEBHOOK_ALLOW_PRIVATE=true to deliver inside your own network"
            )
