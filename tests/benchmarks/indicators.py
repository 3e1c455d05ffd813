"""Indicators on the demo district's year of cases: building the case facts from the events, the
indicators overall and by community and grid, and the dashboard's refresh after a filter change
(facts kept). Target (issue 14): a refresh after a filter change ≤ 200 ms.

    python -m tests.benchmarks.indicators STORE   (./dev.sh bench runs it on its demo store)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta


def run(store_path, line) -> None:
    from data import accounts as A
    from data import indicators as IND
    from data.demo.generator import DEMO_PASSWORD
    from data.store.core import open_store
    store = open_store(store_path)
    try:
        reader = A.sign_in(store, "谭海", DEMO_PASSWORD)
        end = store.meta.get("demo_until")
        from datetime import datetime
        end = datetime.fromisoformat(end)
        start = end - timedelta(days=365)

        def timed(fn, n=5):
            ts = []
            for _ in range(n):
                t = time.perf_counter()
                out = fn()
                ts.append((time.perf_counter() - t) * 1000)
            return statistics.median(ts), out

        print("\nIndicators (the demo's year of cases)")
        ms, facts = timed(lambda: IND.case_facts(store, until=end))
        line("case facts from the events", f"{ms:7.0f} ms  ({len(facts):,} incident records)")
        ms, rep = timed(lambda: IND.indicators(store, start, end, reader=reader))
        line("indicators for a year, whole district", f"{ms:7.0f} ms  (结案率 {rep.overall['closure_rate']:.2%})")
        for by in ("community", "grid"):
            ms, _ = timed(lambda: IND.indicators(store, start, end, by, reader=reader, facts=facts))
            line(f"dashboard refresh, by {by} (facts kept)", f"{ms:7.0f} ms", "≤ 200 ms")
    finally:
        store.close()


if __name__ == "__main__":
    run(sys.argv[1], lambda name, text, target="": print(f"  {name:<40} {text}{('   target ' + target) if target else ''}"))
