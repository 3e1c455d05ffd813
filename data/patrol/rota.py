"""The duty rota (排班): who is on shift when, for which team and where; imported from the office's
Excel, changed one swap at a time with its reason, read by dispatch ("who is on shift now") and shown
as a week with its gaps (hours and grids with nobody planned, key periods under-covered).

One home for "is this team on duty now": `DutyNow`. Where the rota holds shifts for the day it is the
rota; a team with no rota for the day falls back to its fixed duty hours (data.domain.on_duty), so a
store without a rota dispatches as before. Qt-free; the console and the command line call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Mapping

import numpy as np
import sqlalchemy
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal, require
from data.district.rosters import ImportPlan, Roster, RosterField, Sheet, check_rows, read_sheet, write_template
from data.domain import LOCAL_TZ, on_duty
from data.messages import GridWatchError, Message
from data.store import models as m
from data.store.core import Store, write_lock
from data.snapshot import grid_codes_in_force

MAX_SHIFT = timedelta(hours=24)
# People a key period needs on shift in the plan's teams: patrols walk in pairs, one holds a point.
KEY_PEOPLE = {"route": 2, "area": 2, "stakeout": 1}
HOURS_IN_WEEK = 7 * 24


class RotaError(GridWatchError):
    """A rota change that cannot be made as asked; the code and fields say why (data/messages.CATALOGUE)."""


ROTA_ROSTER = Roster("shifts", ("team", "person", "day", "start_min"), (
    RosterField("day", "日期", "Date", "date", required=True, aliases=("值班日期", "day", "date"), example="2026-12-01"),
    RosterField("start_min", "开始时间", "From", "time", required=True, aliases=("上岗时间", "开始", "from", "start"), example="08:00"),
    RosterField("end_min", "结束时间", "Until", "time", required=True, aliases=("下岗时间", "结束", "until", "end"), example="20:00"),
    RosterField("team", "队伍编号", "Team code", required=True, aliases=("队伍", "team"), example="XL001"),
    RosterField("person", "姓名", "Person", aliases=("人员", "值班人员", "person", "name"), example="王伟"),
    RosterField("grid", "网格", "Grid", aliases=("网格编号", "岗位网格", "grid"), example=""),
    RosterField("post", "岗位", "Post", aliases=("值班岗位", "post"), example="夜市街巡逻"),
))


@dataclass(frozen=True)
class ShiftRow:
    id: int
    team_id: int
    member_id: int | None
    starts_at: datetime
    ends_at: datetime
    grid_code: str | None  # None: the team's home grid
    post: str




def write_rota_template(out: str | Path, lang: str = "zh") -> Path:
    return write_template(ROTA_ROSTER, out, lang)


def _span(day: date, start_min: int, end_min: int) -> tuple[datetime, datetime]:
    """A shift typed as a day and office hours, in UTC; an end at or before the start is the next day."""
    midnight = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    a = midnight + timedelta(minutes=start_min)
    b = midnight + timedelta(minutes=end_min + (24 * 60 if end_min <= start_min else 0))
    return a.astimezone(timezone.utc), b.astimezone(timezone.utc)


def plan_shifts(store: Store, path: str | Path, *, mapping: Mapping[str, str] | None = None,
                sheet: Sheet | None = None) -> ImportPlan:
    """Read and check a rota file against the store: unknown teams, people who are not members of the
    team named, unknown grids, and one person on two overlapping shifts (in the file or already in the
    rota) are reported row by row; a file with any bad row imports nothing."""
    sheet = sheet or read_sheet(path)
    checked = check_rows(ROTA_ROSTER, sheet, mapping=mapping)
    plan = ImportPlan("shifts", sheet.file.name, [], list(checked.problems))
    header = {key: sheet.header[k] for key, k in checked.columns.items()}
    with store.session() as s:
        teams = dict(s.execute(select(m.Team.code, m.Team.id)).all())
        members: dict[tuple[int, str], int] = {(t, n): i for i, t, n in s.execute(select(m.Member.id, m.Member.team_id, m.Member.name))}
    grids = set(grid_codes_in_force(store))
    taken: dict[int, list[tuple[datetime, datetime, int | None]]] = {}  # person -> spans (row in the file, or None: stored)
    recs = []
    for rec, n in zip(checked.records, checked.row_numbers):
        team_id = teams.get(rec["team"])
        if team_id is None:
            plan.problems.append(Message("row.unknown_team", {"row": n, "column": header["team"], "value": rec["team"]}))
            continue
        member_id = None
        if rec.get("person"):
            member_id = members.get((team_id, rec["person"]))
            if member_id is None:
                plan.problems.append(Message("row.not_a_member", {"row": n, "column": header["person"], "value": rec["person"],
                                                                  "team": rec["team"]}))
                continue
        if rec.get("grid") and rec["grid"] not in grids:
            plan.problems.append(Message("row.unknown_grid", {"row": n, "column": header["grid"], "value": rec["grid"]}))
            continue
        a, b = _span(rec["day"], rec["start_min"], rec["end_min"])
        recs.append((n, dict(team_id=team_id, member_id=member_id, starts_at=a, ends_at=b, grid_code=rec.get("grid") or None,
                             post=rec.get("post") or "")))
    people = {r["member_id"] for _n, r in recs if r["member_id"] is not None}
    if people:
        lo = min(r["starts_at"] for _n, r in recs) - MAX_SHIFT
        hi = max(r["ends_at"] for _n, r in recs)
        with store.session() as s:
            for mid, a, b in s.execute(select(m.Shift.member_id, m.Shift.starts_at, m.Shift.ends_at).where(
                    m.Shift.member_id.in_(people), m.Shift.starts_at < hi, m.Shift.starts_at >= lo)):
                taken.setdefault(mid, []).append((a, b, None))
    for n, r in recs:
        mid = r["member_id"]
        if mid is not None:
            clash = next((row for a, b, row in taken.get(mid, []) if a < r["ends_at"] and r["starts_at"] < b), False)
            if clash is not False:
                shown = r["starts_at"].astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
                plan.problems.append(Message("row.shift_overlap" if clash is not None else "row.shift_in_rota",
                                             {"row": n, "value": shown, "first": clash}))
                continue
            taken.setdefault(mid, []).append((r["starts_at"], r["ends_at"], n))
        plan.records.append(r)
    if plan.problems:
        plan.records = []
    return plan


def import_shifts(store: Store, by: Principal, plan: ImportPlan, at: datetime | None = None) -> int:
    """Write a checked rota in one transaction; audited (the file and how many shifts)."""
    require(by, "rota.edit")
    if plan.problems:
        raise GridWatchError("import.bad_features", file=plan.file, count=len(plan.problems))
    if not plan.records:
        raise GridWatchError("import.empty", file=plan.file)
    at = at or datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        write_lock(conn)
        conn.execute(m.Shift.__table__.insert(), [dict(r, source=plan.file, created_at=at, created_by=by.account_id)
                                                  for r in plan.records])
        with Session(bind=conn) as s:
            first = min(r["starts_at"] for r in plan.records).astimezone(LOCAL_TZ).date().isoformat()
            last = max(r["ends_at"] for r in plan.records).astimezone(LOCAL_TZ).date().isoformat()
            audit.append(s, account_id=by.account_id, username=by.username, action="rota.import", object_type="rota",
                         object_id=plan.file, after={"file": plan.file, "shifts": len(plan.records), "from": first, "to": last}, at=at)
            s.flush()
    return len(plan.records)


def swap(store: Store, shift_id: int, to_member_id: int, reason: str, by: Principal, at: datetime | None = None) -> None:
    """Give a shift to another person (换班), with the reason; the new person must be free then. The
    shift moves to the new person's team when they belong to another one. Audited."""
    require(by, "rota.swap")
    reason = (reason or "").strip()
    if not reason:
        raise RotaError("rota.swap_needs_reason")
    at = at or datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            shift = s.get(m.Shift, shift_id)
            if shift is None:
                raise RotaError("rota.unknown_shift", shift=shift_id)
            person = s.get(m.Member, to_member_id)
            if person is None:
                raise RotaError("rota.unknown_person", person=to_member_id)
            if shift.member_id == to_member_id:
                raise RotaError("rota.swap_to_same", person=person.name)
            if shift.ends_at <= at:
                raise RotaError("rota.shift_over")
            clash = s.scalar(select(m.Shift.id).where(m.Shift.member_id == to_member_id, m.Shift.id != shift_id,
                                                      m.Shift.starts_at < shift.ends_at, m.Shift.ends_at > shift.starts_at))
            if clash is not None:
                raise RotaError("rota.person_busy", person=person.name)
            before = {"member_id": shift.member_id, "team_id": shift.team_id}
            s.add(m.ShiftSwap(shift_id=shift_id, from_member_id=shift.member_id, to_member_id=to_member_id, reason=reason,
                              created_at=at, created_by=by.account_id))
            shift.member_id, shift.team_id = to_member_id, person.team_id
            s.flush()
            audit.append(s, account_id=by.account_id, username=by.username, action="rota.swap", object_type="shift",
                         object_id=shift_id, before=before, after={"member_id": to_member_id, "team_id": person.team_id,
                                                                  "reason": reason}, at=at)


