"""Print the run-level fault → outcome table (markdown) by running tests/test_faults.py's SCENARIOS.

    python bench/fault_table.py            # all rows (about a minute: the timeout rows wait for real timeouts)
    python bench/fault_table.py -k amac    # rows whose id contains "amac"

Each row is the same baseline → faulty run → clean run as the test, with the same assertions; a row whose
assertions fail is printed with FAIL and the message.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_faults import SCENARIOS, TABLE_HEAD, run_scenario  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only rows whose id contains this")
    args = ap.parse_args()
    print(TABLE_HEAD)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, s in enumerate(x for x in SCENARIOS if args.k in x.id):
            try:
                print(run_scenario(s, Path(tmp) / str(i)).row(), flush=True)
            except AssertionError as exc:
                failed += 1
                print(f"| {s.source} | {s.target} | {s.label or s.kind} | FAIL | {' '.join(str(exc).split())[:200]} "
                      "| | | |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
