"""Errors of the Procore integration; httpx's own exceptions never leave the client.

```
CoverwatchError
├── ProcoreError                     anything that went wrong talking to Procore (502)
│   ├── ProcoreNotConnected          the organization has no usable connection (409)
│   ├── ProcoreTransportError        no answer: connection refused, reset, timeout
│   │   └── ProcoreOutcomeUnknown    a write was sent but its answer was lost (not repeated)
│   ├── ProcoreAuthError             a token or the credentials were refused (401/invalid_grant)
│   └── ProcoreStatusError           Procore answered with an unexpected status
│       ├── ProcoreForbidden         403: app not installed, or no permission on that record
│       ├── ProcoreNotFound          404: the record is gone (or never existed)
│       └── ProcoreRateLimited       429/503 still answered after waiting as told
└── Unauthorized
    └── WebhookUnauthorized          a webhook without our Authorization value (401)
```
"""

from __future__ import annotations

from typing import Any

from coverwatch.errors import CoverwatchError, Unauthorized


class ProcoreError(CoverwatchError):
    """Talking to Procore failed; the work is retried by its job."""

    status_code = 502
    code = "procore_error"


class ProcoreNotConnected(ProcoreError):
    """The organization has no Procore connection, or it lacks what this needs."""

    status_code = 409
    code = "procore_not_connected"


class ProcoreTransportError(ProcoreError):
    """Procore could not be reached or did not answer in time."""

    code = "procore_unreachable"


class ProcoreOutcomeUnknown(ProcoreTransportError):
    """A write not safe to repeat was sent, but its answer never came; it is not sent again.

    After a read timeout or a dropped connection Procore may or may not have done it: look
    whether it took effect (as creating a hook or a trigger does), or let the job retry.
    """

    code = "procore_outcome_unknown"


class ProcoreAuthError(ProcoreError):
    """Procore refused our token or credentials."""

    code = "procore_auth_failed"


class ProcoreStatusError(ProcoreError):
    """Procore answered with a status we did not expect."""

    code = "procore_bad_status"

    def __init__(self, message: str, *, status: int, body: Any = None) -> None:
        super().__init__(message, details={"status": status})
        self.status = status
        self.body = body


class ProcoreForbidden(ProcoreStatusError):
    """403: the app is not installed in that company, or lacks permission on the record."""

    code = "procore_forbidden"


class ProcoreNotFound(ProcoreStatusError):
    """404: the record does not exist (any more)."""

    code = "procore_not_found"


class ProcoreRateLimited(ProcoreStatusError):
    """429 or 503 after waiting as long as Procore said, as many times as allowed."""

    code = "procore_rate_limited"


class WebhookUnauthorized(Unauthorized):
    """A webhook delivery without the Authorization value set on our hook."""

    code = "webhook_unauthorized"
