"""The `gridwatch` command. Headless sub-commands never import Qt."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from console.logs import LEVELS, log_dir, setup_logging


def default_store_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "GridWatch" / "gridwatch.gpkg"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gridwatch", description="GridWatch (网格守望) grid governance dispatch console")
    p.add_argument("--store", help="store file to open (default: %s)" % default_store_path())
    p.add_argument("--lang", choices=["zh_CN", "en"], help="interface language (default: saved choice, else the system's)")
    p.add_argument("--log-level", choices=LEVELS, default="info",
                   help="how much goes to the log file (%s; default info)" % (log_dir() / "gridwatch.log"))
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="write the demo district to a new store")
    demo.add_argument("--out", required=True, help="GeoPackage file to write")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--until", help="end of the twelve months of history: YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)")
    demo.add_argument("--force", action="store_true", help="overwrite the file if it exists")

    feed = sub.add_parser("feed", help="run the tracker listener (OsmAnd/Traccar protocol) headless")
    feed.add_argument("--store", dest="cmd_store", required=True)
    feed.add_argument("--listen", default="127.0.0.1:5055", help="HOST:PORT (default 127.0.0.1:5055)")
    feed.add_argument("--max-accuracy", type=float, default=100.0, help="refuse fixes less accurate than this (m)")
    feed.add_argument("--max-speed", type=float, default=50.0, help="refuse jumps faster than this (m/s)")
    feed.add_argument("--require-key", action="store_true",
                      help="refuse (401) reports without their device's key (gridwatch devices key)")
    feed.add_argument("--allow", default="", help="addresses or networks trackers may report from, e.g. 10.0.0.0/8 (default: any)")
    feed.add_argument("--unknown-per-minute", type=float, default=30.0, metavar="N",
                      help="reports for ids bound to no team accepted per address and minute before 429 "
                           "(default 30; raise it for many new handsets behind one address)")

    sim = sub.add_parser("simulate", help="send OsmAnd reports for every team on duty, moving along the streets")
    sim.add_argument("--store", dest="cmd_store", required=True)
    sim.add_argument("--to", default="http://127.0.0.1:5055", help="listener URL (default http://127.0.0.1:5055)")
    sim.add_argument("--speedup", type=float, default=1.0, help="move N times faster than real time")
    sim.add_argument("--seconds", type=float, default=None, help="stop after this many seconds (default: run until stopped)")
    sim.add_argument("--seed", type=int, default=1)

    dev = sub.add_parser("devices", help="bind tracker ids to teams, list bound and unknown ids")
    dev_sub = dev.add_subparsers(dest="devices_command", required=True)
    bind = dev_sub.add_parser("bind", help="bind DEVICE_ID to the team TEAM_CODE")
    bind.add_argument("device_id")
    bind.add_argument("team_code")
    bind.add_argument("--store", dest="cmd_store", required=True)
    bind.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    dkey = dev_sub.add_parser("key", help="issue a new key for a bound tracker (printed once; the listener's --require-key)")
    dkey.add_argument("device_id")
    dkey.add_argument("--store", dest="cmd_store", required=True)
    dkey.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    lst = dev_sub.add_parser("list", help="list bound devices and unknown ids that reported")
    lst.add_argument("--store", dest="cmd_store", required=True)

    rec = sub.add_parser("recommend", help="rank the available teams for a location by road travel time")
    rec.add_argument("--store", dest="cmd_store", required=True)
    rec.add_argument("--at", required=True, help="LON,LAT of the incident")
    rec.add_argument("--category", default="other", help="category code (dispute, public_order, fire, ...)")
    rec.add_argument("--time", help="as of this ISO time (default now)")
    rec.add_argument("--json", action="store_true", help="print JSON")

    grids = sub.add_parser("grids", help="validate, import, export and publish grid sets")
    gsub = grids.add_subparsers(dest="grids_command", required=True)
    gv = gsub.add_parser("validate", help="validate a store's draft (else the set in force) or a grid file")
    gv.add_argument("target", help="a GridWatch store, or a GeoPackage/GeoJSON/Shapefile of grids")
    gv.add_argument("--set", type=int, help="grid set id in a store (default: the latest draft, else the set in force)")
    gv.add_argument("--json", action="store_true", help="print the problems as JSON (for the QGIS plugin and scripts)")
    gv.add_argument("--store", dest="with_store", help="for a grid file: check it against this store's district")
    gi = gsub.add_parser("import", help="import a grid file as a new draft set")
    gi.add_argument("file")
    gi.add_argument("--store", dest="cmd_store", required=True)
    gi.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    ge = gsub.add_parser("export", help="write a grid set to .gpkg, .geojson or .shp")
    ge.add_argument("--store", dest="cmd_store", required=True)
    ge.add_argument("--out", required=True)
    ge.add_argument("--set", type=int, help="grid set id (default: the set in force)")
    ge.add_argument("--epsg", type=int, default=4490)
    gd = gsub.add_parser("draft", help="start a draft from the set in force")
    gd.add_argument("--store", dest="cmd_store", required=True)
    gd.add_argument("--name", default="draft")
    gd.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    gp = gsub.add_parser("publish", help="publish the latest draft (refused while it has problems)")
    gp.add_argument("--store", dest="cmd_store", required=True)
    gp.add_argument("--set", type=int, help="draft id (default: the latest draft)")
    gp.add_argument("--effective", help="effective-from time, ISO (default now)")
    gp.add_argument("--yes", action="store_true", help="publish without showing the impact report first")
    gp.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    gl = gsub.add_parser("list", help="list grid sets (versions)")
    gl.add_argument("--store", dest="cmd_store", required=True)
    gl.add_argument("--json", action="store_true")

    snap = sub.add_parser("snapshot", help="write the state at a time (teams and open cases) as GeoJSON")
    snap.add_argument("--store", dest="cmd_store", required=True)
    snap.add_argument("--at", required=True, help="ISO time (China time if no zone is given)")
    snap.add_argument("--out", required=True)

    qp = sub.add_parser("qgis-project", help="write a QGIS project (.qgz) showing the store as the console does")
    qp.add_argument("--store", dest="cmd_store", required=True)
    qp.add_argument("--out", required=True)
    qplug = sub.add_parser("qgis-plugin", help="the QGIS plugin for planners")
    qplug.add_argument("action", choices=["install"])
    qplug.add_argument("--profile-dir", help="QGIS profile folder (default: ~/.local/share/QGIS/QGIS3/profiles/default)")

    ini = sub.add_parser("init", help="create an empty store for a district from its boundary file")
    ini.add_argument("--out", required=True, help="GeoPackage file to write")
    ini.add_argument("--boundary", required=True, help="the district boundary: .shp, .gpkg, .geojson, .kml, .dxf ...")
    ini.add_argument("--name", help="the district's name (default: a name field of the file, else the file name)")
    _file_options(ini)
    ini.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    ini.add_argument("--admin", help="create the store's first administrator with this user name (password from "
                                     "GRIDWATCH_PASSWORD or asked)")

    imp = sub.add_parser("import", help="import streets, buildings, water, grids or a roster into a store")
    imp.add_argument("kind", choices=["streets", "buildings", "water", "grids", "cameras", "teams", "members", "staff", "devices"])
    imp.add_argument("file", help=".osm.pbf, a GIS file (streets, buildings, water, grids) or .xlsx/.csv (rosters)")
    imp.add_argument("--store", dest="cmd_store", required=True)
    imp.add_argument("--mapping", default="", help="FIELD=COLUMN[,FIELD=COLUMN...]: which column of the file holds which field")
    _file_options(imp)
    imp.add_argument("--tolerance", type=float, default=1.0, help="streets: ends this close (m) are joined (default 1)")
    imp.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the account doing it (password from GRIDWATCH_PASSWORD or asked)")
    imp.add_argument("--yes", action="store_true", help="write without asking, even when rows change or are removed")
    imp.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")

    tpl = sub.add_parser("template", help="write an Excel template for a roster")
    tpl.add_argument("kind", choices=["cameras", "teams", "members", "staff", "devices"])
    tpl.add_argument("--out", required=True, help="the .xlsx file to write")
    tpl.add_argument("--lang", dest="tpl_lang", choices=["zh", "en"], default="zh", help="header language (default zh)")

    bm = sub.add_parser("basemap", help="set the raster basemap beneath the map: an MBTiles file or an XYZ/WMTS URL")
    bm.add_argument("--store", dest="cmd_store", required=True)
    src = bm.add_mutually_exclusive_group(required=True)
    src.add_argument("--mbtiles", help="an MBTiles file (offline)")
    src.add_argument("--xyz", help="a tile URL template with {z} {x} {y} (and {s} with --subdomains)")
    src.add_argument("--off", action="store_true", help="no basemap")
    bm.add_argument("--coords", default="wgs84", choices=["wgs84", "cgcs2000", "gcj02"],
                    help="what the tiles are drawn in: true coordinates (天地图, OSM) or GCJ-02 (高德, 腾讯: shifted back)")
    bm.add_argument("--attribution", help="the text the tile provider asks to show (MBTiles: from the file)")
    bm.add_argument("--subdomains", default="", help="letters or digits for {s}, e.g. 1234")
    bm.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="the administrator doing it (password from GRIDWATCH_PASSWORD or asked)")

    hist = sub.add_parser("imports", help="list what was imported into a store (who, when, file, sha256, counts)")
    hist.add_argument("--store", dest="cmd_store", required=True)

    ind = sub.add_parser("indicators", help="the supervisors' indicators for a period (docs/INDICATORS.md)")
    ind.add_argument("--store", dest="cmd_store", required=True)
    ind.add_argument("--from", dest="start", required=True, help="ISO date or time (China time if no zone is given)")
    ind.add_argument("--to", dest="end", required=True, help="ISO date or time, exclusive")
    ind.add_argument("--by", choices=["community", "grid", "category", "source", "team", "dispatcher"])
    ind.add_argument("--community", help="only this community's cases (its name)")
    ind.add_argument("--category", help="only this category (its code, e.g. dispute)")
    ind.add_argument("--json", action="store_true", help="JSON with the indicator codes as keys")
    ind.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"),
                     help="the account reading them (password from GRIDWATCH_PASSWORD or asked)")

    rep = sub.add_parser("report", help="a month's report as a workbook (.xlsx): the district and every breakdown")
    rep.add_argument("--store", dest="cmd_store", required=True)
    rep.add_argument("--month", required=True, help="YYYY-MM (China time)")
    rep.add_argument("--community", help="the report of one community (its name); the whole district if not given")
    rep.add_argument("--out", required=True, help="FILE.xlsx (a workbook) or FILE.pdf (A4, with the map and charts)")
    rep.add_argument("--lang", dest="report_lang", default="zh_CN", choices=["zh_CN", "en"])
    rep.add_argument("--at", help="the patrol plans' duty windows of the month up to this time (default now; China time "
                                  "if no zone is given)")
    rep.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"),
                     help="the account reading it (password from GRIDWATCH_PASSWORD or asked)")

    hot = sub.add_parser("hotspots", help="Getis-Ord Gi* hot and cold spots of a period's incidents, by grid or hexagon")
    hot.add_argument("--store", dest="cmd_store", required=True)
    hot.add_argument("--from", dest="start", required=True, help="ISO date or time (China time if no zone is given)")
    hot.add_argument("--to", dest="end", required=True, help="ISO date or time, exclusive")
    hot.add_argument("--category", help="only this category (its code, e.g. public_order)")
    hot.add_argument("--unit", choices=["grid", "hex"], default="grid", help="grids in force, or a hexagon lattice")
    hot.add_argument("--hex-m", dest="hex_m", type=float, default=250.0, help="hexagon size across flats (metres)")
    hot.add_argument("--json", action="store_true")
    hot.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"),
                     help="the account reading them (password from GRIDWATCH_PASSWORD or asked)")

    areas = sub.add_parser("areas", help="key rectification areas (重点整治区域): add one, list them with their effect")
    asub = areas.add_subparsers(dest="areas_command", required=True)
    a_add = asub.add_parser("add", help="adopt grids (e.g. hot spots) or a polygon drawn in QGIS as a key area")
    a_add.add_argument("--store", dest="cmd_store", required=True)
    a_add.add_argument("--name", required=True)
    where = a_add.add_mutually_exclusive_group(required=True)
    where.add_argument("--grids", help="grid codes, comma-separated: the area is their union")
    where.add_argument("--geojson", help="a GeoJSON file with one polygon (longitude/latitude, CGCS2000/WGS 84)")
    a_add.add_argument("--category", help="the category of incident the work is to bring down (all if not given)")
    a_add.add_argument("--start", required=True, help="the day the work starts, YYYY-MM-DD")
    a_add.add_argument("--owner", required=True, help="who answers for the area")
    a_add.add_argument("--note", default="")
    a_add.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"), help="a supervisor")
    a_list = asub.add_parser("list", help="every key area: incidents per month after the start, before, a year earlier")
    a_list.add_argument("--store", dest="cmd_store", required=True)
    a_list.add_argument("--at", help="as of this day (default: now)")
    a_list.add_argument("--json", action="store_true")
    a_list.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"))

    users = sub.add_parser("users", help="accounts: add, disable, enable, reset a password, list (administrators)")
    usub = users.add_subparsers(dest="users_command", required=True)
    for name, helptext in (("add", "add an account (on a store without accounts: its first administrator)"),
                           ("disable", "disable an account (its sessions end)"), ("enable", "enable an account again"),
                           ("reset", "set a new password (changed at the next sign-in) and unlock"), ("list", "list accounts"),
                           ("password", "change your own password (--as you; the new one from GRIDWATCH_NEW_PASSWORD or asked)"),
                           ("roles", "give an account other roles (--roles) and community scope (--communities)")):
        u = usub.add_parser(name, help=helptext)
        u.add_argument("--store", dest="cmd_store", required=True)
        u.add_argument("--as", dest="admin", help="the administrator doing it (password from GRIDWATCH_PASSWORD or asked)")
        if name not in ("list", "password"):
            u.add_argument("username")
        if name == "add":
            u.add_argument("--name", dest="display_name", help="the name case timelines show (default: the user name)")
        if name in ("add", "roles"):
            u.add_argument("--roles", default="dispatcher", help="comma-separated: administrator, dispatcher, supervisor, planner, viewer")
            u.add_argument("--communities", help="comma-separated community ids the account is limited to (default: all)")

    aud = sub.add_parser("audit", help="check the audit trail's chain, or print its head to keep elsewhere")
    asub = aud.add_subparsers(dest="audit_command", required=True)
    av = asub.add_parser("verify", help="recompute the chain; exit 1 at the first broken entry")
    av.add_argument("--store", dest="cmd_store", required=True)
    av.add_argument("--head", help="a head hash kept outside the store: the chain must still reach it")
    ah = asub.add_parser("head", help="print the newest entry's number and hash (keep it outside the store)")
    ah.add_argument("--store", dest="cmd_store", required=True)
    al = asub.add_parser("show", help="print the audit of one case (by case number) or of everything")
    al.add_argument("--store", dest="cmd_store", required=True)
    al.add_argument("--case", help="a case number")

    mig = sub.add_parser("migrate", help="bring a store's schema up to this GridWatch (says what it will do first)")
    mig.add_argument("target", help="a GeoPackage store, or an office database (postgresql://… or service=NAME)")
    mig.add_argument("--yes", action="store_true", help="do it without asking")
    mig.add_argument("--dry-run", action="store_true", help="only say what would be done")

    off = sub.add_parser("office", help="the office database (PostgreSQL/PostGIS): create it from a store, keep it")
    osub = off.add_subparsers(dest="office_command", required=True)
    oc = osub.add_parser("create", help="copy a GeoPackage store into a new, empty PostgreSQL database")
    oc.add_argument("target", help="postgresql://user@host:port/database or service=NAME (password: ~/.pgpass)")
    oc.add_argument("--from", dest="source", required=True, help="the GeoPackage store to copy")
    oc.add_argument("--app-role", help="grant this PostgreSQL role what a seat needs (append-only tables: INSERT, SELECT)")
    om = osub.add_parser("maintain", help="create the coming months' fix partitions; thin raw fixes past the retention")
    om.add_argument("target")
    om.add_argument("--retention-days", type=int, help="keep raw fixes this many days (default: the office's "
                    "setting fixes_retention_days, else 180), then one per device per minute")
    og = osub.add_parser("grant", help="grant a PostgreSQL role what a seat needs (run after maintain adds partitions)")
    og.add_argument("target")
    og.add_argument("role")

    exp = sub.add_parser("export", help="write a whole store (an office database) into a GeoPackage file")
    exp.add_argument("--store", dest="cmd_store", required=True)
    exp.add_argument("--out", required=True, help="the GeoPackage to write (.gpkg)")
    exp.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    exp.add_argument("--as", dest="actor", default=os.environ.get("GRIDWATCH_USER"),
                     help="the ledgers (personal data) are exported only for an account that may read them, and audited")

    from console.cli_ledgers import add_parsers as ledger_parsers
    ledger_parsers(sub)
    from console.cli_patrol import add_parsers as patrol_parsers
    patrol_parsers(sub)
    shot = sub.add_parser("screenshot", help="render the main window offscreen to a PNG and exit")
    shot.add_argument("--store", dest="shot_store", help="store file (default: the user's default store)")
    shot.add_argument("--out", required=True)
    shot.add_argument("--size", default="1600x1000", help="WIDTHxHEIGHT (default 1600x1000)")
    shot.add_argument("--lang", dest="shot_lang", choices=["zh_CN", "en"])
    return p


def _file_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--crs", help="the file's coordinate system when it has none (or to override it): EPSG:4490, 4545, a WKT ...")
    p.add_argument("--coords", default="wgs84", choices=["wgs84", "cgcs2000", "gcj02", "bd09"],
                   help="what the file's longitudes/latitudes are: GPS/CGCS2000, or copied from 高德/腾讯 (gcj02) or 百度 (bd09)")
    p.add_argument("--layer", help="the layer of a multi-layer file, or the sheet of a workbook")


def _password(prompt: str, *, twice: bool = False) -> str:
    """A password from GRIDWATCH_PASSWORD (scripts, CI) or asked on the terminal (never an argument:
    arguments are visible to every user of the machine and kept in shell histories)."""
    import getpass
    env = os.environ.get("GRIDWATCH_PASSWORD")
    if env is not None:
        return env
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("again: ") != first:
        raise SystemExit(fail("the two passwords differ"))
    return first


def cmd_indicators(args) -> int:
    import json as _json
    from data import indicators as IND
    from data.messages import GridWatchError
    period = _period_args(args)
    if isinstance(period, str):
        return fail(period)
    start, end = period
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    where = {k: v for k, v in (("community", args.community), ("category", args.category)) if v}
    try:
        report = IND.indicators(store, start, end, args.by, reader=_acting(args, store), where=where)
        from data.ledgers.mediation import mediation_stats
        ledger = mediation_stats(store, start.date(), end.date())
    except GridWatchError as exc:
        return fail(str(exc))
    finally:
        store.close()
    mediation = {k: getattr(ledger, k) for k in ("concluded", "agreed", "success_rate", "followed_up", "recurred",
                                                 "recurrence_rate", "sweeps_planned", "sweeps_done", "disputes_found")}
    if args.json:
        print(_json.dumps({**report.as_dict(), "mediation_ledger": mediation}, ensure_ascii=False))
        return 0
    cols = [("overall", report.overall)] + list(report.groups.items())
    print(f"indicators {start.isoformat()} – {end.isoformat()}" + (f", by {args.by}" if args.by else ""))
    print(f"{'':<22}" + "".join(f"{name[:12]:>13}" for name, _ in cols))
    for code in IND.INDICATORS:
        cells = []
        for _, values in cols:
            v = values[code]
            cells.append("—" if v is None else (f"{v:.2%}" if code.endswith("_rate") else f"{v:g}"))
        print(f"{code:<22}" + "".join(f"{c:>13}" for c in cells))
    print("\ntime in each stage (cases closed in the period)")
    print(f"{'stage':<12}{'cases':>8}{'median':>10}{'p90':>10}{'overdue':>10}")
    for stage, v in report.stages.items():
        med, p90, rate = v["median_min"], v["p90_min"], v["overdue_rate"]
        print(f"{stage:<12}{v['cases']:>8}{'—' if med is None else f'{med:g}':>10}{'—' if p90 is None else f'{p90:g}':>10}"
              f"{'—' if rate is None else f'{rate:.1%}':>10}")
    print("\nreport → on scene (minutes): " + ", ".join(
        f"{b['from']}–{b['to'] if b['to'] is not None else ''}: {b['cases']}" for b in report.response_bins))
    pct = lambda v: "—" if v is None else f"{v:.2%}"
    print(f"\nmediation ledger: {ledger.concluded} concluded, success {pct(ledger.success_rate)}; recurrence "
          f"{pct(ledger.recurrence_rate)} of {ledger.followed_up} followed up; sweeps {ledger.sweeps_done}/"
          f"{ledger.sweeps_planned} done, {ledger.disputes_found} disputes found")
    return 0


def cmd_report(args) -> int:
    import re
    from data.messages import GridWatchError
    from data.reports import month_report, write_month_xlsx
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month or ""):
        return fail(f"--month {args.month!r} is not YYYY-MM")
    kind = args.out.lower().rsplit(".", 1)[-1]
    if kind not in ("xlsx", "pdf"):
        return fail(f"--out {args.out!r}: a report is written as .xlsx or .pdf")
    now = None
    if args.at:
        from console.cli_patrol import _time
        try:
            now = _time(args.at)
        except ValueError:
            return fail(f"--at {args.at!r} is not a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)")
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        reader = _acting(args, store)
        rep = month_report(store, args.month, reader=reader, community=args.community, now=now)
        if kind == "xlsx":
            out = write_month_xlsx(store, args.month, args.out, reader=reader, lang=args.report_lang, report=rep)
        else:
            from console.report_pdf import write_month_pdf
            out = write_month_pdf(store, rep, args.out, lang=args.report_lang, made_by=reader.name)
    except GridWatchError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"could not write {args.out}: {exc.strerror or exc}")
    finally:
        store.close()
    print(f"report for {args.month} written to {out}")
    return 0


def _period_args(args):
    """--from/--to as aware datetimes (China time when no zone is given), or an error text."""
    from datetime import datetime
    from data.domain import LOCAL_TZ
    try:
        start, end = (datetime.fromisoformat(v) for v in (args.start, args.end))
    except ValueError:
        return f"--from {args.start!r} or --to {args.end!r} is not a date or time (ISO, e.g. 2026-10-01)"
    start, end = (t if t.tzinfo else t.replace(tzinfo=LOCAL_TZ) for t in (start, end))
    if end <= start:
        return "--to must come after --from"
    return start, end


def cmd_hotspots(args) -> int:
    import json as _json
    from data import hotspots as HS
    from data.messages import GridWatchError
    period = _period_args(args)
    if isinstance(period, str):
        return fail(period)
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        h = HS.gi_star(store, *period, reader=_acting(args, store), category=args.category, unit=args.unit, hex_m=args.hex_m)
    except GridWatchError as exc:
        return fail(str(exc))
    finally:
        store.close()
    if args.json:
        print(_json.dumps(h.as_dict(), ensure_ascii=False))
        return 0
    order = sorted(range(len(h.codes)), key=lambda i: -h.z[i])
    print(f"Getis-Ord Gi* by {h.unit}, {len(h.codes)} cells, {int(h.counts.sum())} incidents, {h.permutations} permutations")
    for i in order:
        if h.classes[i] != "none":
            print(f"{h.codes[i]:<10}{int(h.counts[i]):>6}  z {h.z[i]:+6.2f}  p {h.p[i]:.3f}  {HS.HOTSPOT_CLASSES[h.classes[i]].en}")
    return 0


def cmd_areas(args) -> int:
    import json as _json
    from datetime import date, datetime, timezone
    import numpy as np
    import shapely
    from data import hotspots as HS
    from data.messages import GridWatchError
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        if args.areas_command == "add":
            try:
                start = date.fromisoformat(args.start)
            except ValueError:
                return fail(f"--start {args.start!r} is not a day (YYYY-MM-DD)")
            if args.grids:
                from data.snapshot import load_grids
                grids = load_grids(store)
                codes = list(grids.column("code"))
                wanted = [c.strip() for c in args.grids.split(",") if c.strip()]
                unknown = [c for c in wanted if c not in codes]
                if unknown:
                    return fail(f"no grid {', '.join(unknown)} in the grid set in force")
                geom = shapely.union_all(grids.geoms[[codes.index(c) for c in wanted]])
            else:
                try:
                    import json as _j
                    doc = _j.loads(open(args.geojson, encoding="utf-8").read())
                    feats = doc.get("features") or [doc]
                    shape = shapely.geometry.shape(feats[0].get("geometry", feats[0]))
                except (OSError, ValueError, KeyError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
                    return fail(f"--geojson {args.geojson}: not a GeoJSON polygon ({exc})")
                geom = store.projection.to_map(np.array([shape], dtype=object))[0]
            aid = HS.add_key_area(store, name=args.name, geom=geom, start_day=start, owner=args.owner,
                                  category=args.category, note=args.note, by=_acting(args, store))
            print(f"key area {aid} {args.name!r} recorded ({geom.area / 1e4:.1f} ha)")
            return 0
        at = datetime.now(timezone.utc)
        if args.at:
            try:
                at = datetime.fromisoformat(args.at)
            except ValueError:
                return fail(f"--at {args.at!r} is not a date")
            from data.domain import LOCAL_TZ
            at = at if at.tzinfo else at.replace(tzinfo=LOCAL_TZ)
        reader = _acting(args, store)
        effects = [HS.area_effect(store, a, at, reader=reader) | {"owner": a.owner, "id": a.id} for a in HS.key_areas(store)]
    except GridWatchError as exc:
        return fail(str(exc))
    finally:
        store.close()
    if args.json:
        print(_json.dumps(effects, ensure_ascii=False))
        return 0
    for e in effects:
        def pct(v):
            return "—" if v is None else f"{v:+.1%}"
        print(f"{e['id']:>3} {e['area']}  ({e.get('category') or 'all'}, since {e.get('start_day')}, {e['owner']}): "
              f"{e['months']} months after, {e['after_mean'] if e['after_mean'] is not None else '—'} a month; "
              f"vs before {pct(e['change_vs_before'])}, year on year {pct(e['change_vs_year_earlier'])}")
    return 0


def cmd_users(args) -> int:
    from data import accounts as A
    from data.messages import GridWatchError
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        if args.users_command == "add" and not A.has_accounts(store):
            p = A.create_first_administrator(store, args.username, args.display_name or args.username,
                                             _password(f"password for {args.username}: ", twice=True))
            print(f"created the first administrator {p.username}")
            return 0
        if not args.admin:
            return fail("say which account is doing this: --as USER")
        if args.users_command == "password":
            current = _password(f"current password of {args.admin}: ")  # asked once, used for both
            me = A.sign_in(store, args.admin, current)
            new_pw = os.environ.get("GRIDWATCH_NEW_PASSWORD") or _password("new password: ", twice=True)
            A.change_own_password(store, me, current, new_pw)
            print(f"{args.admin}: password changed")
            return 0
        admin = A.sign_in(store, args.admin, _password(f"password of {args.admin}: "))
        if args.users_command == "add":
            comms = [int(c) for c in args.communities.split(",")] if args.communities else None
            new_pw = os.environ.get("GRIDWATCH_NEW_PASSWORD") or _password(f"first password for {args.username}: ", twice=True)
            A.add_account(store, admin, args.username, args.display_name or args.username, new_pw,
                          args.roles.split(","), comms)
            print(f"added {args.username} ({args.roles}); the password is changed at the first sign-in")
        elif args.users_command == "roles":
            comms = [int(c) for c in args.communities.split(",")] if args.communities else None
            A.set_roles(store, admin, args.username, args.roles.split(","), comms)
            print(f"{args.username}: roles {args.roles}")
        elif args.users_command in ("disable", "enable"):
            A.set_disabled(store, admin, args.username, args.users_command == "disable")
            print(f"{args.username}: {args.users_command}d")
        elif args.users_command == "reset":
            new_pw = os.environ.get("GRIDWATCH_NEW_PASSWORD") or _password(f"new password for {args.username}: ", twice=True)
            A.reset_password(store, admin, args.username, new_pw)
            print(f"{args.username}: new password set, unlocked")
        else:
            print(f"{'user':<16} {'name':<12} {'roles':<36} {'communities':<12} state")
            for r in A.list_accounts(store, admin):
                state = "disabled" if r.disabled else ("locked" if r.locked else "active")
                comms = ",".join(map(str, r.communities)) if r.communities else "all"
                print(f"{r.username:<16} {r.display_name:<12} {','.join(r.roles):<36} {comms:<12} {state}")
        return 0
    except GridWatchError as exc:
        return fail(str(exc))
    finally:
        store.close()


def cmd_audit(args) -> int:
    from data import audit
    from data.messages import Message
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        if args.audit_command == "head":
            row, h = audit.head(store)
            print(f"{row or 0} {h}")
            return 0
        if args.audit_command == "show":
            rows = audit.entries(store, args.case)
            if rows is None:
                return fail(f"no case {args.case}")
            for e in rows:
                print(f"{e.id:>6} {e.t:%Y-%m-%d %H:%M:%S} {e.username:<12} {e.action:<28} {e.object_type} {e.object_id or ''}"
                      f" {e.after or ''}")
            return 0
        report = audit.verify(store, args.head)
        if report.ok:
            print(Message("audit.ok", {"rows": report.rows, "row": report.head_id or 0, "hash": report.head_hash}).text("en"))
            return 0
        fields = {"row": report.broken_at, "hash": args.head or ""}
        print(Message(report.problem, fields).text("en"), file=sys.stderr)
        return 1
    finally:
        store.close()


def _acting(args, store):
    """The account a command acts as (--as, or GRIDWATCH_USER), signed in with its password; a
    refusal (wrong password, no such account, locked) is raised as a GridWatchError."""
    from data.accounts import AuthError, sign_in
    if not getattr(args, "actor", None):
        raise AuthError("auth.not_signed_in")
    return sign_in(store, args.actor, _password(f"password of {args.actor}: "))


def _redacted(text: str) -> str:
    """A command line fit for the log: a password someone put in a database URL anyway is blanked
    (the store refuses such a URL, but the line is logged before that)."""
    import re
    text = re.sub(r"(postgres(?:ql)?(?:\+\w+)?://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
    return re.sub(r"(password=)[^&\s]*", r"\1***", text)


def fail(msg: str, code: int = 2) -> int:
    print(f"gridwatch: {msg}", file=sys.stderr)
    return code


def import_checked(plan, noun: str, dry_run: bool, commit) -> int:
    """Print a checked import's bad rows (exit 1, nothing imported), or what a dry run would import,
    or import it with `commit()` (which returns how many): the ledgers' and the rota's commands."""
    if plan.problems:
        for p in plan.problems:
            print(f"  {p.text('en')}", file=sys.stderr)
        print(f"gridwatch: {plan.file}: {len(plan.problems)} bad row(s); nothing was imported", file=sys.stderr)
        return 1
    if dry_run:
        print(f"{plan.file}: {len(plan.records)} {noun} would be imported (dry run: nothing written)")
        return 0
    print(f"{plan.file}: {commit()} {noun} imported")
    return 0


def run_on_store(args, work) -> int:
    """Open the command's store (--store) and run `work(args, store)`; a refused store, a refusal of a
    service or a bad value becomes a message and exit 2, never a traceback; the store is closed after."""
    from data.messages import GridWatchError
    from data.store.core import StoreError, open_store
    try:
        store = open_store(args.cmd_store)
    except (StoreError, GridWatchError) as exc:
        return fail(str(exc))
    try:
        return work(args, store)
    except (GridWatchError, ValueError) as exc:
        return fail(str(exc))
    finally:
        store.close()


class _Progress:
    """A progress line on stderr for long copies: rewritten in place on a terminal, one line per table otherwise."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self._last = ("", -1.0)

    def __call__(self, table: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if self.tty:
            bar = "#" * int(share * 30)
            print(f"\r  {table:<18} [{bar:<30}] {done:>11,}/{total:,}", end="" if done < total else "\n", file=sys.stderr)
        elif done == total and self._last != (table, 1.0):
            print(f"  {table:<18} {total:>11,} rows", file=sys.stderr)
        self._last = (table, share)


def cmd_migrate(args) -> int:
    from data.store import migrate as M
    from data.store.core import StoreError, migrate_store, open_store
    try:
        store = open_store(args.target, for_migration=True)
    except StoreError as exc:
        return fail(str(exc))
    try:
        with store.engine.connect() as conn:
            p = M.plan(conn)
    finally:
        store.close()
    if p.unknown:
        return fail(f"{store.label} is at revision {p.current}, newer than this GridWatch knows ({p.head}); "
                    "GridWatch never downgrades a store: update GridWatch, or restore a backup")
    if not p.needed:
        print(f"{store.label} is up to date (revision {p.head})")
        return 0
    print(f"{store.label}: revision {p.current} -> {p.head}, in one transaction (all or nothing):")
    for rev, what in p.steps:
        print(f"  {rev}: {what}")
    if args.dry_run:
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            return fail("add --yes to migrate without a terminal to confirm on (back the store up first)")
        if input("Back the store up first. Migrate now? [y/N] ").strip().lower() not in ("y", "yes"):
            print("nothing changed")
            return 1
    try:
        migrated, _plan = migrate_store(args.target)
    except StoreError as exc:
        return fail(str(exc))
    except Exception as exc:  # the transaction rolled back: the store is as it was
        logging.getLogger(__name__).exception("migrating %s failed", store.label)
        return fail(f"migrating {store.label} failed and nothing was changed ({type(exc).__name__}: {exc})")
    migrated.close()
    print(f"{store.label} is now at revision {p.head}")
    return 0


def cmd_office(args) -> int:
    from data.store import office as O
    from data.store.core import StoreError, open_store
    if not O.is_office_url(args.target):
        return fail(f"{args.target}: not a PostgreSQL URL (postgresql://user@host:port/database or service=NAME)")
    if args.office_command == "create":
        from data.store.transfer import create_office_from
        try:
            store, report = create_office_from(args.target, args.source, progress=_Progress(), app_role=args.app_role)
        except StoreError as exc:
            return fail(str(exc))
        label = store.label
        store.close()
        total = sum(report.counts.values())
        print(f"office store created in {label}: {total:,} rows in {len(report.counts)} tables, every count checked "
              f"against {args.source}. Seats connect with: gridwatch --store {label}")
        return 0
    try:
        store = open_store(args.target)
    except StoreError as exc:
        return fail(str(exc))
    try:
        with store.engine.begin() as conn:
            if args.office_command == "grant":
                O.grant_application_role(conn, args.role)
                print(f"{args.role} may now work as a seat on {store.label} (fixes, case events, audit: insert and read only)")
                return 0
            days = args.retention_days or int(store.meta.get("fixes_retention_days", O.DEFAULT_RETENTION_DAYS))
            done = O.maintain(conn, retention_days=days)
    except Exception as exc:
        logging.getLogger(__name__).exception("office %s on %s failed", args.office_command, store.label)
        return fail(f"{args.office_command} on {store.label} failed and nothing was changed ({type(exc).__name__}: {exc})")
    finally:
        store.close()
    print(f"partitions created: {', '.join(done['partitions_created']) or 'none needed'}")
    for name, (before, after) in done["thinned"].items():
        print(f"{name}: {before:,} raw fixes thinned to {after:,} (older than {days} days: one per device per minute)")
    return 0


def cmd_export(args) -> int:
    from data.messages import GridWatchError
    from data.store.core import StoreError, open_store
    from data.store.transfer import export_geopackage
    out = Path(args.out)
    if out.suffix.lower() != ".gpkg":
        return fail(f"{out.name}: the export is a GeoPackage, name it .gpkg")
    by = None
    try:
        if args.actor:
            with open_store(args.cmd_store) as store:
                by = _acting(args, store)
        report = export_geopackage(args.cmd_store, out, progress=_Progress(), overwrite=args.force, by=by)
    except (StoreError, GridWatchError) as exc:
        return fail(str(exc))
    print(f"{sum(report.counts.values()):,} rows in {len(report.counts)} tables written to {out.resolve()} "
          "(opens in QGIS; every count checked)")
    if report.left_out:
        print("the ledgers (people under supervision, visits, mediation, petitions) were left out: "
              "only an account that may read them (--as) exports them", file=sys.stderr)
    return 0


def cmd_demo(args) -> int:
    from data.demo.generator import generate_demo, parse_until
    from data.store.core import StoreError

    out = Path(args.out)
    if out.exists() and not args.force:
        return fail(f"{out} already exists; use --force to overwrite it")
    try:
        until = parse_until(args.until)
    except ValueError as exc:
        return fail(str(exc))
    t0 = time.perf_counter()
    try:
        store = generate_demo(out, seed=args.seed, until=until, overwrite=args.force,
                              progress=lambda msg, frac: print(f"  {frac:4.0%} {msg}", file=sys.stderr))
    except StoreError as exc:
        return fail(str(exc))
    store.close()
    print(f"demo district written to {out} in {time.perf_counter() - t0:.1f} s")
    return 0


def _print_problems(exc) -> None:
    for p in getattr(exc, "problems", [])[:200]:
        print(f"  {p}", file=sys.stderr)
    if len(getattr(exc, "problems", [])) > 200:
        print(f"  ... and {len(exc.problems) - 200} more", file=sys.stderr)


def cmd_init(args) -> int:
    from data.district.imports import init_district
    from data.messages import GridWatchError
    from data.store.core import StoreError
    try:
        store = init_district(args.out, args.boundary, name=args.name, crs=args.crs, coords=args.coords,
                              layer=args.layer, overwrite=args.force)
    except GridWatchError as exc:
        _print_problems(exc)
        return fail(str(exc))
    except StoreError as exc:
        return fail(str(exc))
    print(f"district {store.meta.get('district_name')!r} created in {store.path}; "
          f"measured in EPSG:{store.projection.map_epsg}.")
    try:
        if args.admin:
            from data.accounts import create_first_administrator
            create_first_administrator(store, args.admin, args.admin, _password(f"password for {args.admin}: ", twice=True))
            print(f"first administrator: {args.admin}. Next: gridwatch import streets|grids|... --store {store.path} --as {args.admin}")
        else:
            print(f"Next: gridwatch users add --store {store.path} NAME (the first administrator), then gridwatch import ... --as NAME")
    except GridWatchError as exc:
        return fail(str(exc))
    finally:
        store.close()
    return 0


def _parse_mapping(text: str) -> dict[str, str]:
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise ValueError(f"--mapping {part!r} is not FIELD=COLUMN")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def cmd_import(args) -> int:
    from data.district.imports import ImportOptions, commit_import, plan_import
    from data.messages import GridWatchError
    try:
        mapping = _parse_mapping(args.mapping)
    except ValueError as exc:
        return fail(str(exc))
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        opts = ImportOptions(mapping=mapping, crs=args.crs, coords=args.coords, layer=args.layer, tolerance_m=args.tolerance)
        t0 = time.perf_counter()
        plan = plan_import(store, args.kind, args.file, opts)
        print(f"{args.file}: {args.kind}, checked in {time.perf_counter() - t0:.1f} s")
        for k, v in plan.found.items():
            print(f"  {k}: {v}")
        for note in plan.notes:
            print(f"  {note}")
        d = plan.diff
        needs_consent = False
        if d is not None and not d.empty:
            print(f"  would add {len(d.added)}, change {len(d.changed)}, remove {len(d.removed)}; {d.unchanged} unchanged")
            for label, keys in (("add", d.added), ("change", d.changed), ("remove", d.removed)):
                for k in keys[:20]:
                    print(f"    {label}: {k}")
                if len(keys) > 20:
                    print(f"    {label}: ... {len(keys) - 20} more")
            needs_consent = bool(d.changed or d.removed)
        if plan.found.get("replaces"):
            print(f"  replaces the {plan.found['replaces']} {args.kind} in the store")
            needs_consent = True
        if args.dry_run:
            print("dry run: nothing written")
            return 0
        if needs_consent and not args.yes:
            if not sys.stdin.isatty():
                return fail("this import changes or removes what is stored; run again with --yes to write it")
            if input("write these changes? [y/N] ").strip().lower() not in ("y", "yes", "是"):
                print("nothing written")
                return 1
        counts = commit_import(store, plan, actor=_acting(args, store))
        print(f"imported: {', '.join(f'{k} {v}' for k, v in counts.items())}")
        return 0
    except GridWatchError as exc:
        _print_problems(exc)
        return fail(str(exc))
    finally:
        store.close()


def cmd_template(args) -> int:
    from data.district.rosters import write_template
    out = write_template(args.kind, args.out, args.tpl_lang)
    print(f"template for {args.kind} written to {out}")
    return 0


def cmd_basemap(args) -> int:
    from data.basemap import BasemapConfig, mbtiles_config, save_basemap_config
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    from data.messages import GridWatchError
    with store:
        try:
            by = _acting(args, store)
        except GridWatchError as exc:
            return fail(str(exc))
        coords = "wgs84" if args.coords == "cgcs2000" else args.coords
        if args.off:
            save_basemap_config(store, None, by=by)
            print("basemap off")
            return 0
        if args.mbtiles:
            try:
                config = mbtiles_config(args.mbtiles, coords)
            except (ValueError, FileNotFoundError) as exc:
                return fail(str(exc))
            if args.attribution:
                from dataclasses import replace
                config = replace(config, attribution=args.attribution)
        else:
            if not all(k in args.xyz for k in ("{z}", "{x}", "{y}")) and "{-y}" not in args.xyz:
                return fail(f"--xyz {args.xyz!r} has no {{z}}, {{x}} and {{y}} placeholders")
            config = BasemapConfig("xyz", args.xyz, attribution=args.attribution or "", coords=coords, subdomains=args.subdomains)
        save_basemap_config(store, config, by=by)
        print(f"basemap: {config.kind} {config.location} ({config.coords}); attribution: {config.attribution or '—'}")
    return 0


def cmd_imports(args) -> int:
    from data.district.imports import import_history
    from data.domain import local_time
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    with store:
        for r in import_history(store):
            counts = ", ".join(f"{k} {v}" for k, v in r["counts"].items())
            print(f"{local_time(r['t']):%Y-%m-%d %H:%M} {r['actor']:<12} {r['kind']:<10} {r['file']}  sha256 {r['sha256'][:12]}…  {counts}")
    return 0


def _open_store_or_fail(path: str):
    from data.store.core import StoreError, open_store
    try:
        return open_store(path)
    except StoreError as exc:
        fail(str(exc))
        return None


def _parse_listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"--listen {text!r} is not HOST:PORT")
    return host, int(port)


