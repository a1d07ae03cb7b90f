"""Email addresses we store or send to: one rule for all of them.

The rule is email-validator's, through pydantic's `EmailStr`, with two changes of ours: a display
name ("Pat Lee <pat@acme.com>"), which `EmailStr` quietly strips, is refused, since the field
holds an address and nothing else; and the address is kept in lower case, as users, contacts and
inbound mail are matched. Syntax only: deliverability (DNS) is never asked (`EmailStr` does not,
and this service often runs where there is no resolver).

email-validator refuses special-use domains (`localhost`, `test`, `invalid`, ...), which is right
for a service that sends mail. It accepts `example` and its subdomains (RFC 6761 says to treat
them as ordinary names); the demo and the tests use `*.example` addresses throughout, so that is
made sure of here whatever the installed version's list says.

Addresses read from a certificate (the producer's) are not checked when read: the parser only
repairs what OCR garbles. They must pass this rule before anything is sent to them.
"""

from __future__ import annotations

from typing import Annotated

import email_validator
from pydantic import AfterValidator, BeforeValidator, EmailStr, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from coverwatch.errors import InvalidInput

# Documentation domains (RFC 2606 and 6761): used by the demo and the tests, never delivered to.
ALLOWED_SPECIAL_USE = ("example",)
for _name in ALLOWED_SPECIAL_USE:
    if _name in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        email_validator.SPECIAL_USE_DOMAIN_NAMES.remove(_name)


def _refuse_display_name(value: object) -> object:
    if isinstance(value, str) and ("<" in value or ">" in value):
        raise PydanticCustomError(
            "value_error",
            "value is not a valid email address: {reason}",
            {"reason": "give the address alone, without a name or angle brackets"},
        )
    return value


def _lower(value: str) -> str:
    return value.lower()


EmailAddress = Annotated[EmailStr, BeforeValidator(_refuse_display_name), AfterValidator(_lower)]
"""A pydantic field type: a valid address, normalised (IDN domains in Unicode, NFC), lower case."""

_ADAPTER: TypeAdapter[str] = TypeAdapter(EmailAddress)


def check_email(value: str) -> str:
    """`value` as a normalised address, or InvalidInput saying what is wrong with it."""
    try:
        return _ADAPTER.validate_python(value)
    except ValidationError as exc:
        shown = " ".join(value.split())[:100]
        if not shown:
            raise InvalidInput("an email address is needed") from None
        raise InvalidInput(f"{shown} is not a valid email address: {_reason(exc)}") from None


def usable_email(value: str | None) -> str | None:
    """The normalised address if `value` is a valid one, else None."""
    if not value:
        return None
    try:
        return check_email(value)
    except InvalidInput:
        return None


def _reason(exc: ValidationError) -> str:
    error = exc.errors()[0]
    reason = str((error.get("ctx") or {}).get("reason") or error.get("msg") or "")
    reason = reason.rstrip(". ")
    return reason[:1].lower() + reason[1:] if reason else "it is not an address"