def shifts(store: Store, start: datetime, end: datetime) -> list[ShiftRow]:
    """Every shift that overlaps [start, end), in order of start."""
    return shift_arrays(store, start, end).rows()


def swaps_of(store: Store, shift_id: int) -> list[dict]:
    with store.session() as s:
        rows = s.scalars(select(m.ShiftSwap).where(m.ShiftSwap.shift_id == shift_id).order_by(m.ShiftSwap.id)).all()
    return [dict(from_member_id=r.from_member_id, to_member_id=r.to_member_id, reason=r.reason, at=r.created_at) for r in rows]


KEPT_WITHIN = timedelta(days=7)  # a team with a shift this near keeps a rota: a day without one is a day off


class DutyNow:
    """Who is on duty at one moment: the rota for a team that keeps one (a shift within a week either
    side: a day with none is a day off), else the team's fixed duty hours. The one place dispatch asks
    (data/routing/recommender.py)."""

    def __init__(self, store: Store, at: datetime):
        self.at = at
        with store.session() as s:
            self._kept: set[int] = set(s.scalars(select(m.Shift.team_id).distinct().where(
                m.Shift.starts_at >= at - KEPT_WITHIN - MAX_SHIFT, m.Shift.starts_at < at + KEPT_WITHIN)))
        self._on: set[int] = {r.team_id for r in shifts(store, at, at + timedelta(seconds=1))}

    def covers(self, team_id: int, duty_start_min: int, duty_end_min: int) -> bool:
        if team_id in self._kept:
            return team_id in self._on
        return on_duty(duty_start_min, duty_end_min, self.at)

    @property
    def from_rota(self) -> bool:
        return bool(self._kept)