def cmd_feed(args) -> int:
    import asyncio
    from data.feeds.filters import FilterSettings
    from data.feeds.ingest import FixIngest
    from data.feeds.listener import ListenerSettings, OsmAndListener, raise_open_file_limit

    try:
        host, port = _parse_listen(args.listen)
    except ValueError as exc:
        return fail(str(exc))
    if not args.unknown_per_minute > 0:  # also refuses nan
        return fail("--unknown-per-minute must be a positive number")
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    from data.cases.dispatch import ArrivalWatcher
    # Arrivals are noticed where fixes are stored, so "on scene" is recorded with no console open.
    from data.feeds.listener import parse_allow
    try:
        allow = parse_allow(args.allow)
    except ValueError as exc:
        store.close()
        return fail(f"--allow: {exc}")
    ingest = FixIngest(store, FilterSettings(max_accuracy_m=args.max_accuracy, max_speed_mps=args.max_speed),
                       on_stored=ArrivalWatcher(store).check, require_key=args.require_key)
    raise_open_file_limit()  # before the listener sizes its connection cap from it
    listener = OsmAndListener(ingest, ListenerSettings(host=host, port=port, allow=allow,
                                                       unknown_per_minute=args.unknown_per_minute,
                                                       unknown_burst=max(1, int(args.unknown_per_minute))))

    async def serve() -> None:
        import signal
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()
        # SIGTERM (a service manager) and Ctrl+C stop it the same way, within 2 s: the reports in
        # flight are committed and answered, the rest are never acknowledged (trackers resend them).
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stopping.set)
        listener_log = logging.getLogger("data.feeds.listener")
        # asyncio's own reports (an accept() that failed, a client that vanished mid-write) go to the
        # log like ours, where a repeated one is logged once a minute (console/logs.RepeatFilter).
        loop.set_exception_handler(lambda _loop, ctx: listener_log.warning(
            "listener: %s", ctx.get("message", "error"), exc_info=ctx.get("exception")))
        task = asyncio.create_task(listener.serve())
        while not listener.ready.is_set():  # announce only once the port is bound
            await asyncio.sleep(0.01)
        if listener.error is None:
            print(f"listening for OsmAnd reports on {host}:{listener.port}, storing into {store.label} "
                  f"(at most {listener.cap} connections; Ctrl+C stops)", flush=True)
        stop = asyncio.create_task(stopping.wait())
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # the listener failed (raises its error)
        left = await listener.drain(grace=1.2)
        if left:
            print(f"stopping: {left} report(s) in flight not acknowledged (trackers resend them)", file=sys.stderr)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

    try:
        asyncio.run(serve())
    except OSError:
        return fail(listener.error or "cannot listen")
    except KeyboardInterrupt:
        pass
    finally:
        ingest.close(timeout=0.6)
        print("stored %d fixes; refused: %s" % (ingest.stats.counts.get("accepted", 0),
              ", ".join(f"{k} {v}" for k, v in sorted(ingest.stats.counts.items()) if k != "accepted") or "none"))
    return 0


