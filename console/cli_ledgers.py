"""The ledgers on the command line: `gridwatch visits due` (the overdue-visit board and escalation,
for a cron job or a wall screen), `gridwatch ledgers import|template`, `gridwatch ledgers zero-reports`.

Without an account (--as) the board is masked: ledger numbers, kinds, grids and days late, never names
or ID numbers. With one, the account's own view (names for the ledger keeper and supervisors),
audited like the console's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone


def add_parsers(sub) -> None:
    actor = dict(dest="actor", default=os.environ.get("GRIDWATCH_USER"),
                 help="the account reading or doing it (password from GRIDWATCH_PASSWORD or asked)")
    vis = sub.add_parser("visits", help="visits to people under supervision: the board of due and overdue ones")
    vsub = vis.add_subparsers(dest="visits_cmd", required=True)
    due = vsub.add_parser("due", help="who needs a visit now (due, overdue, out of supervision); opens the escalation cases")
    due.add_argument("--store", dest="cmd_store", required=True)
    due.add_argument("--json", action="store_true", help="one JSON document on stdout")
    due.add_argument("--no-escalate", action="store_true", help="only list: open no case for people out of supervision")
    due.add_argument("--at", help="as of this time (ISO, office time if no zone); default now")
    due.add_argument("--as", **actor)

    led = sub.add_parser("ledgers", help="the office's ledgers: import people or visit logs from Excel, templates, zero-reports")
    lsub = led.add_subparsers(dest="ledgers_cmd", required=True)
    imp = lsub.add_parser("import", help="import people under supervision or a visit log (.xlsx/.csv); a file with any bad row imports nothing")
    imp.add_argument("kind", choices=["people", "visits"])
    imp.add_argument("file")
    imp.add_argument("--store", dest="cmd_store", required=True)
    imp.add_argument("--coords", default="wgs84", choices=["wgs84", "cgcs2000", "gcj02", "bd09"],
                     help="what the file's longitudes/latitudes are (people): GPS/CGCS2000, or copied from 高德/腾讯 (gcj02) or 百度 (bd09)")
    imp.add_argument("--dry-run", action="store_true", help="check every row and say what would be imported; write nothing")
    imp.add_argument("--as", **actor)
    tpl = lsub.add_parser("template", help="write the Excel template of a ledger import")
    tpl.add_argument("kind", choices=["people", "visits"])
    tpl.add_argument("--out", required=True)
    tpl.add_argument("--lang", dest="tpl_lang", default="zh", choices=["zh", "en"])
    zr = lsub.add_parser("zero-reports", help="today's (or a day's) zero-reports on the petitions: who has not reported")
    zr.add_argument("--store", dest="cmd_store", required=True)
    zr.add_argument("--day", help="YYYY-MM-DD (default today)")
    zr.add_argument("--json", action="store_true")
    zr.add_argument("--as", **actor)


def _at(text: str | None) -> datetime:
    from data.domain import LOCAL_TZ
    if not text:
        return datetime.now(timezone.utc)
    t = datetime.fromisoformat(text)
    return (t if t.tzinfo else t.replace(tzinfo=LOCAL_TZ)).astimezone(timezone.utc)


def run(args: argparse.Namespace) -> int:
    from console.cli import run_on_store
    if args.command == "ledgers" and args.ledgers_cmd == "template":
        from data.ledgers.imports import write_ledger_template
        out = write_ledger_template(args.kind, args.out, args.tpl_lang)
        print(f"template written to {out}")
        return 0
    if args.command == "visits":
        return run_on_store(args, _visits_due)
    return run_on_store(args, _import if args.ledgers_cmd == "import" else _zero_reports)


def _visits_due(args, store) -> int:
    from console.cli import _acting
    from data.domain import HELPER_ROLES, PERSON_KINDS, local_time
    from data.ledgers import people as P
    now = _at(args.at)
    escalated = [] if args.no_escalate else P.escalate_lost(store, now)
    rows = P.visits_due(store, _acting(args, store), now) if args.actor else P.alert_board(store, now)
    if args.json:
        doc = {"at": now.isoformat(), "masked": bool(rows[0].masked) if rows else not args.actor,
               "counts": {s: sum(r.schedule.state == s for r in rows) for s in ("lost", "overdue", "due")},
               "people": [{"ledger_no": r.ledger_no, "name": r.name, "kind": r.kind, "risk": r.risk, "grid": r.grid_code,
                           "state": r.schedule.state, "due_day": r.schedule.due_day.isoformat(), "days_late": r.schedule.days_late,
                           "not_found": r.schedule.not_found,
                           "helpers": {h.role: h.name for h in r.helpers}} for r in rows],
               "escalated": [{"ledger_no": e.ledger_no, "due_day": e.due_day.isoformat(), "case_no": e.case_no} for e in escalated]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    label = {"lost": "脱管 out of supervision", "overdue": "逾期 overdue", "due": "待访 due"}
    print(f"{len(rows)} to visit as of {local_time(now).strftime('%Y-%m-%d %H:%M')} (office time): "
          + ", ".join(f"{sum(r.schedule.state == s for r in rows)} {label[s]}" for s in ("lost", "overdue", "due")))
    for r in rows:
        helper = r.helper("grid_worker") or (r.helpers[0] if r.helpers else None)
        who = f"{HELPER_ROLES[helper.role].zh} {helper.name}" if helper else "—"
        print(f"  {r.ledger_no:<10} {r.name:<6} {PERSON_KINDS[r.kind].zh:<10} {r.grid_code or '—':<8} {r.schedule.state:<8} "
              f"due {r.schedule.due_day.isoformat()}  {r.schedule.days_late:>3} d late  {who}")
    for e in escalated:
        print(f"escalated: {e.ledger_no} (visit due {e.due_day.isoformat()}) -> case {e.case_no}")
    return 0


def _import(args, store) -> int:
    from console.cli import _acting, import_checked
    from data.ledgers import imports as LI
    by = _acting(args, store)
    plan = LI.plan_people(store, args.file, coords=args.coords) if args.kind == "people" else LI.plan_visits(store, args.file)
    return import_checked(plan, args.kind, args.dry_run, lambda: LI.commit(store, by, plan))


def _zero_reports(args, store) -> int:
    from datetime import date
    from console.cli import _acting
    from data.domain import PETITION_ROLES
    from data.ledgers import petitions as T
    by = _acting(args, store)
    rows = T.zero_report_status(store, by, date.fromisoformat(args.day) if args.day else None)
    if args.json:
        json.dump([{"petition_no": r.petition_no, "role": r.role, "name": r.name, "submitted": r.submitted,
                    "nothing_to_report": r.nothing, "report": r.report, "missing": r.missing} for r in rows],
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    missing = [r for r in rows if r.missing]
    print(f"{sum(r.submitted for r in rows)} of {len(rows)} zero-reports in; {len(missing)} missing")
    for r in rows:
        state = "missing" if r.missing else ("nothing to report" if r.nothing else ("REPORT: " + r.report if r.submitted else "not yet"))
        print(f"  {r.petition_no:<12} {PETITION_ROLES[r.role].zh:<6} {r.name:<14} {state}")
    return 0
