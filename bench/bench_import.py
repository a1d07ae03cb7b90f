"""Bulk import bench: N certificate files read by `coverwatch worker` processes, end to end.

    .venv/bin/python bench/bench_import.py --files 1000 --scans 0 --workers 2
    .venv/bin/python bench/bench_import.py --files 1000 --scans 200 --fillable 300 --workers 2

A fresh data folder (SQLite database, SQLite job queue, document store) is made; the vendor
list and the certificates are generated first (tests/imports/generator.py: text PDFs drawn by
the demo, fillable ones from the ACORD samples folder, scans made by tests/parsing/scans.py).
Then WORKERS `coverwatch worker --workers 1` processes are started and the import is created
and run as `coverwatch import` does; the time is from the upload to the summary (every file
read, matched and evaluated). Nothing is put on file (the summary is where a person confirms).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DATA = tempfile.mkdtemp(prefix="coverwatch-bench-import-")
os.environ["COVERWATCH_DATA_DIR"] = DATA
os.environ.pop("COVERWATCH_JOBS_IMMEDIATE", None)


def main() -> None:
    """Generate, import, report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=0)
    parser.add_argument("--fillable", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from tests.imports.generator import make_import

    from coverwatch import clock
    from coverwatch.db import get_engine, session_scope
    from coverwatch.imports import service, tasks
    from coverwatch.imports.models import ImportRun
    from coverwatch.migrate import upgrade
    from coverwatch.orgs import service as orgs
    from coverwatch.projects import service as projects
    from coverwatch.projects.schemas import ProjectIn

    began = time.perf_counter()
    kinds = {"scan": args.scans, "fillable": args.fillable, "text_deficient": args.files // 5}
    generated = make_import(args.files, kinds=kinds)  # type: ignore[arg-type]
    print(
        f"generated {args.files} vendors, {generated.certificate_files} certificates "
        f"({args.scans} scans, {args.fillable} fillable) and a {len(generated.archive):,}-byte "
        f"ZIP in {time.perf_counter() - began:.0f} s"
    )
    upgrade(engine=get_engine())
    with session_scope() as session:
        org = orgs.create_organization(session, name="Bench Builders, Inc.")
        today = clock.today()
        project = projects.create_project(
            session,
            org_id=org.id,
            actor="bench",
            data=ProjectIn(
                name="Bench Tower",
                template="ground-up",
                start_date=today,
                end_date=today.replace(year=today.year + 1),
                certificate_holder="Summit Builders, Inc.",
                additional_insureds=["Summit Builders, Inc."],
            ),
        )
        org_id, project_id = org.id, project.id
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    coverwatch = str(Path(sys.executable).with_name("coverwatch"))
    command = [coverwatch, "worker", "--workers", "1", "--no-scheduler"]
    workers = [subprocess.Popen(command, env=env) for _ in range(args.workers)]
    try:
        time.sleep(3)  # the workers migrate and start polling
        started = time.perf_counter()
        with session_scope() as session:
            run = service.create_import(
                session,
                org_id=org_id,
                actor="bench",
                sheet=generated.sheet,
                sheet_name=generated.sheet_name,
                archive=generated.archive,
                project_id=project_id,
            )
            tasks.enqueue_reading(
                session, import_id=run.id, file_ids=service.run_import(session, run=run)
            )
            import_id = run.id
        staged = time.perf_counter() - started
        while True:
            with session_scope() as session:
                run = session.get(ImportRun, import_id)
                assert run is not None
                if run.state == "ready":
                    summary = run.summary
                    break
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
    files = summary["files"]
    print(f"staged (stored, listed, enqueued) in {staged:.1f} s; summary after {elapsed:.1f} s")
    read = files["read"] + files["failed"]
    print(f"  {read} certificate files: {elapsed / max(1, read) * 1000:.0f} ms each, all workers")
    print(f"  files {files}")
    print(f"  statuses {summary['statuses']}; vendors {summary['vendors']}")


if __name__ == "__main__":
    main()
