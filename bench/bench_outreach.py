"""Outreach planning through the database: project vendors planned and emails written per second.

Usage: python bench/bench_outreach.py [--vendors N] [--database-url URL]
Creates a throw-away organization in a fresh SQLite file (or the given database, which it
empties) with N vendors on one project, each with an office contact and an agent: a third with
nothing on file (collection requests), a third short of GL (deficiency notices), a third
compliant with policies expiring in 20 days (renewal requests). Times the first `plan_all()`
(opens every request and writes every email, kept for the mailbox) and a second one (nothing
due: the 15-minute timer's usual pass).
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime

from bench_db import bench_project, fresh_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=1500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    # Emails are written and kept; sending is measured by the SMTP server, not here.
    os.environ["COVERWATCH_JOBS_IMMEDIATE"] = "false"
    engine = fresh_database(args.database_url)

    from sqlalchemy import func, select

    from coverwatch import clock
    from coverwatch.certificates import service as certificates
    from coverwatch.compliance import service as compliance
    from coverwatch.db import session_scope
    from coverwatch.demo.company import sample_certificate
    from coverwatch.outreach.models import OutboundEmail, OutreachRequest
    from coverwatch.outreach.tasks import plan_all
    from coverwatch.vendors import service as vendors
    from coverwatch.vendors.schemas import ContactIn, VendorIn

    # A Tuesday morning in New York: reminders and renewals may go out.
    clock.travel(at=datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    today = clock.today()
    with session_scope() as session:
        org, project = bench_project(session)
        for index in range(args.vendors):
            name = f"Bench Trade {index} LLC"
            vendor = vendors.create_vendor(
                session,
                org_id=org.id,
                actor="bench",
                data=VendorIn(
                    legal_name=name,
                    contacts=[
                        ContactIn(role="office", email=f"office{index}@bench.example"),
                        ContactIn(role="insurance_agent", email=f"agent{index % 50}@bench.example"),
                    ],
                ),
            )
            if index % 3:
                certificates.add_certificate(
                    session,
                    vendor=vendor,
                    actor="bench",
                    data=sample_certificate(
                        insured=name,
                        today=today,
                        gl_occurrence=500_000 if index % 3 == 1 else 2_000_000,
                        expires_in_days=20,
                    ),
                )
            pv = vendors.assign(session, project=project, vendor=vendor, actor="bench")
            compliance.evaluate_project_vendor(session, project_vendor=pv, trigger="daily")
    started = time.perf_counter()
    emails = plan_all()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = plan_all()
    second = time.perf_counter() - started
    with session_scope() as session:
        requests = session.scalar(select(func.count()).select_from(OutreachRequest))
        stored = session.scalar(select(func.count()).select_from(OutboundEmail))
    print(
        f"{engine.dialect.name}: {args.vendors} project vendors; first pass {first:.2f} s "
        f"({args.vendors / first:.0f} project vendors/s), {requests} requests opened, "
        f"{emails} emails written ({stored} stored); second pass {second:.2f} s "
        f"({args.vendors / second:.0f}/s), {again} emails"
    )


if __name__ == "__main__":
    main()
