"""The daily sweep through the database: project vendors evaluated and recorded per second.

Usage: python bench/bench_sweep.py [--vendors N] [--database-url URL]
Creates a throw-away organization in a fresh SQLite file (or the given database, which it empties),
with N vendors each on one project with a certificate on file, then times `sweep()`.
"""

from __future__ import annotations

import argparse
import time

from bench_db import bench_project, fresh_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    engine = fresh_database(args.database_url)

    from coverwatch import clock
    from coverwatch.certificates import service as certificates
    from coverwatch.compliance.tasks import sweep
    from coverwatch.db import session_scope
    from coverwatch.demo.company import sample_certificate
    from coverwatch.vendors import service as vendors
    from coverwatch.vendors.schemas import VendorIn

    today = clock.today()
    with session_scope() as session:
        org, project = bench_project(session)
        for index in range(args.vendors):
            vendor = vendors.create_vendor(
                session,
                org_id=org.id,
                actor="bench",
                data=VendorIn(legal_name=f"Bench Trade {index} LLC"),
            )
            certificates.add_certificate(
                session,
                vendor=vendor,
                actor="bench",
                data=sample_certificate(
                    insured=f"Bench Trade {index} LLC",
                    today=today,
                    gl_occurrence=500_000 if index % 3 == 0 else 2_000_000,
                ),
            )
            vendors.assign(session, project=project, vendor=vendor, actor="bench")
    started = time.perf_counter()
    count = sweep()
    elapsed = time.perf_counter() - started
    print(
        f"{engine.dialect.name}: {count} project vendors evaluated and recorded in "
        f"{elapsed:.2f} s = {count / elapsed:,.0f} per second"
    )


if __name__ == "__main__":
    main()