def teams_on_duty(store: Store, at: datetime) -> tuple[DutyNow, list[tuple[int, str, str]]]:
    """(the duty check, the teams on duty at `at` as (id, code, name)), for the command line and boards."""
    duty = DutyNow(store, at)
    with store.session() as s:
        rows = s.execute(select(m.Team.id, m.Team.code, m.Team.name, m.Team.duty_start_min, m.Team.duty_end_min)
                         .order_by(m.Team.code)).all()
    return duty, [(r[0], r[1], r[2]) for r in rows if duty.covers(r[0], r[3], r[4])]


def team_people(store: Store) -> list[tuple[int, tuple[str, str]]]:
    """Every person of the teams: (member id, (name, team code)), for choosing who takes a shift."""
    with store.session() as s:
        rows = s.execute(select(m.Member.id, m.Member.name, m.Team.code).join(m.Team, m.Team.id == m.Member.team_id)
                         .order_by(m.Team.code, m.Member.id)).all()
    return [(r[0], (r[1], r[2])) for r in rows]


def member_named(store: Store, name: str, team_code: str | None = None) -> int:
    """A person of the teams by name (and team code when two share a name); refused when there is none
    or the name is not unique without the team."""
    q = select(m.Member.id).join(m.Team, m.Team.id == m.Member.team_id).where(m.Member.name == name)
    if team_code:
        q = q.where(m.Team.code == team_code)
    with store.session() as s:
        ids = s.scalars(q).all()
    if not ids:
        raise RotaError("rota.unknown_person", person=name + (f"@{team_code}" if team_code else ""))
    if len(ids) > 1:
        raise RotaError("rota.person_ambiguous", person=name)
    return ids[0]


