"""Run in a child process: send one stored email (the parent kills this process mid-send)."""

from __future__ import annotations

import sys

from coverwatch.outreach.emails import deliver

if __name__ == "__main__":
    print(deliver(int(sys.argv[1])), flush=True)
