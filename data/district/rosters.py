"""Rosters an office keeps in Excel: cameras, teams, members, staff and tracker handsets.

One definition per roster (its fields, their Chinese and English headers, types and vocabularies)
serves the templates `gridwatch template` writes, the reader, the row checks and the diff against the
store, so a template always reads back. Every bad row is reported (row number as Excel shows it,
column header, reason); a roster with any bad row imports nothing.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from data.district.coords import to_true
from data.domain import CAMERA_STATUS, MEMBER_ROLES, STAFF_ROLES, TEAM_KINDS, TRANSPORT, Term
from data.messages import GridWatchError, Message

MAX_ROWS = 200_000
_YES = {"yes", "y", "true", "1", "是", "高清", "hd", "√", "t"}
_NO = {"no", "n", "false", "0", "否", "标清", "sd", "", "f", "×"}


@dataclass(frozen=True)
class RosterField:
    key: str
    zh: str
    en: str
    kind: str = "text"  # text | number | bool | time | phone | choice | lon | lat | date | datetime | id_number
    required: bool = False
    choices: Mapping[str, Term] | None = None
    low: float | None = None
    high: float | None = None
    aliases: tuple[str, ...] = ()
    example: Any = ""


@dataclass(frozen=True)
class Roster:
    kind: str
    key: tuple[str, ...]  # what identifies a row across imports
    fields: tuple[RosterField, ...]

    def field(self, key: str) -> RosterField:
        return next(f for f in self.fields if f.key == key)


ROSTERS: dict[str, Roster] = {r.kind: r for r in (
    Roster("cameras", ("code",), (
        RosterField("code", "点位编号", "Code", required=True, aliases=("编号", "设备编号", "code"), example="TW0001"),
        RosterField("name", "点位名称", "Name", aliases=("名称", "安装位置", "name"), example="白岩路与太白路口"),
        RosterField("lon", "经度", "Longitude", "lon", required=True, aliases=("lon", "lng", "x", "longitude"), example=108.3801),
        RosterField("lat", "纬度", "Latitude", "lat", required=True, aliases=("lat", "y", "latitude"), example=30.8102),
        RosterField("hd", "是否高清", "HD", "bool", aliases=("高清", "hd"), example="是"),
        RosterField("heading_deg", "朝向(度)", "Heading (deg)", "number", low=0, high=360, aliases=("朝向", "方向角", "heading"), example=90),
        RosterField("fov_deg", "视角(度)", "Field of view (deg)", "number", low=1, high=360, aliases=("视角", "fov"), example=90),
        RosterField("range_m", "可视距离(米)", "Range (m)", "number", low=1, high=2000, aliases=("可视距离", "range"), example=100),
        RosterField("stream_url", "视频流地址", "Stream URL", aliases=("视频地址", "rtsp", "url"), example="rtsp://…"),
        RosterField("status", "状态", "Status", "choice", choices=CAMERA_STATUS, aliases=("在线状态", "status"), example="在线"),
    )),
    Roster("teams", ("code",), (
        RosterField("code", "队伍编号", "Code", required=True, aliases=("编号", "code"), example="XL001"),
        RosterField("name", "队伍名称", "Name", required=True, aliases=("名称", "name"), example="巡逻1队"),
        RosterField("kind", "队伍类型", "Kind", "choice", required=True, choices=TEAM_KINDS, aliases=("类型", "kind"), example="治安巡逻队"),
        RosterField("transport", "交通方式", "Transport", "choice", required=True, choices=TRANSPORT, aliases=("出行方式", "transport"), example="步行"),
        RosterField("home_grid_code", "所属网格", "Home grid", required=True, aliases=("网格编号", "网格", "home_grid", "grid"), example="BJJ01"),
        RosterField("duty_start_min", "上岗时间", "Duty from", "time", required=True, aliases=("上班时间", "duty_start"), example="08:00"),
        RosterField("duty_end_min", "下岗时间", "Duty until", "time", required=True, aliases=("下班时间", "duty_end"), example="22:00"),
    )),
    Roster("members", ("team", "name"), (
        RosterField("name", "姓名", "Name", required=True, aliases=("name",), example="王伟"),
        RosterField("phone", "手机号码", "Phone", "phone", required=True, aliases=("电话", "联系电话", "手机", "phone"), example="13800000000"),
        RosterField("team", "所属队伍编号", "Team code", required=True, aliases=("队伍编号", "队伍", "team"), example="XL001"),
        RosterField("role", "角色", "Role", "choice", choices=MEMBER_ROLES, aliases=("职务", "role"), example="队长"),
    )),
    Roster("staff", ("name",), (
        RosterField("name", "姓名", "Name", required=True, aliases=("name",), example="刘建平"),
        RosterField("role", "岗位", "Role", "choice", required=True, choices=STAFF_ROLES, aliases=("角色", "role"), example="调度员"),
    )),
    Roster("devices", ("device_id",), (
        RosterField("device_id", "终端编号", "Device id", required=True, aliases=("设备号", "IMEI", "device_id", "id"), example="860000000000001"),
        RosterField("team", "绑定队伍编号", "Team code", required=True, aliases=("队伍编号", "队伍", "team"), example="XL001"),
    )),
)}


# --- templates -------------------------------------------------------------------------------------

def write_template(kind: str | Roster, out: str | Path, lang: str = "zh") -> Path:
    """An XLSX with the roster's headers (Chinese by default), one example row, and a second sheet
    listing the allowed values; written to a temporary file and renamed when complete."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    roster = kind if isinstance(kind, Roster) else _roster(kind)
    kind = roster.kind
    out = Path(out)
    zh = lang.startswith("zh")
    wb = Workbook()
    ws = wb.active
    ws.title = kind
    ws.append([(f.zh if zh else f.en) for f in roster.fields])
    for k, f in enumerate(roster.fields):
        cell = ws.cell(row=1, column=k + 1)
        cell.font = Font(bold=True, color="B00000" if f.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        ws.column_dimensions[cell.column_letter].width = max(12, len(cell.value) * (2.2 if zh else 1.2))
    ws.append([_example(f, zh) for f in roster.fields])
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明" if zh else "notes")
    notes.append(["字段", "必填", "允许的值"] if zh else ["Field", "Required", "Allowed values"])
    for f in roster.fields:
        allowed = ""
        if f.choices:
            allowed = "、".join(t.zh for t in f.choices.values()) if zh else ", ".join(f"{c} ({t.en})" for c, t in f.choices.items())
        elif f.kind == "time":
            allowed = "HH:MM"
        elif f.kind in ("date", "datetime"):
            allowed = "YYYY-MM-DD" + (" HH:MM" if f.kind == "datetime" else "")
        elif f.kind == "id_number":
            allowed = "18位身份证号码" if zh else "18-digit ID number"
        elif f.low is not None:
            allowed = f"{f.low:g}–{f.high:g}"
        notes.append([f.zh if zh else f.en, ("是" if zh else "yes") if f.required else "", allowed])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    wb.save(tmp)
    tmp.replace(out)
    return out


def _example(f: RosterField, zh: bool):
    if f.choices and not zh:
        term = next((t for t in f.choices.values() if t.zh == f.example), None)
        return term.code if term else f.example
    if not zh and f.kind == "bool":
        return "yes"
    return f.example


def _roster(kind: str) -> Roster:
    if kind not in ROSTERS:
        raise GridWatchError("import.unknown_kind", kind=kind)
    return ROSTERS[kind]


# --- reading ---------------------------------------------------------------------------------------

@dataclass
class Sheet:
    """A roster file's header and rows as read (cells as typed in the file), with Excel row numbers."""

    file: Path
    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    path = Path(path)
    if not path.exists() or path.is_dir():
        raise GridWatchError("import.no_file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path, sheet)
    elif suffix in (".csv", ".txt"):
        raw = _read_csv(path)
    else:
        raise GridWatchError("import.unreadable", file=path.name, what="a roster", reason="use .xlsx or .csv")
    numbered = [(k + 1, r) for k, r in enumerate(raw) if not all(blank(c) for c in r)]
    if not numbered:
        raise GridWatchError("import.empty", file=path.name)
    header, body = numbered[0][1], numbered[1:]
    if not body:
        raise GridWatchError("import.empty", file=path.name)
    if len(body) > MAX_ROWS:
        raise GridWatchError("import.too_big", file=path.name, count=len(body), limit=MAX_ROWS)
    return Sheet(path, [str(h).strip() if h is not None else "" for h in header], [list(r) for _n, r in body], [n for n, _r in body])


def blank(c) -> bool:
    """An empty cell: None, blank text or NaN (pandas and openpyxl both give these)."""
    return c is None or (isinstance(c, str) and not c.strip()) or (isinstance(c, float) and math.isnan(c))


def _read_xlsx(path: Path, sheet: str | None) -> list[tuple]:
    import zipfile
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise GridWatchError("import.unreadable", file=path.name, what="an Excel workbook", reason=str(exc) or type(exc).__name__) from None
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                raise GridWatchError("import.no_layer", file=path.name, layer=sheet, layers=", ".join(wb.sheetnames))
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        rows = []
        for r in ws.iter_rows(values_only=True):
            rows.append(r)
            if len(rows) > MAX_ROWS + 50:
                raise GridWatchError("import.too_big", file=path.name, count=f"> {MAX_ROWS}", limit=MAX_ROWS)
        return rows
    except GridWatchError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise GridWatchError("import.unreadable", file=path.name, what="an Excel workbook", reason=str(exc) or type(exc).__name__) from None
    finally:
        wb.close()


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise GridWatchError("import.unreadable", file=path.name, what="a CSV file", reason="not UTF-8 or GB18030 text")
    if "\x00" in text:
        raise GridWatchError("import.unreadable", file=path.name, what="a CSV file", reason="binary content")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(text.splitlines(), dialect))


def column_map(roster: Roster, sheet: Sheet, mapping: Mapping[str, str] | None = None) -> dict[str, int]:
    """field key -> column index: from an explicit mapping (field=header), else by the template's
    Chinese or English header or a common alias (case and spaces ignored)."""
    norm = lambda s: re.sub(r"[\s_（）()]", "", str(s)).lower()
    by_header = {norm(h): k for k, h in enumerate(sheet.header) if h}
    out: dict[str, int] = {}
    for key, header in (mapping or {}).items():
        if key not in {f.key for f in roster.fields}:
            raise GridWatchError("import.bad_mapping", mapping=f"{key}={header}", column=key, file=sheet.file.name,
                                 columns=", ".join(f.key for f in roster.fields))
        k = by_header.get(norm(header))
        if k is None:
            raise GridWatchError("import.bad_mapping", mapping=f"{key}={header}", column=header, file=sheet.file.name,
                                 columns=", ".join(h for h in sheet.header if h))
        out[key] = k
    for f in roster.fields:
        if f.key in out:
            continue
        for name in (f.zh, f.en, f.key, *f.aliases):
            if norm(name) in by_header:
                out[f.key] = by_header[norm(name)]
                break
    missing = [f for f in roster.fields if f.required and f.key not in out]
    if missing:
        raise GridWatchError("import.missing_columns", file=sheet.file.name, fields=", ".join(f"{f.zh} ({f.key})" for f in missing),
                             columns=", ".join(h for h in sheet.header if h))
    return out


@dataclass
class ImportPlan:
    """What an import would write, or every problem by row (then nothing is written): the ledgers'
    and the rota's imports check against the store after the rows' own checks and answer with this."""

    kind: str
    file: str
    records: list[dict]
    problems: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)