@dataclass(frozen=True)
class WeekView:
    """A week of the rota by the hour (168 hours from Monday 00:00 office time)."""

    monday: date
    teams: tuple[tuple[int, str, str], ...]  # (id, code, name), rows of `people`
    people: np.ndarray  # (teams, 168) people on shift (a whole-team shift counts the team's members)
    grids: tuple[str, ...]  # rows of `by_grid`
    by_grid: np.ndarray  # (grids, 168) people posted to the grid
    gaps: tuple[tuple[str, int, int], ...]  # (grid, first hour, hours): runs of hours with nobody in the grid
    under: tuple[tuple[int, str, int, int, int], ...]  # key plans short: (plan id, name, first hour, hours, people)
    shift_table: "ShiftArrays"

    def hour_start(self, hour: int) -> datetime:
        return datetime.combine(self.monday, time(0), tzinfo=LOCAL_TZ) + timedelta(hours=hour)

    @property
    def shifts(self) -> list[ShiftRow]:
        """The week's shifts as rows (made when asked: the view itself needs only the arrays)."""
        return self.shift_table.rows()

    def shifts_at(self, team_id: int, at: datetime) -> list[ShiftRow]:
        """The team's shifts that cover `at` (for a swap picked from the week)."""
        t = at.timestamp()
        a = self.shift_table
        pick = np.flatnonzero((a.team == team_id) & (a.start <= t) & (t < a.end))
        return a.rows(pick)


@dataclass(frozen=True)
class ShiftArrays:
    """Shifts as columns (epoch seconds for times; member −1 for a whole team)."""

    id: np.ndarray
    team: np.ndarray
    member: np.ndarray
    start: np.ndarray
    end: np.ndarray
    grid: tuple[str | None, ...]
    post: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.id)

    def rows(self, pick=None) -> list[ShiftRow]:
        idx = range(len(self.id)) if pick is None else pick
        utc = timezone.utc
        return [ShiftRow(int(self.id[i]), int(self.team[i]), None if self.member[i] < 0 else int(self.member[i]),
                         datetime.fromtimestamp(float(self.start[i]), utc), datetime.fromtimestamp(float(self.end[i]), utc),
                         self.grid[i], self.post[i]) for i in idx]


def _epoch(values: list) -> np.ndarray:
    """Stored times as epoch seconds, for many rows at once: GeoPackage DATETIME text parsed by numpy,
    a server's timestamps (naive UTC) converted one by one."""
    if not values:
        return np.zeros(0)
    if isinstance(values[0], str):
        return np.array([v.rstrip("Z") for v in values], dtype="datetime64[ms]").astype(np.int64) / 1000.0
    return np.array([v.replace(tzinfo=timezone.utc).timestamp() for v in values])


def shift_arrays(store: Store, start: datetime, end: datetime) -> ShiftArrays:
    """Every shift that overlaps [start, end), as columns; read without the per-value conversions of
    the models (a week of a district's rota is thousands of rows, read each time the week view turns)."""
    t = m.Shift.__table__
    sqlite = store.engine.dialect.name == "sqlite"
    # On SQLite the times come back as their stored text, parsed by numpy in one go below.
    raw_start = sqlalchemy.cast(t.c.starts_at, sqlalchemy.Text) if sqlite else t.c.starts_at
    raw_end = sqlalchemy.cast(t.c.ends_at, sqlalchemy.Text) if sqlite else t.c.ends_at
    q = (select(t.c.id, t.c.team_id, t.c.member_id, raw_start, raw_end, t.c.grid_code, t.c.post)
         .where(t.c.starts_at < end, t.c.starts_at >= start - MAX_SHIFT, t.c.ends_at > start)
         .order_by(t.c.starts_at, t.c.id))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    cols = list(zip(*rows)) if rows else [()] * 7
    return ShiftArrays(np.array(cols[0], dtype=np.int64), np.array(cols[1], dtype=np.int64),
                       np.array([-1 if v is None else v for v in cols[2]], dtype=np.int64),
                       _epoch(list(cols[3])), _epoch(list(cols[4])), tuple(cols[5]), tuple(cols[6]))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return [(int(a), int(b - a)) for a, b in zip(starts, ends)]


