"""The client against answers the sandbox never gives: Link spellings, bad Retry-After, lost
answers to writes. A scripted server on loopback gives them over real HTTP."""

from __future__ import annotations

import email.utils
import time
from dataclasses import replace

import pytest

from coverwatch.procore.errors import (
    ProcoreOutcomeUnknown,
    ProcoreRateLimited,
    ProcoreStatusError,
    ProcoreTransportError,
)
from tests.procore.conftest import FAST_RETRY
from tests.procore.scripted_server import Answer, ScriptedServer, Seen, scripted_client

PAGES, PER_PAGE = 3, 2
QUICK_TIMEOUT = replace(FAST_RETRY, timeout=0.3)
LATE = 1.0  # seconds: past QUICK_TIMEOUT


def _page_url(page: int) -> str:
    return f"http://procore.invalid/rest/v1.0/things?page={page}&per_page={PER_PAGE}"


def _links(style: str, page: int) -> list[tuple[str, str]]:
    """The Link header(s) of `page` of PAGES, written in one of the ways servers write them."""
    first, last = _page_url(1), _page_url(PAGES)
    following = _page_url(page + 1) if page < PAGES else None
    if style == "quoted":
        return [("Link", f'<{following}>; rel="next"')] if following else []
    if style == "unquoted":
        return [("Link", f"<{following}>; rel=next")] if following else []
    if style == "several links, next unquoted":
        links = [f'<{first}>; rel="first"']
        if page > 1:
            links.append(f"<{_page_url(page - 1)}>; rel=prev")
        if following:
            links.append(f"<{following}>; rel=next")
        links.append(f'<{last}>; rel="last"')
        return [("Link", ", ".join(links))]
    if style == "one link with two relations":
        if following == last:
            return [("Link", f'<{first}>; rel="first prev", <{last}>; rel="next last"')]
        return [("Link", f'<{following}>; rel="next", <{last}>; rel="last"')] if following else []
    assert style == "two Link headers"
    headers = [("Link", f'<{first}>; rel="first"')]
    if following:
        headers.append(("Link", f'<{following}>; rel="next"'))
    return headers


@pytest.mark.parametrize(
    "style",
    [
        "unquoted",
        "several links, next unquoted",
        "one link with two relations",
        "two Link headers",
        "quoted",
    ],
)
def test_paging_follows_every_spelling_of_the_next_link(
    scripted: ScriptedServer, style: str
) -> None:
    def answer(seen: Seen) -> Answer:
        page = int(seen.params["page"])
        items = [{"id": (page - 1) * PER_PAGE + n + 1} for n in range(PER_PAGE)]
        return Answer(body=items, headers=_links(style, page))  # no Total header: Link only

    scripted.answer = answer
    client = scripted_client(scripted.url, retry=FAST_RETRY)
    things = list(client.paginate("/rest/v1.0/things", per_page=PER_PAGE))
    assert [t["id"] for t in things] == list(range(1, PAGES * PER_PAGE + 1))
    assert [s.params["page"] for s in scripted.seen] == ["1", "2", "3"]


