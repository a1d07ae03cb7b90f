"""The error tree: one class per failure kind, each with its HTTP status (JSON in app.py)."""

from __future__ import annotations

from typing import Any


class CoverwatchError(Exception):
    """Base of every error coverwatch raises on purpose."""

    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_json(self) -> dict[str, Any]:
        """The JSON body an API client receives."""
        body: dict[str, Any] = {"error": {"code": self.code, "message": self.message}}
        if self.details is not None:
            body["error"]["details"] = self.details
        return body


class NotFound(CoverwatchError):
    """The thing does not exist, or belongs to another organization."""

    status_code = 404
    code = "not_found"


class Unauthorized(CoverwatchError):
    """No credentials, or credentials that are not valid."""

    status_code = 401
    code = "unauthorized"


class TooManyAttempts(Unauthorized):
    """Sign-in refused for a while after repeated wrong passwords."""

    status_code = 429
    code = "too_many_attempts"


class Forbidden(CoverwatchError):
    """The caller's role does not allow this action."""

    status_code = 403
    code = "forbidden"


class Conflict(CoverwatchError):
    """The request clashes with the current state (a duplicate, a stale change)."""

    status_code = 409
    code = "conflict"


class ApprovalBlocked(Conflict):
    """Approval refused: the project vendor has open deficiencies or is not compliant."""

    code = "approval_blocked"


class InvalidInput(CoverwatchError):
    """The request is well-formed HTTP but its content is not acceptable."""

    status_code = 422
    code = "invalid_input"


class InvalidCertificate(InvalidInput):
    """A certificate document or JSON that cannot be read."""

    code = "invalid_certificate"


class PayloadTooLarge(CoverwatchError):
    """An upload beyond the configured size limit."""

    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(CoverwatchError):
    """An upload of a type coverwatch does not read."""

    status_code = 415
    code = "unsupported_media_type"


class NotReady(CoverwatchError):
    """A dependency (database, queue) is not reachable."""

    status_code = 503
    code = "not_ready"


class LinkInvalid(CoverwatchError):
    """A magic link that was tampered with, mistyped, or revoked."""

    status_code = 404
    code = "link_invalid"


class LinkExpired(CoverwatchError):
    """A genuine magic link past its expiry: a new one can be asked for."""

    status_code = 410
    code = "link_expired"


class MailUndeliverable(CoverwatchError):
    """The mail server refused a message for good (bad address, policy); retrying will not help."""

    status_code = 502
    code = "mail_undeliverable"


class MailServerUnavailable(CoverwatchError):
    """The mail server could not be reached or asked to try later; the send is retried."""

    status_code = 503
    code = "mail_server_unavailable"
