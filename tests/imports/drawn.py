"""The certificate files the import tests use, drawn by the demo and the parsing tests' tools.

Every import of those tools is here, so that moving them is a one-line change.
"""

from __future__ import annotations

from tests.parsing.corpus_print import fill
from tests.parsing.corpus_spec import make_spec
from tests.parsing.scans import make_scan
from tests.samples import drawn_certificate, require_samples


def text_pdf(insured: str, *, compliant: bool = True) -> bytes:
    """A flattened (text) certificate for `insured`: ground-up compliant (for any trade: a
    $10M umbrella, as roofers need), or short of GL."""
    if compliant:
        return drawn_certificate(insured=insured, umbrella=10_000_000)[0]
    return drawn_certificate(insured=insured, gl_each_occurrence=500_000, umbrella=None)[0]


def fillable_pdf(insured: str, *, seed: int) -> bytes:
    """The fillable ACORD 25 with random values and `insured` as the named insured (needs the
    ACORD samples folder: the calling test is skipped without it)."""
    require_samples()
    spec = make_spec(seed)
    spec.fields["NamedInsured_FullName_A"] = insured
    return fill(spec)


def scan_pdf(insured: str, *, seed: int) -> bytes:
    """A scan (image PDF, JPEG or PNG) of a certificate short of GL for `insured`."""
    return make_scan(text_pdf(insured, compliant=False), seed=seed, dpi=300)


def serve(app: object) -> object:
    """The app over real HTTP on loopback, in a thread (for the browser)."""
    from coverwatch.server import ServerThread

    return ServerThread(app).start()
