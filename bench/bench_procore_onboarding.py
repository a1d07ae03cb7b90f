"""From "sub added to a project in Procore" to "tracked in coverwatch": latency over real HTTP.

Usage: python bench/bench_procore_onboarding.py [--subs N] [--port P]
Starts `coverwatch demo` (app, in-process job workers, local Procore sandbox) in a subprocess
with a fresh data folder, then, acting as a GC on the sandbox's admin API, creates N vendors and
adds each to a project, timing until the project vendor appears in coverwatch's REST API.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import httpx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subs", type=int, default=50)
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERWATCH_")}
    env.update(
        COVERWATCH_DATA_DIR=tempfile.mkdtemp(prefix="coverwatch-bench-"),
        COVERWATCH_PORT=str(args.port),
    )
    demo = subprocess.Popen(
        [sys.executable, "-c", "from coverwatch.cli import main; main()", "demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        api = f"http://127.0.0.1:{args.port}"
        admin = f"http://127.0.0.1:{args.port + 100}/_admin/api"
        key = None
        assert demo.stdout is not None
        for line in demo.stdout:
            if found := re.search(r"API key \(admin\s*\) (\S+)", line):
                key = found.group(1)
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        assert key, "the demo did not print an API key"
        headers = {"Authorization": f"Bearer {key}"}
        project_id = 5_500_002  # the demo's ground-up project in the sandbox
        latencies = []
        for index in range(args.subs):
            vendor = httpx.post(
                f"{admin}/vendors",
                json={
                    "company_id": 5_400_001,
                    "name": f"Bench Trade {index} LLC",
                    "email_address": f"office{index}@bench.example",
                },
            ).json()
            started = time.perf_counter()
            httpx.post(f"{admin}/projects/{project_id}/vendors/{vendor['id']}").raise_for_status()
            while True:
                found = httpx.get(
                    f"{api}/api/v1/vendors",
                    headers=headers,
                    params={"search": f"Bench Trade {index} LLC"},
                ).json()
                if found["total"]:
                    vendor_id = found["items"][0]["id"]
                    tracked = httpx.get(
                        f"{api}/api/v1/project-vendors",
                        headers=headers,
                        params={"vendor_id": vendor_id},
                    ).json()
                    if tracked["total"]:
                        break
                if time.perf_counter() - started > 30:
                    raise SystemExit(f"sub {index} was not tracked within 30 s")
                time.sleep(0.01)
            latencies.append(time.perf_counter() - started)
        latencies.sort()
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        print(
            f"{len(latencies)} subs: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )
    finally:
        demo.terminate()
        demo.wait(timeout=30)


if __name__ == "__main__":
    main()
