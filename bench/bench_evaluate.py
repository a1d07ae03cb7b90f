"""Evaluations per second on one core: two certificates on file against each built-in template.

The certificates are realistic: a main ACORD 25 (GL, auto, umbrella, with endorsements and a
full Description of Operations) and a separate workers' compensation certificate, evaluated with
project, vendor and rating-table facts, as the compliance service does.

"warm" re-evaluates the same certificates (the nightly re-check: parsed descriptions and names
are cached); "cold" clears those caches before every evaluation (a certificate never seen before).

    .venv/bin/python bench/bench_evaluate.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

# The certificates come from the test factories, so the benchmark and the tests share one picture
# of a realistic sub.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.requirements.factories import (
    AS_OF,
    RATINGS,
    make_certificate,
    make_project,
    make_vendor,
    make_wc_certificate,
)

from coverwatch.requirements import evidence, names, ratings
from coverwatch.requirements.engine import evaluate
from coverwatch.requirements.packs import BUILTIN_TEMPLATES

_CACHED = [
    function
    for module in (evidence, names, ratings)
    for function in vars(module).values()
    if hasattr(function, "cache_clear")
]


def _clear_caches() -> None:
    for function in _CACHED:
        function.cache_clear()


def _rate(run: Callable[[], object], *, seconds: float, before: Callable[[], None] | None) -> float:
    """Evaluations per second, timed over about `seconds` after a short warm-up."""
    for _ in range(50):
        run()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            if before is not None:
                before()
            run()
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def main() -> None:
    """Print a table of evaluations per second for each built-in template."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    certificates = [
        make_certificate(lines=("general_liability", "auto_liability", "umbrella")),
        make_wc_certificate(),
    ]
    project, vendor = make_project(), make_vendor()
    print(f"{'template':<24}{'status':<14}{'warm eval/s':>13}{'cold eval/s':>13}{'µs warm':>10}")
    for key, template in BUILTIN_TEMPLATES.items():

        def run(template: object = template) -> object:
            return evaluate(
                certificates=certificates,
                template=template,  # type: ignore[arg-type]
                as_of=AS_OF,
                project=project,
                vendor=vendor,
                ratings=RATINGS,
            )

        status = run().status  # type: ignore[attr-defined]
        warm = _rate(run, seconds=args.seconds, before=None)
        cold = _rate(run, seconds=args.seconds, before=_clear_caches)
        print(f"{key:<24}{status:<14}{warm:>13,.0f}{cold:>13,.0f}{1e6 / warm:>10.0f}")


if __name__ == "__main__":
    main()
