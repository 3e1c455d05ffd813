"""Monthly reports sent upward: the indicators of a month as a workbook (openpyxl).

One sheet for the whole district and one per breakdown (community, grid, category, source); counts
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

from data.accounts import Principal
from data.domain import CATEGORIES, SOURCES
from data.indicators import BREAKDOWNS, indicators, month_bounds

# (code, Chinese heading, English heading); rates are (code, zh, en, numerator code, denominator code).
COUNTS = (("reported", "上报数", "Reported"), ("duplicates", "重复上报", "Duplicates"), ("accepted", "立案数", "Accepted"),
          ("voided", "作废数", "Voided"), ("dispatched", "派遣数", "Dispatched"), ("closed", "结案数", "Closed"),
          ("due", "应结案数", "Due"), ("on_time_closed", "按期结案数", "Closed on time"), ("mediated", "调解成功数", "Mediated"),
          ("callbacks", "回访数", "Callbacks"), ("unreachable", "未联系上", "Not reached"))
RATES = (("closure_rate", "结案率", "Closure rate", "closed", "due"),
         ("on_time_closure_rate", "按期结案率", "On-time closure rate", "on_time_closed", "due"))
OTHER_RATES = (("acceptance_rate", "立案率", "Acceptance rate"), ("rework_rate", "返工率", "Rework rate"),
               ("extension_rate", "延期率", "Extension rate"), ("mediation_rate", "调解成功率", "Mediation rate"),
               ("satisfaction_rate", "满意率", "Satisfaction rate"), ("response_median_min", "响应时间中位数(分钟)", "Response median (min)"),
               ("response_p90_min", "响应时间P90(分钟)", "Response p90 (min)"))
SHEET_NAMES = {"overall": ("全辖区", "District"), "community": ("按社区", "By community"), "grid": ("按网格", "By grid"),
               "category": ("按类别", "By category"), "source": ("按来源", "By source")}


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


def write_month_xlsx(store, month: str, out: str | Path, *, reader: Principal, lang: str = "zh_CN") -> Path:
    """The month's indicators as a workbook at `out` (written whole, then moved into place)."""
    start, end = month_bounds(month)
    zh = lang.startswith("zh")
    overall = indicators(store, start, end, reader=reader)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAMES["overall"][0 if zh else 1]
    district = store.meta.get("district_name") or ""
    _sheet(ws, f"{district} {month} {'综治中心月报' if zh else 'monthly report'}",
           [("全辖区" if zh else "District", overall.overall)], zh)
    terms = {"category": CATEGORIES, "source": SOURCES}
    for by in BREAKDOWNS:
        rep = indicators(store, start, end, by, reader=reader)
        # Categories and sources by their names in the report's language, not their codes.
        rows = [(terms[by][k].label(lang) if by in terms and k in terms[by] else k, v) for k, v in rep.groups.items()]
        _sheet(wb.create_sheet(SHEET_NAMES[by][0 if zh else 1]), f"{month} {SHEET_NAMES[by][0 if zh else 1]}", rows, zh)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".part", dir=out.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