@dataclass
class CheckedRoster:
    kind: str
    records: list[dict]
    row_numbers: list[int]
    problems: list[Message] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)


def check_rows(kind: str | Roster, sheet: Sheet, *, mapping: Mapping[str, str] | None = None, coords: str = "wgs84",
               teams: set[str] | None = None, grids: set[str] | None = None, district=None) -> CheckedRoster:
    """Typed records from the sheet's rows, or the problems of every bad row. `teams` and `grids`
    are the codes a reference may name (teams in the store plus, for members, none in the file);
    `district` (lon/lat polygon) is where camera points must lie. `kind` may be a Roster defined
    elsewhere (the ledgers' own, data/ledgers/imports.py), checked field by field the same way."""
    roster = kind if isinstance(kind, Roster) else _roster(kind)
    kind = roster.kind
    cols = column_map(roster, sheet, mapping)
    out = CheckedRoster(kind, [], [], [], cols)
    seen: dict[tuple, int] = {}
    header_of = {key: sheet.header[k] for key, k in cols.items()}
    for row, n in zip(sheet.rows, sheet.row_numbers):
        rec: dict[str, Any] = {}
        bad = False
        for f in roster.fields:
            if f.key not in cols:
                rec[f.key] = None  # an optional column the file does not have
                continue
            raw = row[cols[f.key]] if cols[f.key] < len(row) else None
            value, problem = _convert(f, raw)
            if problem is None and value is None and f.required:
                problem = Message("row.missing", {"row": n, "column": header_of[f.key]})
            elif problem is not None:
                problem = Message(problem[0], {"row": n, "column": header_of[f.key], **problem[1]})
            if problem is not None:
                out.problems.append(problem)
                bad = True
            rec[f.key] = value
        if bad:
            continue
        key = tuple(rec.get(k) for k in roster.key)
        if key in seen:
            out.problems.append(Message("row.duplicate", {"row": n, "column": header_of[roster.key[-1]],
                                                          "value": " / ".join(map(str, key)), "first": seen[key]}))
            continue
        seen[key] = n
        if "team" in rec and teams is not None and rec["team"] not in teams:
            out.problems.append(Message("row.unknown_team", {"row": n, "column": header_of["team"], "value": rec["team"]}))
            continue
        if "home_grid_code" in rec and grids is not None and rec["home_grid_code"] not in grids:
            out.problems.append(Message("row.unknown_grid", {"row": n, "column": header_of["home_grid_code"], "value": rec["home_grid_code"]}))
            continue
        out.records.append(rec)
        out.row_numbers.append(n)
    if kind == "cameras" and out.records:
        lon, lat = to_true([r["lon"] for r in out.records], [r["lat"] for r in out.records], coords)
        keep = np.ones(len(out.records), bool)
        if district is not None:
            import shapely
            keep = shapely.contains_xy(district, lon, lat)
        for k, rec in enumerate(out.records):
            rec["lon"], rec["lat"] = float(lon[k]), float(lat[k])
            if not keep[k]:
                out.problems.append(Message("row.outside_district", {"row": out.row_numbers[k], "lon": f"{lon[k]:.6f}", "lat": f"{lat[k]:.6f}"}))
        out.records = [r for r, k in zip(out.records, keep) if k]
        out.row_numbers = [r for r, k in zip(out.row_numbers, keep) if k]
        for rec in out.records:  # defaults by kind of camera
            rec["hd"] = bool(rec.get("hd"))
            rec["heading_deg"] = rec.get("heading_deg") if rec.get("heading_deg") is not None else 0.0
            rec["fov_deg"] = rec.get("fov_deg") or (90.0 if rec["hd"] else 60.0)
            rec["range_m"] = rec.get("range_m") or (100.0 if rec["hd"] else 60.0)
            rec["status"] = rec.get("status") or "online"
            rec["name"] = rec.get("name") or rec["code"]
    if kind == "members":
        for rec in out.records:
            rec["role"] = rec.get("role") or "member"
    return out