def week(store: Store, monday: date) -> WeekView:
    """The rota of a week: people on shift per team and per grid by the hour, the gaps (grids with
    nobody for hours on end), and key plans whose hours have fewer people on shift in their teams than
    KEY_PEOPLE asks (two on a route or in an area, one at a stake-out point)."""
    from data.patrol.plans import exceptions, plans, windows
    monday = monday - timedelta(days=monday.weekday())
    w0 = datetime.combine(monday, time(0), tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    w1 = w0 + timedelta(days=7)
    arr = shift_arrays(store, w0, w1)
    with store.session() as s:
        team_rows = s.execute(select(m.Team.id, m.Team.code, m.Team.name, m.Team.home_grid_code, m.Team.kind).order_by(m.Team.code)).all()
        size = dict(s.execute(select(m.Member.team_id, func.count()).group_by(m.Member.team_id)).all())
    grids = tuple(grid_codes_in_force(store))
    t_index = {r[0]: k for k, r in enumerate(team_rows)}
    g_index = {g: k for k, g in enumerate(grids)}
    home = {r[0]: r[3] for r in team_rows}
    # Each shift adds its people from its first hour to its last (an hour partly covered counts):
    # +n at the start and −n after the end in a difference array, summed along the week.
    w0s = w0.timestamp()
    a_h = np.clip(np.floor((arr.start - w0s) / 3600), 0, HOURS_IN_WEEK).astype(np.int64)
    b_h = np.clip(np.ceil((arr.end - w0s) / 3600), 0, HOURS_IN_WEEK).astype(np.int64)
    n = np.where(arr.member >= 0, 1, [max(1, size.get(int(t), 1)) for t in arr.team]).astype(np.int32) if len(arr) else np.zeros(0, np.int32)
    live = b_h > a_h
    t_k = np.array([t_index.get(int(t), -1) for t in arr.team], dtype=np.int64)
    g_k = np.array([g_index.get(g or home.get(int(t)), -1) for g, t in zip(arr.grid, arr.team)], dtype=np.int64)

    def spread(rows_k: np.ndarray, size_rows: int) -> np.ndarray:
        diff = np.zeros((size_rows, HOURS_IN_WEEK + 1), np.int32)
        ok = live & (rows_k >= 0)
        np.add.at(diff, (rows_k[ok], a_h[ok]), n[ok])
        np.add.at(diff, (rows_k[ok], b_h[ok]), -n[ok])
        return np.cumsum(diff[:, :HOURS_IN_WEEK], axis=1, dtype=np.int32)
    people = spread(t_k, len(team_rows))
    by_grid = spread(g_k, len(grids))
    gaps = tuple((grids[g], a, n) for g in range(len(grids)) for a, n in _runs(by_grid[g] == 0))
    under = []
    excepted = exceptions(store)
    for p in plans(store):
        if not p.key:
            continue
        team_ks = [k for k, r in enumerate(team_rows) if (p.team_id is not None and r[0] == p.team_id)
                   or (p.team_kind is not None and r[4] == p.team_kind)]
        need = KEY_PEOPLE[p.kind]
        for a_t, b_t in windows(p, w0, w1, excepted):
            a = max(0, int((a_t - w0).total_seconds() // 3600))
            b = min(HOURS_IN_WEEK, int(-(-(b_t - w0).total_seconds() // 3600)))
            have = people[team_ks, a:b].sum(axis=0) if team_ks else np.zeros(max(0, b - a), np.int32)
            for s0, n in _runs(have < need):
                under.append((p.id, p.name, a + s0, n, int(have[s0:s0 + n].min())))
    return WeekView(monday, tuple((r[0], r[1], r[2]) for r in team_rows), people, grids, by_grid, gaps, tuple(under), arr)