def cmd_simulate(args) -> int:
    from data.feeds.simulator import Simulator
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    if args.speedup <= 0:
        return fail("--speedup must be positive")
    sim = Simulator(store, args.to, speedup=args.speedup, seed=args.seed)
    print(f"simulating {sim.team_count()} teams towards {args.to} at {args.speedup:g}x (Ctrl+C stops)", flush=True)
    try:
        sim.run(duration=args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    print(f"sent {sim.sent} reports, {sim.acknowledged} acknowledged, {sim.failed} failed")
    return 0 if sim.failed == 0 or sim.acknowledged else 1


def cmd_devices(args) -> int:
    from data.feeds.devices import DeviceError, bind_device, list_devices
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    if args.devices_command == "key":
        from data.feeds.devices import issue_device_key
        from data.messages import GridWatchError
        try:
            key = issue_device_key(store, args.device_id, by=_acting(args, store))
        except (DeviceError, GridWatchError) as exc:
            return fail(str(exc))
        print(f"key for {args.device_id}: {key}\n(shown once; put it in the tracker's server URL as ?key=… or send it "
              f"as 'Authorization: Bearer …')")
        return 0
    if args.devices_command == "bind":
        from data.messages import GridWatchError
        try:
            print(bind_device(store, args.device_id, args.team_code, by=_acting(args, store)))
        except (DeviceError, GridWatchError) as exc:
            return fail(str(exc))
        return 0
    bound, unknown = list_devices(store)
    print(f"{'device':<20} {'team':<8} {'name':<24} last fix (UTC)")
    for d in bound:
        print(f"{d.device_id:<20} {d.team_code:<8} {d.team_name:<24} {d.last_seen:%Y-%m-%d %H:%M:%S}" if d.last_seen
              else f"{d.device_id:<20} {d.team_code:<8} {d.team_name:<24} —")
    print(f"\nunknown ids that reported ({len(unknown)}):")
    for d in unknown:
        print(f"{d.device_id:<20} last report {d.last_seen:%Y-%m-%d %H:%M:%S}  reports {d.reports}")
    return 0


def cmd_recommend(args) -> int:
    import json as _json
    from datetime import datetime, timezone
    from data.cases.dispatch import locate
    from data.domain import CATEGORIES
    from data.routing.recommender import Recommender
    try:
        lon, lat = (float(v) for v in args.at.split(","))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError
    except ValueError:
        return fail(f"--at {args.at!r} is not LON,LAT in degrees")
    if args.category not in CATEGORIES:
        return fail(f"--category {args.category!r} is not one of {', '.join(CATEGORIES)}")
    try:
        at = datetime.fromisoformat(args.time) if args.time else datetime.now(timezone.utc)
        at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    except ValueError:
        return fail(f"--time {args.time!r} is not an ISO date and time")
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    place = locate(store, lon, lat, at)
    x, y = store.projection.lonlat_to_xy(lon, lat)
    from data.messages import GridWatchError
    try:
        rec = Recommender(store).recommend(float(x), float(y), args.category, place.grid_code, at)
    except GridWatchError as exc:  # a district still being set up: no streets yet
        return fail(str(exc))
    if args.json:
        print(_json.dumps({"at": [lon, lat], "category": args.category, "grid": place.grid_code,
                           "outside_jurisdiction": place.outside, "time": at.isoformat(),
                           "ranked": [c.as_dict() for c in rec.candidates],
                           "excluded": [c.as_dict() for c in rec.excluded],
                           "message": None if rec.candidates else str(rec.message_if_none())}, ensure_ascii=False, indent=1))
        return 0
    print(f"{lon:.6f},{lat:.6f}  grid {place.grid_code or '— (outside jurisdiction)'}  category {args.category}")
    if rec.message_if_none():
        print(str(rec.message_if_none()))
    for c in rec.candidates:
        print(f"{c.rank:>3}. {c.code:<7} {c.name:<16} ETA {c.eta_s:6.0f} s  road {c.road_m:6.0f} m  "
              f"straight {c.straight_m:6.0f} m  ({'; '.join(c.reasons)})")
    if rec.excluded:
        print(f"not recommended ({len(rec.excluded)}):")
        for c in rec.excluded:
            print(f"     {c.code:<7} {c.name:<16} {c.excluded}")
    return 0


def cmd_grids(args) -> int:
    from pathlib import Path as _P
    from data.grids import sets as G
    from data.store.core import StoreError, inspect_file
    if args.grids_command == "validate":
        from data.store.office import is_office_url
        target = args.target if is_office_url(args.target) else _P(args.target)
        from data.store.core import NotAGridWatchStore, StoreNotFound
        try:
            is_store = is_office_url(args.target) or bool(inspect_file(target))
        except (NotAGridWatchStore, StoreNotFound):
            is_store = False  # a grid file (GeoPackage, GeoJSON, Shapefile) to validate on its own
        except StoreError as exc:  # a store, damaged: say so rather than read it as a grid file
            if str(target).lower().endswith(".gpkg") and "not a GeoPackage/SQLite file" not in str(exc):
                return fail(str(exc))
            is_store = False
        if is_store:
            store = _open_store_or_fail(str(target))
            if store is None:
                return 2
            from data.snapshot import grid_set_in_force
            set_id = args.set or G.latest_draft(store) or (grid_set_in_force(store).id if grid_set_in_force(store) else None)
            if set_id is None:
                return fail(f"{target} has no grid set")
            problems = G.validate_grid_set(store, set_id)
            what, proj = f"grid set {set_id} of {target}", store.projection
        else:
            from data.geo import Projection
            import pyogrio
            district = None
            if args.with_store:
                store = _open_store_or_fail(args.with_store)
                if store is None:
                    return 2
                proj, district = store.projection, G.district_geometry(store)
            else:
                try:
                    first = pyogrio.read_dataframe(target, max_features=1)
                    lon = float(first.to_crs(4326).geometry.iloc[0].representative_point().x) if first.crs else 108.0
                except Exception as exc:
                    return fail(f"{target} cannot be read as a grid file ({exc})")
                proj = Projection.for_longitude(lon)
            try:
                codes, _names, geoms = G.read_grid_file(target, proj.map_epsg)
            except G.GridFileError as exc:
                print(f"gridwatch: {exc}", file=sys.stderr)
                for p in exc.problems:
                    print(f"  {p}", file=sys.stderr)
                return 1
            problems = G.validate(codes, geoms, district)
            what = str(target)
        rows = []
        for p in problems:
            lon, lat = proj.xy_to_lonlat(p.x, p.y)
            rows.append({"kind": p.kind, "grids": list(p.grids), "lon": float(lon), "lat": float(lat), "detail": p.detail})
        if getattr(args, "json", False):
            import json as _json
            print(_json.dumps({"target": what, "problems": rows}, ensure_ascii=False))
            return 1 if problems else 0
        for r in rows:
            print(f"{r['kind']:<14} {', '.join(r['grids']) or '—':<24} at {r['lon']:.6f},{r['lat']:.6f}  {r['detail']}")
        print(f"{what}: {len(problems)} problem(s)" if problems else f"{what}: valid")
        return 1 if problems else 0
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    from data.messages import GridWatchError
    try:
        return _grids_in_store(args, store, G)
    except GridWatchError as exc:  # not signed in, or the account may not
        return fail(str(exc))
    finally:
        store.close()


def _grids_in_store(args, store, G) -> int:
    from datetime import datetime, timezone
    if args.grids_command == "import":
        try:
            gid = G.import_grid_file(store, args.file, by=_acting(args, store))
        except G.GridFileError as exc:
            print(f"gridwatch: {exc}", file=sys.stderr)
            for p in exc.problems:
                print(f"  {p}", file=sys.stderr)
            return 1
        problems = G.validate_grid_set(store, gid)
        print(f"imported as draft grid set {gid}; {len(problems)} validation problem(s)")
        return 0
    if args.grids_command == "export":
        from data.snapshot import grid_set_in_force
        set_id = args.set or grid_set_in_force(store).id
        try:
            n = G.write_grid_file(store, set_id, args.out, args.epsg)
        except G.GridFileError as exc:
            return fail(str(exc))
        print(f"wrote {n} grids of set {set_id} to {args.out} (EPSG:{args.epsg})")
        return 0
    if args.grids_command == "draft":
        gid = G.create_draft(store, args.name, by=_acting(args, store))
        print(f"draft grid set {gid} created from the set in force")
        return 0
    if args.grids_command == "list":
        rows = G.grid_set_list(store)
        if args.json:
            import json as _json
            print(_json.dumps(rows, ensure_ascii=False))
            return 0
        for r in rows:
            print(f"{r['id']:>4} {r['status']:<10} {r['effective_from'] or '—':<26} {r['grids']:>4} grids  {r['name']}")
        return 0
    if args.grids_command == "publish":
        set_id = args.set or G.latest_draft(store)
        if set_id is None:
            return fail("there is no draft to publish")
        try:
            eff = datetime.fromisoformat(args.effective) if args.effective else datetime.now(timezone.utc)
            eff = eff if eff.tzinfo else eff.replace(tzinfo=timezone.utc)
        except ValueError:
            return fail(f"--effective {args.effective!r} is not an ISO date and time")
        by = _acting(args, store)
        for line in G.impact_report(store, set_id, eff).lines():
            print(line)
        try:
            G.publish(store, set_id, eff, by=by)
        except G.PublishRefused as exc:
            return fail(str(exc), 1)
        print(f"grid set {set_id} published, in force from {eff.isoformat()}")
        return 0
    return 2


def cmd_snapshot(args) -> int:
    from datetime import datetime
    from data.domain import LOCAL_TZ
    from data.replay.index import ReplayError, write_snapshot
    try:
        at = datetime.fromisoformat(args.at)
    except ValueError:
        return fail(f"--at {args.at!r} is not an ISO date and time")
    if at.tzinfo is None:
        at = at.replace(tzinfo=LOCAL_TZ)  # a time without zone is office time
    store = _open_store_or_fail(args.cmd_store)
    if store is None:
        return 2
    try:
        n = write_snapshot(store, at, args.out)
    except (ReplayError, OSError) as exc:
        return fail(str(exc))
    print(f"{n} features at {at.isoformat()} written to {args.out}")
    return 0


def cmd_qgis_project(args) -> int:
    from pathlib import Path as _P
    from data.store.core import StoreError, inspect_file
    from layers.qgis.runner import run_module
    from data.store.office import is_office_url
    if is_office_url(args.cmd_store):
        return fail("a QGIS project is written for a GeoPackage store: write one from the office first with "
                    f"gridwatch export --store {args.cmd_store} --out office.gpkg, then run qgis-project on it")
    store = _P(args.cmd_store).expanduser().resolve()
    try:
        inspect_file(store)
    except StoreError as exc:
        return fail(str(exc))
    out = _P(args.out).expanduser().resolve()
    if out.suffix.lower() not in (".qgz", ".qgs"):
        return fail(f"{out.name}: a QGIS project is .qgz or .qgs")
    tmp = out.with_name(out.stem + ".part" + out.suffix)
    from data.store.core import checkpoint, open_store
    opened = open_store(store)
    checkpoint(opened)  # QGIS reads the file through GDAL, which must see every committed row
    opened.close()
    try:
        r = run_module("layers.qgis.project", str(store), str(tmp))
    except RuntimeError as exc:
        return fail(str(exc))
    if r.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        return fail("QGIS could not write the project: " + ((r.stderr or r.stdout).strip().splitlines() or ["?"])[-1])
    tmp.replace(out)  # whole, or not at all
    print(f"QGIS project written to {out}: {r.stdout.strip().splitlines()[-1]}")
    return 0


def cmd_qgis_plugin(args) -> int:
    from layers.qgis.plugin_install import install
    try:
        where = install(args.profile_dir)
    except OSError as exc:
        return fail(f"could not install the plugin: {exc}")
    print(f"GridWatch planner plugin installed in {where}; enable it in QGIS (Plugins → Manage and Install Plugins)")
    return 0


def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        if w < 200 or h < 150:
            raise ValueError
        return w, h
    except ValueError:
        raise ValueError(f"--size {text!r} is not WIDTHxHEIGHT with at least 200x150 pixels") from None


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `gridwatch … | head`: the reader has had enough; not an error to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes at exit
        return 141


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log_level)
    logging.getLogger(__name__).info("gridwatch %s", _redacted(" ".join(argv if argv is not None else sys.argv[1:])))
    if args.command == "demo":
        return cmd_demo(args)
    if args.command in ("visits", "ledgers"):
        from console.cli_ledgers import run as run_ledgers
        return run_ledgers(args)
    if args.command in ("coverage", "plans", "rota"):
        from console.cli_patrol import run as run_patrol
        return run_patrol(args)
    if args.command in ("migrate", "office", "export"):
        return {"migrate": cmd_migrate, "office": cmd_office, "export": cmd_export}[args.command](args)
    if args.command in ("init", "import", "template", "imports", "basemap"):
        return {"init": cmd_init, "import": cmd_import, "template": cmd_template, "imports": cmd_imports,
                "basemap": cmd_basemap}[args.command](args)
    if args.command == "feed":
        return cmd_feed(args)
    if args.command == "simulate":
        return cmd_simulate(args)
    if args.command == "devices":
        return cmd_devices(args)
    if args.command == "users":
        return cmd_users(args)
    if args.command == "indicators":
        return cmd_indicators(args)
    if args.command == "report":
        return cmd_report(args)
    if args.command == "hotspots":
        return cmd_hotspots(args)
    if args.command == "areas":
        return cmd_areas(args)
    if args.command == "audit":
        return cmd_audit(args)
    if args.command == "recommend":
        return cmd_recommend(args)
    if args.command == "grids":
        return cmd_grids(args)
    if args.command == "snapshot":
        return cmd_snapshot(args)
    if args.command == "qgis-project":
        return cmd_qgis_project(args)
    if args.command == "qgis-plugin":
        return cmd_qgis_plugin(args)
    if args.command == "screenshot":
        try:
            size = _parse_size(args.size)
        except ValueError as exc:
            return fail(str(exc))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from console.app import run_screenshot
        return run_screenshot(args.shot_store or args.store, args.out, size, args.shot_lang or args.lang)
    from console.app import run_console
    return run_console(args.store, args.lang)


if __name__ == "__main__":
    sys.exit(main())