def _convert(f: RosterField, raw) -> tuple[Any, tuple[str, dict] | None]:
    if blank(raw):
        return None, None
    text = str(raw).strip()
    if f.kind == "text":
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))  # Excel turns numeric codes into floats
        return text, None
    if f.kind in ("number", "lon", "lat"):
        try:
            v = float(raw) if not isinstance(raw, str) else float(text.replace("，", ".").replace("°", ""))
        except (TypeError, ValueError):
            return None, ("row.bad_number", {"value": text})
        low, high = {"lon": (-180, 180), "lat": (-90, 90)}.get(f.kind, (f.low, f.high))
        if not math.isfinite(v) or (low is not None and not (low <= v <= high)):
            return None, ("row.out_of_range", {"value": text, "low": low, "high": high})
        return v, None
    if f.kind == "bool":
        t = text.lower()
        if t in _YES:
            return True, None
        if t in _NO:
            return False, None
        return None, ("row.unknown_value", {"value": text, "allowed": "是/否, yes/no"})
    if f.kind == "time":
        if hasattr(raw, "hour") and hasattr(raw, "minute"):  # Excel time cells arrive as datetime.time
            return raw.hour * 60 + raw.minute, None
        if isinstance(raw, float) and 0 <= raw <= 1:  # a time typed as a fraction of a day
            return int(round(raw * 24 * 60)), None
        m = re.fullmatch(r"(\d{1,2})[:：](\d{2})(?::\d{2})?", text)
        if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59 or (int(m.group(1)) == 24 and int(m.group(2)) > 0):
            return None, ("row.bad_time", {"value": text})
        return int(m.group(1)) * 60 + int(m.group(2)), None
    if f.kind == "phone":
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        digits = re.sub(r"[\s\-()（）]", "", text)
        if not re.fullmatch(r"\+?\d{5,15}", digits):
            return None, ("row.bad_phone", {"value": text})
        return digits, None
    if f.kind == "choice":
        for code, term in f.choices.items():
            if text in (code, term.zh) or text.lower() == term.en.lower():
                return code, None
        return None, ("row.unknown_value", {"value": text, "allowed": "、".join(t.zh for t in f.choices.values())})
    if f.kind == "id_number":
        from data.ledgers.rules import id_number_problem
        if isinstance(raw, (int, float)):  # Excel keeps long digit strings as numbers and drops digits
            return None, ("row.id_format", {"value": text})
        number = text.replace(" ", "").upper()
        problem = id_number_problem(number)
        if problem is not None:
            return None, ("row.id_" + problem, {"value": text})
        return number, None
    if f.kind in ("date", "datetime"):
        import datetime as dt
        if isinstance(raw, dt.datetime):  # an Excel date cell
            value = raw
        elif isinstance(raw, dt.date):
            value = dt.datetime(raw.year, raw.month, raw.day)
        else:
            m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?)?", text)
            try:
                if m is None:
                    raise ValueError(text)
                value = dt.datetime(*(int(g) for g in m.groups(default="0")))
            except ValueError:
                return None, ("row.bad_" + f.kind, {"value": text})
        if f.kind == "date":
            return value.date(), None
        if value.tzinfo is None:
            from data.domain import LOCAL_TZ
            value = value.replace(tzinfo=LOCAL_TZ)  # a time typed in the office is office time
        return value.astimezone(dt.timezone.utc), None
    raise AssertionError(f.kind)
