"""Indicators on the demo district's year of cases: building the case facts from the events, the
indicators overall and by community and grid, and the dashboard's refresh after a filter change
(facts kept), and the monthly report as a PDF. Targets (issue 14): a refresh after a filter change
≤ 200 ms; a monthly PDF ≤ 5 s.

    python -m tests.benchmarks.indicators STORE   (./dev.sh bench runs it on its demo store)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta


def run(store_path, line) -> None:
    import os
    import tempfile
    os.environ["GRIDWATCH_CACHE_DIR"] = tempfile.mkdtemp(prefix="gw-facts-")  # never the user's cache
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
        from data import facts_cache
        import shutil

        def cold():
            facts_cache._memory.clear()
            shutil.rmtree(facts_cache.cache_dir(), ignore_errors=True)
            return IND.case_facts(store, until=end)
        ms, facts = timed(cold, n=3)
        line("case facts built from every event", f"{ms:7.0f} ms  ({len(facts):,} incident records)")
        ms, facts = timed(lambda: IND.case_facts(store, until=end))
        line("case facts from the cache", f"{ms:7.0f} ms")
        ms, rep = timed(lambda: IND.indicators(store, start, end, reader=reader))
        line("indicators for a year, whole district", f"{ms:7.0f} ms  (结案率 {rep.overall['closure_rate']:.2%})")
        for by in ("community", "grid"):
            ms, _ = timed(lambda: IND.indicators(store, start, end, by, reader=reader, facts=facts))
            line(f"dashboard refresh, by {by} (facts kept)", f"{ms:7.0f} ms", "≤ 200 ms")
        # What the dock does when a filter changes: the indicators by community of one community's
        # cases and the trend week by week.
        community = IND.community_names(store)[0]

        def refresh():
            where = {"community": community}
            IND.indicators(store, start, end, "category", reader=reader, facts=facts, where=where)
            IND.trend(IND.keep(facts, where), start, end, "week")
        ms, _ = timed(refresh)
        line("dashboard refresh after a filter change (+ trend)", f"{ms:7.0f} ms", "≤ 200 ms")
        # The month before the demo's end, as a PDF (map, charts, tables).
        import tempfile
        from pathlib import Path
        from console.report_pdf import write_month_pdf
        from data.reports import month_report
        from console.app import make_app
        make_app([])
        last = (end.astimezone(IND.LOCAL_TZ).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        with tempfile.TemporaryDirectory() as tmp:
            def pdf():
                rep = month_report(store, last, reader=reader)
                return write_month_pdf(store, rep, Path(tmp) / "month.pdf")
            ms, out = timed(pdf, n=3)
            line(f"monthly report {last} as PDF", f"{ms:7.0f} ms  ({out.stat().st_size / 1e6:.1f} MB)", "≤ 5000 ms")
    finally:
        store.close()


if __name__ == "__main__":
    run(sys.argv[1], lambda name, text, target="": print(f"  {name:<40} {text}{('   target ' + target) if target else ''}"))
