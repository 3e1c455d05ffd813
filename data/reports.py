"""Monthly reports sent upward: the indicators of a month as a workbook (openpyxl).

One sheet for the whole district (or the community asked for) and one per breakdown (community, grid,
category, source, team, dispatcher), then the time in each stage and the response times; counts
are numbers and every rate is a formula over the counts beside it (结案率 = 结案数 / 应结案数), so a
reader who changes a count sees the rate follow, as in the spreadsheets offices already send.
Written to a temporary file and moved into place: a report is never left half-written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dataclasses import dataclass, field
from datetime import datetime, timezone

from data.accounts import Principal
from data.domain import CATEGORIES, SOURCES, STAGES
from data.indicators import BREAKDOWNS, IndicatorReport, active_groups, case_facts, indicators, keep, month_bounds, trend
from data.messages import GridWatchError
from data.patrol.report import CoverageReport, coverage, team_labels

# (code, Chinese heading, English heading); rates are (code, zh, en, numerator code, denominator code).
COUNTS = (("reported", "上报数", "Reported"), ("duplicates", "重复上报", "Duplicates"), ("accepted", "立案数", "Accepted"),
          ("voided", "作废数", "Voided"), ("dispatched", "派遣数", "Dispatched"), ("resolved", "处置数", "Resolved"),
          ("due_resolved", "应处置数", "Due for resolution"), ("on_time_resolved", "按期处置数", "Resolved on time"),
          ("closed", "结案数", "Closed"),
          ("due", "应结案数", "Due"), ("on_time_closed", "按期结案数", "Closed on time"), ("mediated", "调解成功数", "Mediated"),
          ("callbacks", "回访数", "Callbacks"), ("unreachable", "未联系上", "Not reached"))
RATES = (("closure_rate", "结案率", "Closure rate", "closed", "due"),
         ("on_time_closure_rate", "按期结案率", "On-time closure rate", "on_time_closed", "due"),
         ("disposal_rate", "处置率", "Resolution rate", "resolved", "due_resolved"),
         ("on_time_disposal_rate", "按期处置率", "On-time resolution rate", "on_time_resolved", "due_resolved"))
OTHER_RATES = (("acceptance_rate", "立案率", "Acceptance rate"), ("rework_rate", "返工率", "Rework rate"),
               ("extension_rate", "延期率", "Extension rate"), ("mediation_rate", "调解成功率", "Mediation rate"),
               ("satisfaction_rate", "满意率", "Satisfaction rate"), ("response_median_min", "响应时间中位数(分钟)", "Response median (min)"),
               ("response_p90_min", "响应时间P90(分钟)", "Response p90 (min)"))
SHEET_NAMES = {"overall": ("全辖区", "District"), "community": ("按社区", "By community"), "grid": ("按网格", "By grid"),
               "category": ("按类别", "By category"), "source": ("按来源", "By source"), "team": ("按队伍", "By team"),
               "dispatcher": ("按调度员", "By dispatcher"), "stages": ("各环节用时", "Time in stages"),
               "response": ("响应时间分布", "Response times"), "patrol": ("巡逻覆盖", "Patrol coverage")}


def _sheet(ws, title_row: str, rows: list[tuple[str, dict]], zh: bool) -> None:
    ws.append([title_row])
    ws["A1"].font = Font(bold=True, size=13)
    heads = [""] + [c[1] if zh else c[2] for c in COUNTS] + [r[1] if zh else r[2] for r in RATES] + \
        [o[1] if zh else o[2] for o in OTHER_RATES]
    heads[0] = "名称" if zh else "Name"
    ws.append(heads)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    col = {c[0]: get_column_letter(2 + k) for k, c in enumerate(COUNTS)}
    for name, values in rows:
        r = ws.max_row + 1
        line = [name] + [values[c[0]] for c in COUNTS]
        # Rates over the counts on the same row: formulas, shown as percentages.
        line += [f"=IF({col[den]}{r}=0,\"\",{col[num]}{r}/{col[den]}{r})" for _c, _z, _e, num, den in RATES]
        line += [values[o[0]] for o in OTHER_RATES]
        ws.append(line)
        first_rate = 2 + len(COUNTS)
        for k in range(len(RATES)):
            ws.cell(row=r, column=first_rate + k).number_format = "0.00%"
        for k, o in enumerate(OTHER_RATES):
            if o[0].endswith("_rate"):
                ws.cell(row=r, column=first_rate + len(RATES) + k).number_format = "0.00%"
    ws.column_dimensions["A"].width = 22
    for k in range(2, len(heads) + 1):
        ws.column_dimensions[get_column_letter(k)].width = 11
    ws.freeze_panes = "B3"


@dataclass(frozen=True)
class MonthReport:
    """Everything a monthly report shows (the workbook and the PDF draw the same object)."""
    month: str
    district: str
    community: str | None
    overall: IndicatorReport
    breakdowns: dict[str, IndicatorReport]
    days: list[dict]  # the indicators of each day (the trend chart)
    facts: object  # the case facts up to the month's end (the PDF's choropleth by grid)
    patrol: CoverageReport | None = None  # the patrol plans' duty windows that ended in the month
    team_labels: dict[int, str] = field(default_factory=dict)  # "code name" of each team (the patrol tables)


def month_report(store, month: str, *, reader: Principal, community: str | None = None,
                 now: datetime | None = None) -> MonthReport:
    """The indicators of a month for the district or one community: overall, per breakdown, the stage
    times and response times, and day by day; the patrol plans' coverage up to `now` (default the
    clock's) when the month is not over. The facts are read once."""
    start, end = month_bounds(month)
    facts = case_facts(store, until=end)
    where = {"community": community} if community else None
    if community and not (facts["community"] == community).any():
        known = sorted(x for x in facts["community"].dropna().unique())
        raise GridWatchError("indicators.unknown_community", community=community, known="、".join(known))
    overall = indicators(store, start, end, reader=reader, facts=facts, where=where)
    breakdowns = {by: indicators(store, start, end, by, reader=reader, facts=facts, where=where) for by in BREAKDOWNS
                  if not (community and by == "community")}
    patrol = month_coverage(store, start, min(end, now or datetime.now(timezone.utc)), community)
    return MonthReport(month, district_name(store), community, overall, breakdowns,
                       trend(keep(facts, where), start, end, "day"), facts, patrol, team_labels(store))


