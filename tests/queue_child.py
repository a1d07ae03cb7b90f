"""Run in a child process: enqueue evaluation jobs on a real queue and let a real consumer run them.

The parent test sets COVERWATCH_DATA_DIR, COVERWATCH_DATABASE_URL and COVERWATCH_QUEUE_URL.
Prints the statuses that the consumer's jobs computed, as JSON.
"""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from coverwatch.compliance.tasks import evaluate_project_vendor_job
from coverwatch.db import get_engine, session_scope
from coverwatch.jobs import huey, make_consumer
from coverwatch.migrate import upgrade
from coverwatch.vendors.models import ProjectVendor


def main() -> None:
    upgrade(engine=get_engine())
    from coverwatch.demo.company import seed

    seed()
    with session_scope() as session:
        ids = list(session.scalars(select(ProjectVendor.id).order_by(ProjectVendor.id)))
    huey.flush()
    results = [evaluate_project_vendor_job(pv_id, "queue-test") for pv_id in ids]
    consumer = make_consumer(workers=2, periodic=False)
    consumer.start()
    try:
        statuses = [r.get(blocking=True, timeout=60) for r in results]
        # Each evaluation enqueues outreach (planning, then sending): let the consumer drain it.
        deadline = time.monotonic() + 60
        while huey.pending_count() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
    print(
        json.dumps(
            {
                "count": len(ids),
                "statuses": statuses,
                "pending": huey.pending_count(),
                "at": time.time(),
            }
        )
    )


if __name__ == "__main__":
    main()
