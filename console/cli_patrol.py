"""Patrol plans and their coverage on the command line: `gridwatch plans add|list|except|alerts` and
`gridwatch coverage` (headless, for a monthly job or a wall screen). The services are in data/patrol."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone

import numpy as np


def add_parsers(sub) -> None:
    actor = dict(dest="actor", default=os.environ.get("GRIDWATCH_USER"),
                 help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    cov = sub.add_parser("coverage", help="patrol coverage from the teams' tracks: per plan and duty window, by team, by grid")
    cov.add_argument("--store", dest="cmd_store", required=True)
    cov.add_argument("--from", dest="start", required=True, help="ISO time or day (office time if no zone)")
    cov.add_argument("--to", dest="end", required=True, help="ISO time or day (a day means its end)")
    cov.add_argument("--plan", dest="plan_ids", type=int, action="append", help="only this plan (may repeat)")
    cov.add_argument("--json", action="store_true", help="one JSON document on stdout")

    pl = sub.add_parser("plans", help="patrol plans: who patrols which route, area or stake-out point, when")
    psub = pl.add_subparsers(dest="plans_cmd", required=True)
    ls = psub.add_parser("list", help="every plan with its team, days and hours")
    ls.add_argument("--store", dest="cmd_store", required=True)
    ls.add_argument("--json", action="store_true")
    add = psub.add_parser("add", help="add a plan: a route through checkpoints along the streets, an area of grids, or a stake-out point")
    add.add_argument("--store", dest="cmd_store", required=True)
    add.add_argument("--name", required=True)
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--checkpoints", help="a route: LON,LAT;LON,LAT;… (WGS-84/CGCS2000), joined along the streets")
    where.add_argument("--grids", help="an area: grid codes, comma-separated")
    where.add_argument("--point", help="a stake-out: LON,LAT")
    add.add_argument("--open", action="store_true", help="a route that does not come back to its first checkpoint")
    add.add_argument("--shortest", action="store_true", help="visit the checkpoints in the order of the shortest tour by road")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--team", help="a team's code")
    who.add_argument("--team-kind", help="every team of this kind (e.g. patrol_volunteer)")
    add.add_argument("--days", default="1234567", help="ISO weekdays, 1 = Monday (default every day)")
    add.add_argument("--hours", required=True, help="HH:MM-HH:MM office time; an end before the start runs past midnight")
    add.add_argument("--key", action="store_true", help="a key area / key period (重点区域、重点时段): full coverage asked, alerts when empty")
    add.add_argument("--target", type=int, help="coverage asked for, percent (default 80; key plans 100)")
    add.add_argument("--radius", type=float, help="checkpoint or stake-out radius in metres (default 30 / 50)")
    add.add_argument("--valid-from", help="first day (default today)")
    add.add_argument("--valid-to", help="last day (default open)")
    add.add_argument("--as", **actor)
    ex = psub.add_parser("except", help="one day off a plan's pattern: cancelled, or other hours")
    ex.add_argument("plan_id", type=int)
    ex.add_argument("--store", dest="cmd_store", required=True)
    ex.add_argument("--day", required=True)
    what = ex.add_mutually_exclusive_group(required=True)
    what.add_argument("--cancel", action="store_true")
    what.add_argument("--hours", help="HH:MM-HH:MM")
    ex.add_argument("--reason", default="")
    ex.add_argument("--as", **actor)
    al = psub.add_parser("alerts", help="plans not started 15 min into their shift, key areas with nobody in them")
    al.add_argument("--store", dest="cmd_store", required=True)
    al.add_argument("--at", help="as of this time (default now)")
    al.add_argument("--json", action="store_true")

    ro = sub.add_parser("rota", help="the duty rota: shifts from Excel, the week with its gaps, who is on shift, swaps")
    rsub = ro.add_subparsers(dest="rota_cmd", required=True)
    tpl = rsub.add_parser("template", help="write an empty rota sheet with the expected columns")
    tpl.add_argument("--out", required=True)
    tpl.add_argument("--lang", dest="tpl_lang", choices=["zh", "en"], default="zh")
    imp = rsub.add_parser("import", help="import shifts from .xlsx or .csv (every row checked first; a bad row imports nothing)")
    imp.add_argument("file")
    imp.add_argument("--store", dest="cmd_store", required=True)
    imp.add_argument("--dry-run", action="store_true", help="check and say what would be imported; write nothing")
    imp.add_argument("--as", **actor)
    wk = rsub.add_parser("week", help="a week of the rota: people on shift per team by day, grids with nobody, key periods short")
    wk.add_argument("--store", dest="cmd_store", required=True)
    wk.add_argument("--week", dest="week_of", help="any day of the week (default this week)")
    wk.add_argument("--json", action="store_true")
    now = rsub.add_parser("now", help="who is on shift at a time (default now): the rota, else the teams' fixed duty hours")
    now.add_argument("--store", dest="cmd_store", required=True)
    now.add_argument("--at", help="ISO time (office time if no zone)")
    now.add_argument("--json", action="store_true")
    sw = rsub.add_parser("swap", help="give a shift to another person, with the reason")
    sw.add_argument("shift_id", type=int)
    sw.add_argument("--store", dest="cmd_store", required=True)
    sw.add_argument("--to", dest="to_person", required=True, help="the person taking the shift: NAME or NAME@TEAMCODE")
    sw.add_argument("--reason", required=True)
    sw.add_argument("--as", **actor)


def _time(text: str, end_of_day: bool = False) -> datetime:
    from data.domain import LOCAL_TZ
    t = datetime.fromisoformat(text)
    if len(text) == 10 and end_of_day:
        t += timedelta(days=1)
    return (t if t.tzinfo else t.replace(tzinfo=LOCAL_TZ)).astimezone(timezone.utc)


def _hours(text: str) -> tuple[int, int]:
    try:
        a, b = text.split("-")
        out = []
        for part in (a, b):
            h, mnt = part.strip().split(":")
            out.append(int(h) * 60 + int(mnt))
        return out[0], out[1]
    except ValueError:
        raise ValueError(f"--hours: {text!r} is not HH:MM-HH:MM") from None


def _lonlat(text: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"{text!r} is not LON,LAT") from None
    return lon, lat


def run(args: argparse.Namespace) -> int:
    from console.cli import run_on_store
    if args.command == "coverage":
        return run_on_store(args, _coverage)
    if args.command == "rota":
        if args.rota_cmd == "template":
            from data.patrol.rota import write_rota_template
            print(f"template written to {write_rota_template(args.out, args.tpl_lang)}")
            return 0
        return run_on_store(args, {"import": _rota_import, "week": _rota_week, "now": _rota_now, "swap": _rota_swap}[args.rota_cmd])
    return run_on_store(args, {"list": _list, "add": _add, "except": _except, "alerts": _alerts}[args.plans_cmd])


def _coverage(args, store) -> int:
    from data.domain import local_time
    from data.patrol.report import coverage
    start, end = _time(args.start), _time(args.end, end_of_day=True)
    if end <= start:
        raise ValueError("--to must be after --from")
    if end - start > timedelta(days=31):
        raise ValueError("at most 31 days at a time (run it per month)")
    rep = coverage(store, start, end, args.plan_ids)
    if args.json:
        json.dump(rep.as_dict(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    met = sum(w.met for w in rep.windows)
    print(f"{len(rep.windows)} duty windows of patrol plans, {met} met their target "
          f"({local_time(start):%Y-%m-%d %H:%M} – {local_time(end):%Y-%m-%d %H:%M}, office time)")
    for w in rep.windows:
        extra = (f"checkpoints {w.reached}/{w.checkpoints}  " if w.checkpoints else "") + \
                (f"held {w.dwell_s / 60:.0f} min  " if w.kind == "stakeout" else f"walked {w.walked_m / 1000:.2f}/{w.planned_m / 1000:.2f} km  ")
        late = "  not started" if w.started_at is None else ("  started late" if w.late_start else "")
        print(f"  #{w.plan_id:<3} {w.plan_name:<16} {local_time(w.start):%m-%d %H:%M}–{local_time(w.end):%H:%M}  "
              f"{w.pct:5.1f}% of {w.target_pct}%  {extra}gaps {len(w.gaps)}{late}{'  KEY' if w.key else ''}")
    by_team = rep.by_team()
    if by_team:
        from data.patrol.report import team_labels
        labels = team_labels(store)
        print("by team (least covered first):")
        for t, g in sorted(by_team.items(), key=lambda kv: (kv[1]["pct"], kv[0])):
            print(f"  {labels.get(t, str(t)):<22} {g['pct']:5.1f}%  {g['met']}/{g['windows']} met  "
                  f"walked {g['walked_m'] / 1000:.2f} km")
    return 0


def _list(args, store) -> int:
    from data.patrol.plans import plans
    rows = plans(store)
    if args.json:
        json.dump([{"id": p.id, "name": p.name, "kind": p.kind, "team": p.team_id, "team_kind": p.team_kind, "days": p.days,
                    "hours": [p.start_min, p.end_min], "key": p.key, "target_pct": p.target_pct,
                    "checkpoints": len(p.checkpoints), "grids": list(p.grid_codes)} for p in rows], sys.stdout, ensure_ascii=False)
        print()
        return 0
    for p in rows:
        who = f"team {p.team_id}" if p.team_id is not None else f"every {p.team_kind}"
        print(f"#{p.id:<3} {p.name:<16} {p.kind:<8} {who:<20} days {p.days:<7} "
              f"{p.start_min // 60:02d}:{p.start_min % 60:02d}-{p.end_min // 60:02d}:{p.end_min % 60:02d}"
              f"{'  KEY' if p.key else ''}")
    print(f"{len(rows)} plan(s)")
    return 0


def _add(args, store) -> int:
    import shapely
    from console.cli import _acting
    from data.domain import local_time
    from data.patrol.plans import add_plan, area_from_grids, route_through, team_id_of
    by = _acting(args, store)
    start_min, end_min = _hours(args.hours)
    team_id = team_id_of(store, args.team) if args.team else None
    checkpoints, grids = None, ()
    if args.checkpoints:
        ll = np.array([_lonlat(p) for p in args.checkpoints.split(";") if p.strip()])
        xy = np.column_stack(store.projection.lonlat_to_xy(ll[:, 0], ll[:, 1]))
        geom, checkpoints = route_through(store, xy, closed=not args.open, shortest=args.shortest)
        kind = "route"
    elif args.grids:
        grids = tuple(c.strip() for c in args.grids.split(",") if c.strip())
        geom, kind = area_from_grids(store, list(grids)), "area"
    else:
        lon, lat = _lonlat(args.point)
        geom, kind = shapely.Point(*(float(v) for v in store.projection.lonlat_to_xy(lon, lat))), "stakeout"
    today = local_time(datetime.now(timezone.utc)).date()
    pid = add_plan(store, name=args.name, kind=kind, geom=geom, by=by, start_min=start_min, end_min=end_min,
                   valid_from=date.fromisoformat(args.valid_from) if args.valid_from else today,
                   valid_to=date.fromisoformat(args.valid_to) if args.valid_to else None, team_id=team_id,
                   team_kind=args.team_kind, days=args.days, key=args.key, target_pct=args.target, checkpoints=checkpoints,
                   grid_codes=grids, radius_m=args.radius)
    length = f", {geom.length / 1000:.2f} km along the streets" if kind == "route" else ""
    print(f"plan #{pid} added: {args.name} ({kind}{length})")
    return 0


def _except(args, store) -> int:
    from console.cli import _acting
    from data.patrol.plans import add_exception
    by = _acting(args, store)
    a, b = _hours(args.hours) if args.hours else (None, None)
    add_exception(store, args.plan_id, date.fromisoformat(args.day), by=by, cancelled=args.cancel, start_min=a, end_min=b,
                  reason=args.reason)
    print(f"plan #{args.plan_id}: {'cancelled' if args.cancel else 'other hours'} on {args.day}")
    return 0


def _alerts(args, store) -> int:
    from data.patrol.report import alerts
    now = _time(args.at) if args.at else datetime.now(timezone.utc)
    found = alerts(store, now)
    if args.json:
        json.dump([{"code": a.code, "plan": a.plan_id, "name": a.plan_name, "since": a.since.isoformat(), "teams": list(a.team_ids)}
                   for a in found], sys.stdout, ensure_ascii=False)
        print()
        return 0
    words = {"patrol.not_started": "not started 15 min into its shift", "patrol.key_area_empty": "key area with nobody in it"}
    for a in found:
        print(f"#{a.plan_id} {a.plan_name}: {words[a.code]} (since {a.since.isoformat()})")
    print(f"{len(found)} alert(s)")
    return 0


def _rota_import(args, store) -> int:
    from console.cli import _acting, import_checked
    from data.patrol import rota
    by = _acting(args, store)
    plan = rota.plan_shifts(store, args.file)
    return import_checked(plan, "shifts", args.dry_run, lambda: rota.import_shifts(store, by, plan))


def _rota_week(args, store) -> int:
    from data.domain import local_time
    from data.patrol.rota import week
    day = date.fromisoformat(args.week_of) if args.week_of else local_time(datetime.now(timezone.utc)).date()
    w = week(store, day)
    if args.json:
        json.dump({"monday": w.monday.isoformat(),
                   "teams": [{"id": t[0], "code": t[1], "name": t[2], "people_by_hour": w.people[k].tolist()} for k, t in enumerate(w.teams)],
                   "gaps": [{"grid": g, "from": w.hour_start(a).isoformat(), "hours": n} for g, a, n in w.gaps],
                   "key_periods_short": [{"plan": p, "name": name, "from": w.hour_start(a).isoformat(), "hours": n, "people": k}
                                         for p, name, a, n, k in w.under],
                   "shifts": len(w.shift_table)}, sys.stdout, ensure_ascii=False)
        print()
        return 0
    print(f"week of {w.monday} (office time): {len(w.shift_table)} shifts")
    days = [(w.monday + timedelta(days=d)).strftime("%a %m-%d") for d in range(7)]
    print(f"  {'team':<12} " + " ".join(f"{d:>10}" for d in days) + "   (most people on shift at once, per day)")
    for k, t in enumerate(w.teams):
        if w.people[k].any():
            print(f"  {t[1]:<12} " + " ".join(f"{int(w.people[k, d * 24:(d + 1) * 24].max()):>10}" for d in range(7)))
    hours = sum(n for _g, _a, n in w.gaps)
    print(f"grids with nobody planned: {len({g for g, _a, _n in w.gaps})} of {len(w.grids)} grids, {hours} grid-hours")
    for p, name, a, n, k in w.under:
        print(f"  key period short: #{p} {name} {w.hour_start(a):%a %m-%d %H:00} for {n} h ({k} on shift)")
    return 0


def _rota_now(args, store) -> int:
    from data.patrol.rota import teams_on_duty
    at = _time(args.at) if args.at else datetime.now(timezone.utc)
    duty, on = teams_on_duty(store, at)
    if args.json:
        json.dump({"at": at.isoformat(), "from_rota": duty.from_rota, "teams": [code for _i, code, _n in on]}, sys.stdout,
                  ensure_ascii=False)
        print()
        return 0
    print(f"{len(on)} teams on duty at {at.isoformat()} "
          f"({'the rota, where kept; fixed duty hours elsewhere' if duty.from_rota else 'fixed duty hours: no rota for the day'})")
    for _i, code, name in on:
        print(f"  {code}  {name}")
    return 0


def _rota_swap(args, store) -> int:
    from console.cli import _acting
    from data.patrol.rota import member_named, swap
    by = _acting(args, store)
    name, _, team = args.to_person.partition("@")
    mid = member_named(store, name.strip(), team.strip() or None)
    swap(store, args.shift_id, mid, args.reason, by)
    print(f"shift #{args.shift_id} is now {args.to_person}'s ({args.reason})")
    return 0
