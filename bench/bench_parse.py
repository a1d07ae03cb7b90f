"""Parsing bench: field accuracy and speed on generated certificates, the sample, a package.

    .venv/bin/python bench/bench_parse.py                 # 250 fillable + 250 flattened
    .venv/bin/python bench/bench_parse.py --n 1000 --misses 20
    .venv/bin/python bench/bench_parse.py --pattern all --n 40   # each print pattern alone

Certificates are generated first (tests/parsing/corpus.py, from the ACORD samples folder that
tests/samples.py finds), then parsed one by one in this process on one core; times are per
certificate, parse only. Accuracy counts every field the ground truth has
(tests/parsing/accuracy.py); "sure" values are those not listed in needs_review, and a wrong sure
value is the error that matters most.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from tests.parsing.accuracy import Score, compare
from tests.parsing.corpus import PATTERNS, Kind, generate_corpus, package
from tests.parsing.test_sensible import EXPECTED as SENSIBLE
from tests.samples import sample

from coverwatch.certificates.schemas import CertificateData
from coverwatch.parsing.document import MAX_OCR_PAGES, parse_document


def run_corpus(
    kind: Kind, n: int, *, start: int, pattern: str | None = None
) -> tuple[Score, list[float]]:
    """Accuracy and parse times over `n` generated certificates."""
    corpus = list(generate_corpus(n, kind, start=start, pattern=pattern))
    score, times = Score(), []
    for seed, pdf, truth in corpus:
        began = time.perf_counter()
        parsed = parse_document(pdf)
        times.append(time.perf_counter() - began)
        score.add(compare(parsed, truth, label=f"{pattern or kind} seed {seed}: "))
    return score, times


def sensible_sample() -> list[str]:
    """The fields of the flattened sample that do not match the hand-checked values."""
    content = sample("sample_acord25_2016-03_flattened-vector_sensible.pdf")
    parsed = parse_document(content)
    got = parsed.model_dump(mode="json", by_alias=True)
    return [
        f"{key}: got {got.get(key)!r}, want {value!r}"
        for key, value in SENSIBLE.items()
        if got.get(key) != value
    ]


def run_package(pages: int) -> tuple[float, CertificateData]:
    """Seconds to parse a certificate followed by endorsement pages."""
    pdf, _ = package(7, pages=pages)
    began = time.perf_counter()
    parsed = parse_document(pdf)
    return time.perf_counter() - began, parsed


def scanned_package(pages: int) -> bytes:
    """The package with every endorsement page replaced by a 150 dpi image of itself."""
    pdf, _ = package(7, pages=pages)
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(1, len(document)):
            bitmap = document[index].render(scale=150 / 72, grayscale=True)
            images.append(bitmap.to_pil())
    finally:
        document.close()
    scans = io.BytesIO()
    images[0].save(scans, format="PDF", resolution=150, save_all=True, append_images=images[1:])
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(pdf)).pages[0])
    for page in PdfReader(scans).pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def run_patterns(options: argparse.Namespace) -> None:
    """Accuracy and wrong sure values per print pattern, each pattern alone on every print."""
    print("| pattern | certificates | fields | accuracy | sure wrong |")
    print("|---|---|---|---|---|")
    misses: list[str] = []
    for pattern in PATTERNS if options.pattern == "all" else [options.pattern]:
        score, times = run_corpus("flattened", options.n, start=options.start, pattern=pattern)
        print(
            f"| {pattern} | {len(times)} | {score.truth_fields} | {score.accuracy:.2%} | "
            f"{score.sure_wrong} |"
        )
        misses += score.misses
    if misses:
        print(f"\nfirst {min(options.misses, len(misses))} of {len(misses)} wrong fields:")
        for miss in misses[: options.misses]:
            print(f"  {miss}")


def main() -> None:
    """Run the bench and print the numbers for docs/benchmarks-parse.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=250, help="certificates per kind")
    parser.add_argument("--start", type=int, default=10_000, help="first seed")
    parser.add_argument("--misses", type=int, default=10, help="wrong fields to list")
    parser.add_argument("--pages", type=int, default=40, help="pages in the package")
    parser.add_argument(
        "--scanned", action="store_true", help="also a package of scanned endorsements (OCR)"
    )
    parser.add_argument(
        "--pattern",
        choices=[*PATTERNS, "all"],
        help="only flattened prints of one real-world print pattern (or each in turn)",
    )
    options = parser.parse_args()
    if options.pattern:
        run_patterns(options)
        return
    # Warm up imports and caches so the first certificate is not charged for them.
    next(iter(generate_corpus(1, "fillable", start=0)))
    parse_document(next(iter(generate_corpus(1, "flattened", start=0)))[1])
    print(
        "| kind | certificates | truth fields | accuracy | sure values | sure wrong | "
        "median ms | p90 ms | max ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    misses: list[str] = []
    for kind in ("fillable", "flattened"):
        score, times = run_corpus(kind, options.n, start=options.start)  # type: ignore[arg-type]
        times_ms = sorted(t * 1000 for t in times)
        print(
            f"| {kind} | {len(times)} | {score.truth_fields} | {score.accuracy:.4%} | "
            f"{score.sure} | {score.sure_wrong} ({score.sure_error_rate:.3%}) | "
            f"{statistics.median(times_ms):.1f} | {times_ms[int(len(times_ms) * 0.9)]:.1f} | "
            f"{times_ms[-1]:.1f} |"
        )
        misses += score.misses
    wrong = sensible_sample()
    print(f"\nsensible flattened sample: {wrong or 'every value right'}")
    seconds, parsed = run_package(options.pages)
    print(
        f"{options.pages}-page package (certificate + endorsement pages): {seconds:.2f} s, "
        f"{len(parsed.endorsements)} endorsements found"
    )
    if options.scanned:
        content = scanned_package(options.pages)
        began = time.perf_counter()
        parsed = parse_document(content)
        print(
            f"{options.pages}-page package, endorsement pages scanned (OCR, at most "
            f"{MAX_OCR_PAGES} pages): {time.perf_counter() - began:.1f} s, "
            f"{len(parsed.endorsements)} endorsements found"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (generation included): {peak:.0f} MB")
    if misses:
        print(f"\nfirst {min(options.misses, len(misses))} of {len(misses)} wrong fields:")
        for miss in misses[: options.misses]:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
