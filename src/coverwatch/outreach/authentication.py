"""Whether an inbound message really comes from the domain in its `From:` header.

Anyone can write any `From:`. A message filed on a vendor by its sender alone must prove it:
a DKIM signature, verified here, by the sender's domain (or its parent domain: relaxed DMARC
alignment), or a `dkim=pass` / `dmarc=pass` in an `Authentication-Results` header written by
a receiving server the operator trusts (`COVERWATCH_INBOUND_TRUSTED_AUTHSERV_IDS`). Such a
header from any other server is ignored: a sender can write that header too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message

import authres
import dkim

log = logging.getLogger(__name__)

# dkimpy's DNS lookup: (name, timeout) -> the TXT record, or None.
DnsLookup = Callable[..., bytes | None]
# None: dkimpy asks the system's resolver (dnspython). A deployment may set its own.
dns_lookup: DnsLookup | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether the sender's domain is proven, and how (or why not), in words."""

    verified: bool
    how: str


def verify_sender(
    raw: bytes,
    message: Message,
    *,
    sender: str,
    trusted_servers: Iterable[str] = (),
) -> Verdict:
    """Whether `raw` proves it comes from `sender`'s domain (DKIM here, or a trusted verdict)."""
    domain = sender.rpartition("@")[2].lower().rstrip(".")
    if not domain:
        return Verdict(False, "the sender has no domain")
    trusted = {s.strip().lower() for s in trusted_servers if s.strip()}
    for header in message.get_all("Authentication-Results", []):
        verdict = _trusted_result(str(header), domain=domain, trusted=trusted)
        if verdict is not None:
            return verdict
    return _dkim(raw, domain=domain, dns=dns_lookup)


def _trusted_result(header: str, *, domain: str, trusted: set[str]) -> Verdict | None:
    try:
        parsed = authres.AuthenticationResultsHeader.parse_value(header)
    except Exception:  # authres raises its own and plain errors on a malformed header
        return None
    server = str(parsed.authserv_id or "").lower()
    if server not in trusted:
        return None
    for result in parsed.results:
        method, outcome = str(result.method).lower(), str(result.result).lower()
        if outcome != "pass":
            continue
        if method == "dmarc" and _aligned(_property(result, "header", "from"), domain):
            return Verdict(True, f"dmarc=pass for {domain} from {server}")
        if method == "dkim" and _aligned(_property(result, "header", "d"), domain):
            return Verdict(True, f"dkim=pass for {domain} from {server}")
    return None


def _property(result: object, kind: str, name: str) -> str:
    for item in getattr(result, "properties", []) or []:
        if str(item.type).lower() == kind and str(item.name).lower() == name:
            return str(item.value)
    return ""


def _dkim(raw: bytes, *, domain: str, dns: DnsLookup | None) -> Verdict:
    signatures = raw.count(b"\nDKIM-Signature:") + raw.startswith(b"DKIM-Signature:")
    if not signatures:
        return Verdict(False, f"no DKIM signature of {domain}")
    checker = dkim.DKIM(raw, logger=log)
    for index in range(signatures):
        try:
            good = checker.verify(idx=index, dnsfunc=dns) if dns else checker.verify(idx=index)
        except Exception:  # dkimpy raises on a malformed signature or a failed DNS lookup
            good = False
        signer = (checker.domain or b"").decode(errors="replace").lower()
        if good and _aligned(signer, domain):
            return Verdict(True, f"DKIM signature of {signer} verified")
    return Verdict(False, f"no DKIM signature of {domain} that verifies")


def _aligned(signer: str, domain: str) -> bool:
    # Relaxed alignment: the signing domain is the sender's, or a parent of it (not a bare TLD).
    signer = signer.lower().strip().rstrip(".")
    return bool(signer) and "." in signer and (domain == signer or domain.endswith("." + signer))