def month_coverage(store, start: datetime, end: datetime, community: str | None = None) -> CoverageReport | None:
    """The patrol coverage of the month's ended duty windows (None when the month has not begun), for
    the district or the windows in one community's grids."""
    if end <= start:
        return None
    rep = coverage(store, start, end)
    if community:
        from data.snapshot import load_grids
        grids = load_grids(store, end)
        ours = {str(c) for c, k in zip(grids.column("code"), grids.column("community")) if k == community}
        rep.windows = [w for w in rep.windows if ours & set(w.grid_codes)]
    return rep


def district_name(store) -> str:
    """The district's name: as imported (meta), else its boundary's."""
    from sqlalchemy import select
    from data.store import models as m
    if store.meta.get("district_name"):
        return store.meta["district_name"]
    with store.session() as s:
        return s.scalar(select(m.District.name).limit(1)) or ""


# What a case without a value of the breakdown is shown as (never dispatched: no team, no dispatcher).
NONE_LABEL = {"team": ("（未派遣）", "(not dispatched)"), "dispatcher": ("（未派遣）", "(not dispatched)")}


def group_label(by: str, key: str, lang: str) -> str:
    """A group's name in the report's language (categories and sources have names; the rest are names)."""
    terms = {"category": CATEGORIES, "source": SOURCES}
    if key == "—" and by in NONE_LABEL:
        return NONE_LABEL[by][0 if lang.startswith("zh") else 1]
    return terms[by][key].label(lang) if by in terms and key in terms[by] else key




