"""The Procore REST client: tokens, the company header, paging, rate limits, retries.

    client = ProcoreClient.for_connection(connection)
    for vendor in client.project_vendors(project_id=5123):
        ...

Every call sends `Authorization: Bearer` and `Procore-Company-Id` (Procore answers 404 or
"Missing Procore-Company-Id header!" without it, even when the path names the company).
Before each call one unit is taken from the shared rate budget; a 429 or 503 blocks the
bucket until `Retry-After` or `X-Rate-Limit-Reset` (plus jitter) for every worker, or for a
short backoff when neither says a time to come. Calls safe to repeat (GET, PUT, DELETE, and
the PATCHes marked so) are retried after 5xx answers and timeouts with exponential backoff; a
POST is sent again only when it surely never reached Procore (refused connection), since a lost
answer may hide a record made: creating a hook or a trigger then looks whether it exists. A
401 refreshes the token once. What is left is raised as a `ProcoreError` (see errors.py);
httpx's exceptions never leave this module.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from coverwatch.procore import responses
from coverwatch.procore.client_insurances import InsuranceEndpoints
from coverwatch.procore.errors import (
    ProcoreOutcomeUnknown,
    ProcoreRateLimited,
    ProcoreStatusError,
    ProcoreTransportError,
)
from coverwatch.procore.models import ProcoreConnection
from coverwatch.procore.oauth import TokenStore
from coverwatch.procore.ratelimit import RateBudget, default_budget
from coverwatch.procore.retries import IDEMPOTENT_METHODS, NEVER_SENT, RetryPolicy

TokenSource = Callable[[str | None], str]
Finder = Callable[[], dict[str, Any] | None]
VENDOR_VIEW = "extended"


class ProcoreClient(InsuranceEndpoints):
    """One Procore company, as one app (or service account) sees it."""

    def __init__(
        self,
        *,
        api_base_url: str,
        company_id: int | None,
        token: TokenSource,
        budget_key: str,
        http: httpx.Client | None = None,
        budget: RateBudget | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_base_url = api_base_url.rstrip("/")
        self.company_id = company_id
        self.token = token
        self.budget_key = budget_key
        self.http = http or httpx.Client()
        self.budget = budget or default_budget()
        self.retry = retry or RetryPolicy()
        self.sleep = sleep

    @classmethod
    def for_connection(
        cls,
        connection: ProcoreConnection,
        *,
        http: httpx.Client | None = None,
        budget: RateBudget | None = None,
        retry: RetryPolicy | None = None,
    ) -> ProcoreClient:
        """A client acting through a stored connection's tokens."""
        http = http or httpx.Client()
        store = TokenStore(
            connection_id=connection.id, login_base_url=connection.login_base_url, http=http
        )
        return cls(
            api_base_url=connection.api_base_url,
            company_id=connection.company_id,
            token=lambda rejected: store.access_token(rejected=rejected),
            budget_key=f"{connection.api_base_url}|{connection.company_id}|{connection.client_id}",
            http=http,
            budget=budget,
            retry=retry,
        )

    # -- transport ------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """One API call with rate limiting, retries and error translation.

        `idempotent` (by default: whether the method is) says whether the call may be sent
        again after a lost answer or a 5xx; a call that may not raises at once instead.
        """
        url = f"{self.api_base_url}{path}"
        repeatable = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
        failures = refusals = 0
        waited = 0.0
        rejected: str | None = None
        while True:
            waited += self._wait_for_budget(waited)
            token = self.token(rejected)
            headers = {"Authorization": f"Bearer {token}"}
            if self.company_id is not None:  # None only to list the companies themselves
                headers["Procore-Company-Id"] = str(self.company_id)
            try:
                response = self.http.request(
                    method, url, params=params, json=json, headers=headers,
                    timeout=self.retry.timeout,
                )  # fmt: skip
            except httpx.TransportError as exc:  # timeouts, refused and reset connections
                if not repeatable and not isinstance(exc, NEVER_SENT):
                    raise ProcoreOutcomeUnknown(
                        f"{method} {path}: sent, but Procore's answer was lost ({exc!r}); "
                        "not sent again, as it is not safe to repeat"
                    ) from exc
                failures += 1
                if failures >= self.retry.attempts:
                    raise ProcoreTransportError(
                        f"{method} {path}: Procore did not answer after {failures} tries ({exc})"
                    ) from exc
                self.sleep(self.retry.backoff(failures))
                continue
            self._observe(response)
            status = response.status_code
            if status in (429, 503):
                refusals += 1
                until = self._retry_at(response, refusals)
                self.budget.block(self.budget_key, until=until)
                if refusals > self.retry.rate_limit_retries:
                    raise ProcoreRateLimited(
                        f"{method} {path}: still rate limited after {refusals} waits",
                        status=status,
                    )
                continue
            if status == 401 and rejected is None:
                rejected = token  # maybe revoked or expired early: one fresh token, once
                continue
            if status >= 500:
                failures += 1
                if not repeatable or failures >= self.retry.attempts:
                    raise ProcoreStatusError(
                        f"{method} {path}: Procore answered {status} {failures} time(s)",
                        status=status,
                        body=responses.body(response),
                    )
                self.sleep(self.retry.backoff(failures))
                continue
            if status >= 400:
                raise responses.status_error(method, path, response)
            return response

    def get(self, path: str, **params: Any) -> Any:
        """GET and decode JSON."""
        return self.request("GET", path, params=params or None).json()

    def paginate(
        self, path: str, params: dict[str, Any] | None = None, *, per_page: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every item of a v1 list, page after page (`page`/`per_page`, `Link` and `Total`)."""
        page = 1
        seen = 0
        while True:
            response = self.request(
                "GET", path, params={**(params or {}), "page": page, "per_page": per_page}
            )
            items = response.json()
            yield from items
            seen += len(items)
            total = responses.total(response)
            # Not every endpoint pages: no Link and no Total means that was everything.
            if not items or not (
                responses.has_next(response) or (total is not None and seen < total)
            ):
                return
            page += 1

    def _wait_for_budget(self, waited: float) -> float:
        slept = 0.0
        while (wait := self.budget.reserve(self.budget_key)) > 0:
            if waited + slept + wait > self.retry.max_rate_wait:
                raise ProcoreRateLimited(
                    f"Procore's rate limit would need a wait of {wait:.0f} s", status=429
                )
            pause = wait + random.uniform(0, self.retry.jitter)
            self.sleep(pause)
            slept += pause
        return slept

    def _observe(self, response: httpx.Response) -> None:
        headers = response.headers
        try:
            limit = int(headers["X-Rate-Limit-Limit"])
            remaining = int(headers["X-Rate-Limit-Remaining"])
            reset_at = float(headers["X-Rate-Limit-Reset"])
        except (KeyError, ValueError):
            return
        if not math.isfinite(reset_at):
            return
        self.budget.observe(self.budget_key, limit=limit, remaining=remaining, reset_at=reset_at)

    def _retry_at(self, response: httpx.Response, refusals: int) -> float:
        """When to ask again after refusal number `refusals` (a 429 or 503), jitter included.

        `Retry-After` first (seconds, or an HTTP-date to come), then `X-Rate-Limit-Reset` (to
        come); a value that is garbled or already past counts as absent, and with neither the
        wait is the backoff, so such a value never makes the client ask again at once.
        """
        now = time.time()
        jitter = random.uniform(0, self.retry.jitter)
        retry_after = responses.retry_after(response.headers.get("Retry-After"), now=now)
        if retry_after is not None:
            return retry_after + jitter
        reset = response.headers.get("X-Rate-Limit-Reset", "").strip()
        if reset.isascii() and reset.isdigit() and int(reset) > now:
            return int(reset) + jitter
        return now + self.retry.backoff(refusals)

    def _create(self, path: str, body: dict[str, Any], *, find: Finder) -> dict[str, Any]:
        """POST a creation once; when its answer is lost, whatever `find` finds is the result.

        A POST is not repeated (it could make a second record); after a lost answer or a 5xx
        Procore may still have made the record, so it is looked for, and the error raised only
        when it is not there.
        """
        try:
            return dict(self.request("POST", path, json=body).json())
        except (ProcoreOutcomeUnknown, ProcoreStatusError) as exc:
            if not responses.maybe_done(exc):
                raise
            found = find()
            if found is None:
                raise
            return found

    # -- endpoints ------------------------------------------------------------------------

    def companies(self) -> list[dict[str, Any]]:
        """The companies that installed the app (or the user can see)."""
        return list(self.paginate("/rest/v1.0/companies"))

    def projects(self) -> Iterator[dict[str, Any]]:
        """The company's projects."""
        return self.paginate("/rest/v1.0/projects", {"company_id": self.company_id})

    def project(self, project_id: int) -> dict[str, Any]:
        """One project."""
        return dict(self.get(f"/rest/v1.0/projects/{project_id}", company_id=self.company_id))

    # Project vendors default to the `normal` view and company vendors to `extended`: asked
    # for by name everywhere, a vendor has the same fields (trades, parent) whichever path
    # brought it.
    def vendor(self, vendor_id: int) -> dict[str, Any]:
        """One company vendor (Company Directory), with its primary contact."""
        path = f"/rest/v1.0/vendors/{vendor_id}"
        return dict(self.get(path, company_id=self.company_id, view=VENDOR_VIEW))

    def project_vendors(self, project_id: int) -> Iterator[dict[str, Any]]:
        """The vendors on a project's directory."""
        return self.paginate(f"/rest/v1.0/projects/{project_id}/vendors", {"view": VENDOR_VIEW})

    def project_vendor(self, project_id: int, vendor_id: int) -> dict[str, Any]:
        """One vendor of a project's directory (ProcoreNotFound when not on the project)."""
        path = f"/rest/v1.0/projects/{project_id}/vendors/{vendor_id}"
        return dict(self.get(path, view=VENDOR_VIEW))

    def hooks(self, *, scope: dict[str, int], namespace: str) -> list[dict[str, Any]]:
        """Our hooks in a company or project scope (`{"company_id": N}` or `{"project_id": N}`)."""
        return list(self.get("/rest/v1.0/webhooks/hooks", **scope, namespace=namespace))

    def find_hook(
        self, *, scope: dict[str, int], namespace: str, destination_url: str
    ) -> dict[str, Any] | None:
        """Our namespace's hook sending to `destination_url` in the scope, if there is one."""
        for hook in self.hooks(scope=scope, namespace=namespace):
            if (
                hook.get("namespace") == namespace
                and hook.get("destination_url") == destination_url
            ):
                return dict(hook)
        return None

    def create_hook(
        self, *, scope: dict[str, int], namespace: str, destination_url: str, authorization: str
    ) -> dict[str, Any]:
        """A hook sending to `destination_url` with our static Authorization value.

        Made once: after a lost answer the hook is looked for rather than made again (callers
        look first too, see `find_hook`, so that running an install twice makes one hook).
        """
        body = {
            **scope,
            "hook": {
                "api_version": "v2",
                "namespace": namespace,
                "destination_url": destination_url,
                "destination_headers": {"Authorization": authorization},
            },
        }
        return self._create(
            "/rest/v1.0/webhooks/hooks",
            body,
            find=lambda: self.find_hook(
                scope=scope, namespace=namespace, destination_url=destination_url
            ),
        )

    def update_hook(
        self, hook_id: int, *, scope: dict[str, int], destination_url: str, authorization: str
    ) -> dict[str, Any]:
        """Point a hook at a new URL or Authorization value."""
        body = {
            **scope,
            "hook": {
                "destination_url": destination_url,
                "destination_headers": {"Authorization": authorization},
            },
        }
        path = f"/rest/v1.0/webhooks/hooks/{hook_id}"
        # Sets the same values each time: safe to repeat.
        return dict(self.request("PATCH", path, json=body, idempotent=True).json())

    def triggers(self, hook_id: int, *, scope: dict[str, int]) -> list[dict[str, Any]]:
        """A hook's triggers."""
        return list(self.get(f"/rest/v1.0/webhooks/hooks/{hook_id}/triggers", **scope))

    def find_trigger(
        self, hook_id: int, *, scope: dict[str, int], resource_name: str, event_type: str
    ) -> dict[str, Any] | None:
        """The hook's trigger for that resource name and event type, if there is one."""
        wanted = (resource_name, event_type)
        for trigger in self.triggers(hook_id, scope=scope):
            if (trigger.get("resource_name"), trigger.get("event_type")) == wanted:
                return dict(trigger)
        return None

    def create_trigger(
        self, hook_id: int, *, scope: dict[str, int], resource_name: str, event_type: str
    ) -> dict[str, Any]:
        """One trigger (resource name and event type) on a hook, made once (as a hook is)."""
        body = {
            **scope,
            "api_version": "v2",
            "trigger": {"resource_name": resource_name, "event_type": event_type},
        }
        return self._create(
            f"/rest/v1.0/webhooks/hooks/{hook_id}/triggers",
            body,
            find=lambda: self.find_trigger(
                hook_id, scope=scope, resource_name=resource_name, event_type=event_type
            ),
        )

    def deliveries(self, hook_id: int, *, scope: dict[str, int]) -> list[dict[str, Any]]:
        """A hook's delivery history."""
        path = f"/rest/v1.0/webhooks/hooks/{hook_id}/deliveries"
        return list(self.get(path, **scope))
