"""Fixtures shared by the outreach tests."""

from tests.outreach.signing import dkim_dns

__all__ = ["dkim_dns"]
