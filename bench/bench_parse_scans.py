"""Scanned certificates through `parse_document`: field accuracy, time per page, peak memory.

Each case is a generated flattened certificate (`tests/parsing/corpus.py`, seed n) turned into a
scan or phone photo (`tests/parsing/scans.py`, same seed: 150-300 dpi, skew, blur, noise,
JPEG, now and then sideways or upside down) and parsed from bytes, as an upload would be. All
scans are made in the main process first, then parsed in worker processes, each pinned to its
own CPU (and so is the Tesseract it starts), so a worker's time and memory are the parser's
alone.

    .venv/bin/python bench/bench_parse_scans.py [--count 200] [--start 0] [--jobs 1] [--misses 40]
        [--sample] [--pattern leaky_labels|empty_insurers|marks|redrawn|watermark]

With --sample, the image-only 2014/01 public sample is read instead and scored against
`tests/parsing/expected_sensible_2014.py` (strictly: a glyph missing from the page is a miss).
With --pattern, the certificates are those of one real-world print pattern
(`tests/parsing/scan_patterns.py`) instead of the plain generated corpus.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.parsing.accuracy import Score, compare, flatten, reviewed
from tests.parsing.corpus import generate
from tests.parsing.scan_patterns import PATTERNS
from tests.parsing.scan_patterns import scans as pattern_scans
from tests.parsing.scans import make_scan, recipe, scan_kind

from coverwatch.certificates.schemas import CertificateData
from coverwatch.parsing.document import parse_document
from coverwatch.parsing.errors import ParseError


@dataclass
class Case:
    """One scan's outcome."""

    seed: int
    seconds: float
    score: Score
    error: str | None = None
    kind: str = ""
    notes: list[str] = field(default_factory=list)
    sure_wrong: list[str] = field(default_factory=list)
    reported: int = 0  # values the parser gave


def _sure_wrong(parsed: CertificateData, truth: CertificateData, *, seed: int) -> list[str]:
    """The wrong values the parser did not send to review: the ones that would do harm."""
    got, want = flatten(parsed), flatten(truth)
    return [
        f"#{seed} {path}: got {value!r}, want {want.get(path)!r}"
        for path, value in got.items()
        if want.get(path) != value and not reviewed(path, parsed.needs_review)
    ]


def scans(seeds: list[int]) -> Iterator[tuple[int, bytes, CertificateData]]:
    """(seed, scan bytes, truth) for each seed: a generated certificate, scanned."""
    for seed in seeds:
        pdf, truth = generate(seed, "flattened")
        yield seed, make_scan(pdf, seed=seed), truth


def parse_case(
    case: tuple[int, bytes, CertificateData],
) -> tuple[Case, tuple[float, float, float]]:
    """Parse one scan: its score, and the peak memory (MB): own, Tesseract's, both at once."""
    seed, scan, truth = case
    plan = recipe(seed)
    notes = [
        f"{plan.dpi}dpi {plan.output} turns={plan.quarter_turns} skew={plan.skew_degrees}"
        f" blur={plan.blur_sigma} noise={plan.noise_sigma} jpeg={plan.jpeg_quality}"
    ]
    sampler = _PeakSampler()
    sampler.start()
    start = time.perf_counter()
    try:
        parsed = parse_document(scan, filename=f"scan-{seed}")
    except ParseError as error:
        seconds = time.perf_counter() - start
        # Nothing read: every field of the truth is missed.
        score = Score(truth_fields=compare(truth, truth).truth_fields)
        score.misses.append(f"#{seed}: ParseError {error.code}: {error.message}")
        result = Case(seed, seconds, score, error=error.code, kind=scan_kind(scan), notes=notes)
    else:
        seconds = time.perf_counter() - start
        score = compare(parsed, truth, label=f"#{seed} ")
        result = Case(seed, seconds, score, kind=scan_kind(scan), notes=notes)
        result.sure_wrong = _sure_wrong(parsed, truth, seed=seed)
        result.reported = len(flatten(parsed))
    return result, sampler.stop()