class Pauses(list[float]):
    """The client's sleeps, slept for real (the rate budget counts wall time)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(seconds)


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize(
    "retry_after",
    ["soon", "-3", "Wed, 32 Foo 2026 99:99:99 GMT", "Mon, 01 Jan 2001 00:00:00 GMT"],
    ids=["garbage", "negative", "malformed date", "date in the past"],
)
def test_a_refusal_with_an_unusable_retry_after_waits_a_while_and_asks_again(
    scripted: ScriptedServer, status: int, retry_after: str
) -> None:
    refusals = 2

    def answer(seen: Seen) -> Answer:
        if len(scripted.seen) <= refusals:
            return Answer(status, headers=[("Retry-After", retry_after)], body={"errors": "busy"})
        return Answer(body={"id": 1})

    scripted.answer = answer
    pauses = Pauses()
    client = scripted_client(scripted.url, retry=FAST_RETRY, sleep=pauses)
    assert client.get("/rest/v1.0/projects/1") == {"id": 1}
    assert len(scripted.seen) == refusals + 1
    # Each refusal was followed by a short wait (the backoff), never by an immediate retry.
    assert len(pauses) >= refusals and all(0 < p < 2 for p in pauses)


def test_a_retry_after_date_to_come_is_waited_for(scripted: ScriptedServer) -> None:
    until = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1..2 s away

    def answer(seen: Seen) -> Answer:
        if len(scripted.seen) == 1:
            return Answer(429, headers=[("Retry-After", until)])
        return Answer(body={"id": 1})

    scripted.answer = answer
    pauses = Pauses()
    client = scripted_client(scripted.url, retry=FAST_RETRY, sleep=pauses)
    assert client.get("/rest/v1.0/projects/1") == {"id": 1}
    assert 0.9 < sum(pauses) < 3


def test_refusals_that_never_end_raise_rate_limited(scripted: ScriptedServer) -> None:
    scripted.answer = lambda _seen: Answer(503, headers=[("Retry-After", "later")])
    client = scripted_client(scripted.url, retry=replace(FAST_RETRY, rate_limit_retries=3))
    with pytest.raises(ProcoreRateLimited) as caught:
        client.get("/rest/v1.0/projects/1")
    assert caught.value.status == 503
    assert len(scripted.seen) == 4


def test_a_post_whose_answer_is_lost_is_not_sent_again(scripted: ScriptedServer) -> None:
    scripted.answer = lambda _seen: Answer(201, body={"id": 5}, delay=LATE)
    client = scripted_client(scripted.url, retry=QUICK_TIMEOUT)
    with pytest.raises(ProcoreTransportError) as caught:
        client.request("POST", "/rest/v1.0/things", json={"thing": {}})
    assert len(scripted.requests("POST")) == 1
    assert isinstance(caught.value, ProcoreOutcomeUnknown)


def test_a_post_answered_with_a_server_error_is_not_sent_again(scripted: ScriptedServer) -> None:
    scripted.answer = lambda _seen: Answer(502, body={"errors": "bad gateway"})
    client = scripted_client(scripted.url, retry=FAST_RETRY)
    with pytest.raises(ProcoreStatusError) as caught:
        client.request("POST", "/rest/v1.0/things", json={"thing": {}})
    assert caught.value.status == 502
    assert len(scripted.requests("POST")) == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_calls_are_retried_after_a_lost_answer(
    scripted: ScriptedServer, method: str
) -> None:
    def answer(seen: Seen) -> Answer:
        return Answer(body={"ok": True}, delay=LATE if len(scripted.seen) == 1 else 0.0)

    scripted.answer = answer
    client = scripted_client(scripted.url, retry=QUICK_TIMEOUT)
    assert client.request(method, "/rest/v1.0/things/1").json() == {"ok": True}
    assert len(scripted.requests(method)) == 2


def test_a_post_that_never_reached_procore_is_tried_again() -> None:
    pauses = Pauses()
    client = scripted_client("http://127.0.0.1:9", retry=FAST_RETRY, sleep=pauses)  # no one there
    with pytest.raises(ProcoreTransportError) as caught:
        client.request("POST", "/rest/v1.0/things", json={"thing": {}})
    assert not isinstance(caught.value, ProcoreOutcomeUnknown)
    assert len(pauses) == FAST_RETRY.attempts - 1  # refused connections: safe to try again


def test_create_hook_after_a_lost_answer_looks_and_raises_when_nothing_was_made(
    scripted: ScriptedServer,
) -> None:
    def answer(seen: Seen) -> Answer:
        if seen.method == "POST":
            return Answer(201, body={"id": 5}, delay=LATE)
        return Answer(body=[])  # the hook list: Procore did not make it (or not yet)

    scripted.answer = answer
    client = scripted_client(scripted.url, retry=QUICK_TIMEOUT)
    with pytest.raises(ProcoreOutcomeUnknown):
        client.create_hook(
            scope={"company_id": 7},
            namespace="coverwatch-test",
            destination_url="https://coverwatch.example/webhooks/procore",
            authorization="Bearer secret",
        )
    assert [s.method for s in scripted.seen] == ["POST", "GET"]
