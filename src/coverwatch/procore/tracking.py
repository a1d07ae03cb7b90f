"""Which companies of a Procore project coverwatch tracks: the GC's rule, decided purely.

A project directory holds everyone on the job: the owner, the architect, consultants and the
GC's own record as well as the subcontractors. Only the companies a GC means get COI requests:

- `subcontractors` (the default): those with a live commitment (work order or purchase order
  contract) on the project, whether or not they are in its directory;
- `directory`: everyone in the project directory but the GC's own record and inactive
  companies, narrowed to `trades` when the rule names some; commitment holders count too when
  the connection's `work_order_contracts` is on.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from coverwatch.errors import InvalidInput

MODES = ("subcontractors", "directory")
DEFAULT_MODE = "subcontractors"


@dataclass(frozen=True)
class TrackingRule:
    """The rule of one connection, with whether commitments count under it."""

    mode: str = DEFAULT_MODE
    trades: tuple[str, ...] = ()
    commitments: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The rule as stored in `ProcoreConnection.tracking`."""
        return {"mode": self.mode, "trades": list(self.trades)}


def parse_rule(data: Mapping[str, Any] | None, *, work_order_contracts: bool) -> TrackingRule:
    """A stored or given rule, checked (an empty one is the default)."""
    data = data or {}
    mode = data.get("mode") or DEFAULT_MODE
    if mode not in MODES:
        raise InvalidInput(f"tracking mode must be one of {', '.join(MODES)}")
    trades = data.get("trades") or []
    if not isinstance(trades, list | tuple) or not all(isinstance(t, str) for t in trades):
        raise InvalidInput("tracking trades must be a list of trade names")
    if trades and mode != "directory":
        raise InvalidInput("trades narrow the directory mode only")
    cleaned = tuple(dict.fromkeys(t.strip() for t in trades if t.strip()))
    # Under `subcontractors` commitments are the rule itself, whatever the flag says.
    counts = mode == "subcontractors" or work_order_contracts
    return TrackingRule(mode=mode, trades=cleaned, commitments=counts)


def is_tracked(
    rule: TrackingRule,
    *,
    vendor: Mapping[str, Any] | None,
    in_directory: bool,
    commitments: Collection[str],
) -> bool:
    """Whether a Procore vendor is tracked on a project, given its live commitments there."""
    if rule.commitments and commitments:
        return True
    if rule.mode != "directory" or not in_directory or vendor is None:
        return False
    if vendor.get("company_vendor") is True or vendor.get("is_active") is False:
        return False  # the GC's own record, or a company no longer active
    if not rule.trades:
        return True
    wanted = {t.casefold() for t in rule.trades}
    names = {str(t.get("name") or "").strip().casefold() for t in vendor.get("trades") or []}
    return bool(wanted & names)


def describe(rule: TrackingRule) -> str:
    """The rule in one line, for people."""
    if rule.mode == "subcontractors":
        return "subcontractors: companies with a live commitment on the project"
    scope = f"trades {', '.join(rule.trades)}" if rule.trades else "every trade"
    extra = ", and commitment holders" if rule.commitments else ""
    return f"directory: {scope}, not the GC's own record nor inactive companies{extra}"