class _PeakSampler(threading.Thread):
    """Peak memory while a parse runs (MB): this process's resident set, that of the largest
    Tesseract it started, and the largest sum of the two at one moment."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.own = 0
        self.tesseract = 0
        self.together = 0
        self.running = True

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        with open("/proc/self/statm") as statm:
            while self.running:
                statm.seek(0)
                own = int(statm.read().split()[1]) * page
                children = sum(_resident(pid) for pid in _children())
                self.own = max(self.own, own)
                self.tesseract = max(self.tesseract, children)
                self.together = max(self.together, own + children)
                # The sampler shares the pinned core with the parse it measures: every 20 ms
                # costs that parse ~1% (every 5 ms cost several %), and Tesseract's memory
                # stays near its peak for far longer than that.
                time.sleep(0.02)

    def stop(self) -> tuple[float, float, float]:
        self.running = False
        self.join()
        megabyte = 1024 * 1024
        return self.own / megabyte, self.tesseract / megabyte, self.together / megabyte


def _children() -> list[int]:
    pids: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids.extend(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    return pids


def _resident(pid: int) -> int:
    # A child that has only forked and not yet exec'd tesseract shares this process's pages.
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "tesseract":
            return 0
        fields = Path(f"/proc/{pid}/status").read_text().split("\n")
    except OSError:
        return 0
    rss = next((line for line in fields if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(rss.split()[1]) * 1024


def _worker_init(lock: Any, slots: Any) -> None:
    # One CPU per worker, handed out in start order; Tesseract inherits the affinity.
    with lock:
        slot = slots.pop(0) if len(slots) else 0
    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {available[slot % len(available)]})


def main() -> None:
    """Run the cases and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes, one CPU each")
    parser.add_argument("--misses", type=int, default=40, help="wrong fields to list")
    parser.add_argument("--pattern", choices=PATTERNS, help="one real-world print pattern")
    parser.add_argument("--sample", action="store_true", help="the 2014/01 image-only sample")
    args = parser.parse_args()
    if args.sample:
        _sample_2014()
        return
    seeds = list(range(args.start, args.start + args.count))
    jobs = max(1, args.jobs)
    results: list[tuple[Case, tuple[float, float, float]]] = []
    began = time.perf_counter()
    # Workers are spawned, not forked: a fresh interpreter holds only what parsing needs, so its
    # memory is the parser's and not a copy of this process (generator, PDF writer...).
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    slots = manager.list(range(jobs))
    lock = manager.Lock()
    # Every scan is made before the first parse: made alongside, the generator (rendering,
    # blurring, JPEG) took CPU time from the parses it was meant to leave alone.
    cases = pattern_scans(seeds, pattern=args.pattern) if args.pattern else list(scans(seeds))
    with context.Pool(jobs, initializer=_worker_init, initargs=(lock, slots)) as pool:
        for result in pool.imap_unordered(parse_case, cases):
            results.append(result)
            print(f"\r{len(results)}/{len(seeds)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    _report(results, elapsed=time.perf_counter() - began, misses=args.misses, jobs=jobs)


def _report(
    results: list[tuple[Case, tuple[float, float, float]]],
    *,
    elapsed: float,
    misses: int,
    jobs: int,
) -> None:
    cases = sorted((case for case, _ in results), key=lambda c: c.seed)
    total = Score()
    for case in cases:
        total.add(case.score)
    times = sorted(case.seconds for case in cases)
    own_peak = max(peak[0] for _, peak in results)
    tesseract_peak = max(peak[1] for _, peak in results)
    together_peak = max(peak[2] for _, peak in results)
    errors = Counter(case.error for case in cases if case.error)
    kinds = Counter(case.kind for case in cases)
    print(f"scans: {len(cases)} ({kinds['pdf']} PDF, {kinds['image']} image), jobs: {jobs}")
    print(f"reported values: {sum(case.reported for case in cases)}")
    print(f"wall time: {elapsed:.0f} s")
    print(
        f"field accuracy: {total.accuracy:.4f} "
        f"({total.correct}/{total.truth_fields} fields, {total.extra} invented)"
    )
    reported = sum(case.reported for case in cases)
    print(
        f"not in needs_review: {total.sure} values, {total.sure_wrong} wrong "
        f"({1000 * total.sure_error_rate:.2f} per 1,000); "
        f"{1 - total.sure / max(1, reported):.1%} of reported values sent to review"
    )
    print(
        f"seconds per page: median {statistics.median(times):.2f}, "
        f"p90 {times[int(0.9 * (len(times) - 1))]:.2f}, max {times[-1]:.2f}"
    )
    print(
        f"peak RSS while parsing: parser process {own_peak:.0f} MB, Tesseract "
        f"{tesseract_peak:.0f} MB, both together {together_peak:.0f} MB"
    )
    if errors:
        print(f"parse errors: {dict(errors)}")
    worst = sorted(cases, key=lambda c: c.score.accuracy)[:5]
    print("worst scans:")
    for case in worst:
        print(f"  #{case.seed} {case.score.accuracy:.3f} {' '.join(case.notes)}")
    by_field = Counter(_field_of(line) for case in cases for line in case.score.misses)
    print("misses by field: " + ", ".join(f"{k} {v}" for k, v in by_field.most_common(20)))
    print("wrong and not in needs_review:")
    for line in [m for case in cases for m in case.sure_wrong]:
        print("  " + line)
    print("misses:")
    for line in [m for case in cases for m in case.score.misses][:misses]:
        print("  " + line)


def _sample_2014() -> None:
    from tests.parsing import expected_sensible_2014 as expected
    from tests.samples import sample

    truth = CertificateData.model_validate(expected.EXPECTED)
    start = time.perf_counter()
    parsed = parse_document(sample(SAMPLE_2014), filename=SAMPLE_2014)
    seconds = time.perf_counter() - start
    score = compare(parsed, truth)
    got = flatten(parsed)
    # Where glyphs are missing from the page, the text as printed counts as read right.
    printed = [
        path
        for path, value in flatten(truth).items()
        if got.get(path) != value and got.get(path) == expected.DEGRADED.get(path)
    ]
    right = score.correct + len(printed)
    total = score.truth_fields + score.extra
    print(f"{SAMPLE_2014}: {seconds:.1f} s")
    print(
        f"field accuracy: {right / total:.4f} ({right}/{total} fields as printed, "
        f"{score.correct} as intended, {score.extra} invented); not in needs_review: "
        f"{score.sure} values"
    )
    for line in score.misses:
        if not any(line.startswith(path + ":") for path in printed):
            print("  " + line)


SAMPLE_2014 = "sample_acord25_2014-01_image-only-scan_sensible.pdf"


def _field_of(miss: str) -> str:
    path = miss.split(" ", 1)[1].split(":", 1)[0] if " " in miss else miss
    parts = [part for part in path.split("/") if part and not part.isdigit()]
    return "/".join(parts[:3])


if __name__ == "__main__":
    main()