def _stage_sheet(ws, rep: MonthReport, zh: bool) -> None:
    ws.append([f"{rep.month} {SHEET_NAMES['stages'][0 if zh else 1]}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["环节" if zh else "Stage", "结案案件数" if zh else "Closed cases", "中位数(分钟)" if zh else "Median (min)",
               "P90(分钟)" if zh else "p90 (min)", "超时数" if zh else "Overdue", "超时率" if zh else "Overdue rate"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for stage, v in rep.overall.stages.items():
        r = ws.max_row + 1
        ws.append([STAGES[stage].label("zh_CN" if zh else "en"), v["cases"], v["median_min"], v["p90_min"], v["overdue"],
                   f"=IF(B{r}=0,\"\",E{r}/B{r})"])
        ws.cell(row=r, column=6).number_format = "0.00%"
    ws.column_dimensions["A"].width = 18
    for k in "BCDEF":
        ws.column_dimensions[k].width = 13


def _response_sheet(ws, rep: MonthReport, zh: bool) -> None:
    ws.append([f"{rep.month} {SHEET_NAMES['response'][0 if zh else 1]}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["上报→到场(分钟)" if zh else "Report → on scene (min)", "案件数" if zh else "Cases", "占比" if zh else "Share"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    bins = rep.overall.response_bins
    first, last = 3, 3 + len(bins) - 1
    for b in bins:
        r = ws.max_row + 1
        label = f"{b['from']}–{b['to']}" if b["to"] is not None else f"≥{b['from']}"
        ws.append([label, b["cases"], f"=IF(SUM(B${first}:B${last})=0,\"\",B{r}/SUM(B${first}:B${last}))"])
        ws.cell(row=r, column=3).number_format = "0.0%"
    ws.column_dimensions["A"].width = 24


def write_month_xlsx(store, month: str, out: str | Path, *, reader: Principal, lang: str = "zh_CN",
                     community: str | None = None, report: MonthReport | None = None) -> Path:
    """The month's indicators as a workbook at `out` (written whole, then moved into place)."""
    zh = lang.startswith("zh")
    rep = report or month_report(store, month, reader=reader, community=community)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAMES["overall"][0 if zh else 1]
    scope = rep.community or ("全辖区" if zh else "District")
    _sheet(ws, f"{rep.district} {scope} {month} {'综治中心月报' if zh else 'monthly report'}", [(scope, rep.overall.overall)], zh)
    for by, br in rep.breakdowns.items():
        rows = [(group_label(by, k, lang), v) for k, v in active_groups(br.groups).items()]
        _sheet(wb.create_sheet(SHEET_NAMES[by][0 if zh else 1]), f"{month} {SHEET_NAMES[by][0 if zh else 1]}", rows, zh)
    _stage_sheet(wb.create_sheet(SHEET_NAMES["stages"][0 if zh else 1]), rep, zh)
    _response_sheet(wb.create_sheet(SHEET_NAMES["response"][0 if zh else 1]), rep, zh)
    if rep.patrol is not None and rep.patrol.windows:
        _patrol_sheet(wb.create_sheet(SHEET_NAMES["patrol"][0 if zh else 1]), rep, zh)
    return write_atomic(out, wb.save)


def patrol_rows(rep: MonthReport, by: str) -> list[tuple[str, dict]]:
    """The month's coverage groups by team, grid or key plan, named, the least covered first."""
    return rep.patrol.ranked(by, rep.team_labels)


PATROL_BLOCKS = (("team", "按队伍", "By team"), ("grid", "按网格", "By grid"), ("key", "重点计划", "Key plans"))


def _patrol_sheet(ws, rep: MonthReport, zh: bool) -> None:
    """Coverage by team, by grid and per key plan: counts as numbers, the rate met as a formula."""
    ws.append([f"{rep.month} {SHEET_NAMES['patrol'][0 if zh else 1]}"])
    ws["A1"].font = Font(bold=True, size=13)
    heads = (["执勤时段数", "达标时段数", "达标率", "平均覆盖率", "计划里程(公里)", "巡逻里程(公里)"] if zh else
             ["Duty windows", "Met", "Met rate", "Mean coverage", "Planned km", "Walked km"])
    for by, zh_title, en_title in PATROL_BLOCKS:
        rows = patrol_rows(rep, by)
        if not rows:
            continue
        ws.append([])
        ws.append([zh_title if zh else en_title] + heads)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for name, g in rows:
            r = ws.max_row + 1
            ws.append([name, g["windows"], g["met"], f"=IF(B{r}=0,\"\",C{r}/B{r})", g["pct"] / 100.0,
                       round(g["planned_m"] / 1000, 2), round(g["walked_m"] / 1000, 2)])
            ws.cell(row=r, column=4).number_format = "0.0%"
            ws.cell(row=r, column=5).number_format = "0.0%"
    ws.column_dimensions["A"].width = 26
    for k in range(2, 8):
        ws.column_dimensions[get_column_letter(k)].width = 13


def write_atomic(out: str | Path, save) -> Path:
    """Calls save(temporary path) and moves the file into place: never half a file at `out`."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".part", dir=out.parent)
    os.close(fd)
    try:
        save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
