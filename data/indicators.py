"""Supervisors' indicators, computed from the append-only case events (never from a stored status).

One pass over the events builds a table of facts per case (when it was accepted, first dispatched,
first on scene, closed; whether it was sent back, extended, voided; how long it was paused), in
columnar arrays (pandas), and every indicator of a period is a count or a ratio over that table. The
definitions are in docs/INDICATORS.md, with a worked example for each rate; the codes below are the
keys of `gridwatch indicators --json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce

from data.accounts import Principal, require
from data.domain import LOCAL_TZ, STAGE_LIMIT_MIN, _terms
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import Store

# The stages a case passes from its report to its closure: their limits add up to its 结案时限; the
# first four (report to on scene) add up to its 处置时限, the limit of its first resolution.
DEADLINE_STAGES = ("reported", "accepted", "dispatched", "on_scene", "resolved", "verified")
DISPOSAL_STAGES = ("reported", "accepted", "dispatched", "on_scene")
PAUSE_STAGES = ("extended", "parked")  # approved extensions and parked cases stop the clock
# Stages whose time a closed case spent is measured (median, p90) and checked against its limit.
TIMED_STAGES = ("reported", "accepted", "dispatched", "on_scene", "rework", "resolved", "verified")
# "team": the team last dispatched to the case; "dispatcher": the person who first dispatched it
# (the role-based breakdown: what that dispatcher's cases became).
BREAKDOWNS = ("community", "grid", "category", "source", "team", "dispatcher")
FILTERS = ("community", "grid", "category", "source", "team")
# Report → on scene distribution (minutes): the left edges; the last bin is open-ended.
RESPONSE_BINS_MIN = (0, 10, 20, 30, 45, 60, 90, 120, 240)

# What each indicator is called (docs/INDICATORS.md defines them).
INDICATOR_NAMES = _terms(
    ("reported", "上报数", "Reported"), ("duplicates", "重复上报", "Duplicate reports"), ("accepted", "立案数", "Accepted"),
    ("acceptance_rate", "立案率", "Acceptance rate"), ("voided", "作废数", "Voided"), ("dispatched", "派遣数", "Dispatched"),
    ("resolved", "处置数", "Resolved"), ("due_resolved", "应处置数", "Due for resolution"),
    ("disposal_rate", "处置率", "Resolution rate"), ("on_time_resolved", "按期处置数", "Resolved on time"),
    ("on_time_disposal_rate", "按期处置率", "On-time resolution rate"),
    ("closed", "结案数", "Closed"), ("due", "应结案数", "Due"), ("closure_rate", "结案率", "Closure rate"),
    ("on_time_closed", "按期结案数", "Closed on time"), ("on_time_closure_rate", "按期结案率", "On-time closure rate"),
    ("rework_rate", "返工率", "Rework rate"), ("extension_rate", "延期率", "Extension rate"),
    ("response_median_min", "响应时间中位数（分钟）", "Response, median (min)"),
    ("response_p90_min", "响应时间 P90（分钟）", "Response, p90 (min)"), ("mediated", "调解成功数", "Mediated"),
    ("mediation_rate", "调解成功率", "Mediation success rate"), ("callbacks", "回访数", "Callbacks"),
    ("unreachable", "未联系上", "Not reached"), ("satisfaction_rate", "满意率", "Satisfaction rate"),
)

INDICATORS = ("reported", "duplicates", "accepted", "acceptance_rate", "voided", "dispatched", "resolved", "due_resolved",
              "disposal_rate", "on_time_resolved", "on_time_disposal_rate", "closed", "due", "closure_rate",
              "on_time_closed", "on_time_closure_rate", "rework_rate", "extension_rate", "response_median_min",
              "response_p90_min", "mediated", "mediation_rate", "callbacks", "unreachable", "satisfaction_rate")


def closure_limit_min(priority: str, stages: tuple[str, ...] = DEADLINE_STAGES) -> float:
    """A case's time limit (minutes) from its report through `stages`: their limits added up."""
    limits = STAGE_LIMIT_MIN.get(priority, {})
    return float(sum(limits.get(s, 0) for s in stages))


TEXT_COLUMNS = ("category", "source", "priority", "grid", "community", "team", "dispatcher", "result", "satisfaction")
_TIMES = ("accepted_at", "dispatched_at", "on_scene_at", "resolved_first_at", "closed_at", "voided_at")


def _read(store: Store, incidents_where=None, events_where=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents and their events as columns. Times are read as the store keeps them (text on SQLite)
    and parsed by pandas at once: a row-by-row conversion costs more than the whole aggregation."""
    I, E = m.Incident, m.CaseEvent
    qi = select(I.id, type_coerce(I.reported_at, String), I.category, I.source, I.priority, I.grid_code,
                I.community_id, I.duplicate_of)
    qe = select(E.id, E.incident_id, type_coerce(E.t, String), E.action, E.to_stage, E.result, E.team_id, E.actor) \
        .order_by(E.incident_id, E.t, E.id)
    if incidents_where is not None:
        qi = qi.where(incidents_where)
    if events_where is not None:
        qe = qe.where(events_where)
    with store.session() as s:
        inc = pd.DataFrame(s.execute(qi).all(), columns=["id", "reported_at", "category", "source", "priority", "grid",
                                                         "community_id", "duplicate_of"])
        ev = pd.DataFrame(s.execute(qe).all(), columns=["eid", "id", "t", "action", "to_stage", "result", "team_id", "actor"])
        communities = dict(s.execute(select(m.Community.id, m.Community.name)).all())
        teams = dict(s.execute(select(m.Team.id, m.Team.name)).all())
    inc["reported_at"] = pd.to_datetime(inc["reported_at"], utc=True, format="ISO8601")
    ev["t"] = pd.to_datetime(ev["t"], utc=True, format="ISO8601")
    for col in ("duplicate_of", "community_id"):  # None or an id: floats with NaN, whatever the rows read
        inc[col] = pd.to_numeric(inc[col]).astype(float)
    inc["community"] = inc["community_id"].map(communities)
    ev["team"] = ev["team_id"].map(teams)
    return inc.set_index("id"), ev


def _facts_from(inc: pd.DataFrame, ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per incident, what its whole history says (period-free), and its pauses as intervals (id,
    start, end; end NaT while still paused). `as_of` cuts both to a moment."""
    inc = inc.copy()
    by_action = {a: g for a, g in ev.groupby("action", sort=False)}
    empty = ev.iloc[0:0]

    def first(action: str) -> pd.Series:
        return by_action.get(action, empty).groupby("id")["t"].min()

    def last(action: str) -> pd.DataFrame:
        return by_action.get(action, empty).groupby("id").tail(1).set_index("id")

    inc["accepted_at"] = first("accept")
    inc["dispatched_at"] = first("dispatch")
    inc["on_scene_at"] = first("arrive")
    inc["resolved_first_at"] = first("resolve")
    inc["closed_at"] = first("close")
    inc["voided_at"] = ev[ev["to_stage"] == "voided"].groupby("id")["t"].min()
    inc["sent_back"] = inc.index.isin(by_action.get("send_back", empty)["id"])
    inc["extended"] = inc.index.isin(by_action.get("extend", empty)["id"])
    dispatches = by_action.get("dispatch", empty)
    inc["team"] = dispatches.groupby("id").tail(1).set_index("id")["team"]
    inc["dispatcher"] = dispatches.groupby("id").head(1).set_index("id")["actor"]
    callbacks = last("callback")  # the latest answer counts
    inc["callback_at"] = callbacks["t"]
    inc["satisfaction"] = callbacks["result"]
    last_resolve = last("resolve")
    inc["resolved_at"] = last_resolve["t"]
    inc["result"] = last_resolve["result"]
    # Time in each stage: from entering it to the case's next event (a stage entered twice, e.g.
    # rework, adds up). Measured only for closed cases, whose every stage has ended.
    nxt = ev.groupby("id")["t"].shift(-1)
    stay = ((nxt - ev["t"]).dt.total_seconds() / 60)
    timed = ev["to_stage"].isin(TIMED_STAGES) & nxt.notna()
    per_stage = stay[timed].groupby([ev["id"][timed], ev["to_stage"][timed]]).sum().unstack()
    for stage in TIMED_STAGES:
        inc[f"stage_{stage}"] = per_stage[stage] if stage in per_stage else np.nan
    paused = ev["to_stage"].isin(PAUSE_STAGES) & (ev["action"] != "duplicate_report")
    pauses = pd.DataFrame({"id": ev["id"][paused], "start": ev["t"][paused], "end": nxt[paused]})
    # Names as categories: a million cases group, filter and cache (dictionary-encoded) in milliseconds;
    # times in nanoseconds, compared as int64 without conversion.
    for col in TEXT_COLUMNS:
        inc[col] = inc[col].astype("category")
    for col in ("reported_at", "callback_at", "resolved_at") + _TIMES:
        inc[col] = inc[col].astype("datetime64[ns, UTC]")
    pauses = pauses.astype({"start": "datetime64[ns, UTC]", "end": "datetime64[ns, UTC]"})
    return inc, pauses.reset_index(drop=True)


def _from_ticks(v: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(v.view("datetime64[ns]"), index=index).dt.tz_localize("UTC")


def as_of(facts: pd.DataFrame, pauses: pd.DataFrame, until: datetime | None) -> pd.DataFrame:
    """The facts as they stood at `until`: whatever happened from then on is not known yet, and a case
    still paused then has been paused until then (its deadline as it stood). In int64 nanoseconds:
    a million cases in tens of milliseconds."""
    facts = facts.copy(deep=False)  # columns are replaced below, never changed in place: the cache is shared
    u = pd.Timestamp(until) if until is not None else pd.Timestamp.now(tz=timezone.utc)
    un = _tick(u)
    if until is not None:
        for col in _TIMES + ("callback_at", "resolved_at"):
            v = _ticks(facts[col])
            late = v >= un
            if late.any():
                facts[col] = _from_ticks(np.where(late, _NAT, v), facts.index)
                if col in ("callback_at", "resolved_at"):
                    other = "satisfaction" if col == "callback_at" else "result"
                    facts[other] = facts[other].where(~late)
        undispatched = _ticks(facts["dispatched_at"]) == _NAT
        for col in ("team", "dispatcher"):
            facts[col] = facts[col].where(~undispatched)
    start, end = _ticks(pauses["start"]), _ticks(pauses["end"])
    begun = start < un
    end = np.where((end == _NAT) | (end >= un), un, end)
    paused_ns = pd.Series(np.where(begun, end - start, 0), index=pauses.index).groupby(pauses["id"].to_numpy()).sum()
    paused_ns = paused_ns.reindex(facts.index).fillna(0).to_numpy(dtype=np.int64)
    facts["paused_min"] = paused_ns / 6e10
    reported = _ticks(facts["reported_at"])
    for col, stages in (("deadline", DEADLINE_STAGES), ("resolve_deadline", DISPOSAL_STAGES)):
        limit = by_priority(facts["priority"], {p: closure_limit_min(p, stages) for p in STAGE_LIMIT_MIN}, 0.0)
        facts[col] = _from_ticks(reported + (limit * 6e10).astype(np.int64) + paused_ns, facts.index)
    return facts


def by_priority(priority: pd.Series, values: dict[str, float], default: float = np.nan) -> np.ndarray:
    """values[priority] for every case, looked up once per priority (not once per case)."""
    cat = priority.astype("category")
    table = np.array([values.get(str(c), default) for c in cat.cat.categories] + [default], dtype=float)
    return table[cat.cat.codes.to_numpy()]  # code −1 (no priority) takes the last entry: the default


def case_facts(store: Store, until: datetime | None = None) -> pd.DataFrame:
    """One row per incident record: what it is and what its events say, up to `until`. The period-free
    facts come from a columnar cache kept per store (data/facts_cache.py), brought up to date from
    the events added since."""
    from data.facts_cache import cached_facts
    facts, pauses = cached_facts(store, _read, _facts_from)
    return as_of(facts, pauses, until)


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


_NAT = np.iinfo(np.int64).min


def _ticks(series: pd.Series) -> np.ndarray:
    """A time column as int64 nanoseconds since 1970 (NaT: the smallest int64, before any period):
    comparisons on a million cases in numpy instead of pandas' datetime machinery. No copy when the
    column is already in nanoseconds."""
    arr = series.array
    if not hasattr(arr, "asi8"):
        arr = pd.to_datetime(series, utc=True).array
    v = arr.asi8
    scale = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000}[arr.unit]
    return v if scale == 1 else np.where(v == _NAT, _NAT, v * scale)


def _tick(t: datetime) -> int:
    return int(pd.Timestamp(t).value)  # nanoseconds since 1970 UTC (a naive time is taken as UTC)


def _columns(facts: pd.DataFrame) -> dict[str, np.ndarray]:
    """What the masks read, as numpy arrays taken once (a trend reuses them for every week)."""
    cols = {c: _ticks(facts[c]) for c in ("reported_at", "accepted_at", "dispatched_at", "on_scene_at", "resolved_first_at",
                                          "resolved_at", "closed_at", "voided_at", "callback_at", "deadline", "resolve_deadline")}
    result, satisfaction = facts["result"], facts["satisfaction"]
    cols.update({
        "case": facts["duplicate_of"].isna().to_numpy(),
        "dispute": (facts["category"] == "dispute").fillna(False).to_numpy(dtype=bool),
        "mediation_result": result.isin(["mediated", "not_mediated"]).to_numpy(dtype=bool),
        "mediated": (result == "mediated").fillna(False).to_numpy(dtype=bool),
        "unreachable": (satisfaction == "unreachable").fillna(False).to_numpy(dtype=bool),
        "pleased": satisfaction.isin(["satisfied", "basically_satisfied"]).to_numpy(dtype=bool),
        "sent_back": facts["sent_back"].to_numpy(dtype=bool),
        "extended": facts["extended"].to_numpy(dtype=bool),
    })
    return cols


def _masks(facts: pd.DataFrame | dict, start: datetime, end: datetime) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per record, whether it counts for each count of the period (boolean arrays), and its response
    time in minutes where it was first on scene in the period (NaN elsewhere). Summed over any grouping."""
    c = facts if isinstance(facts, dict) else _columns(facts)
    s, e = _tick(start), _tick(end)

    def within(col: str) -> np.ndarray:
        v = c[col]
        return (v >= s) & (v < e)

    case = c["case"]
    reported = within("reported_at")
    # Closed (resolved) before the period: counted when it happened, not due again at its deadline.
    closed_before = (c["closed_at"] != _NAT) & (c["closed_at"] < s)
    resolved_before = (c["resolved_first_at"] != _NAT) & (c["resolved_first_at"] < s)
    closed = within("closed_at") & case
    live = case & (c["voided_at"] == _NAT)
    resolved = within("resolved_first_at") & case
    disputes = case & c["dispute"] & within("resolved_at") & c["mediation_result"]
    called = within("callback_at") & case
    reached = called & ~c["unreachable"]
    masks = {
        "reported": reported,
        "cases_reported": reported & case,
        "accepted": within("accepted_at") & case,
        "voided": within("voided_at") & case,
        "dispatched": within("dispatched_at") & case,
        "resolved": resolved,
        "due_resolved": (live & ~resolved_before & within("resolve_deadline")) | resolved,
        "on_time_resolved": resolved & (c["resolved_first_at"] <= c["resolve_deadline"]),
        "closed": closed,
        "due": (live & ~closed_before & within("deadline")) | closed,
        "on_time": closed & (c["closed_at"] <= c["deadline"]),
        "rework": closed & c["sent_back"],
        "extended": closed & c["extended"],
        "disputes": disputes,
        "mediated": disputes & c["mediated"],
        "called": called,
        "reached": reached,
        "pleased": reached & c["pleased"],
    }
    arrived = within("on_scene_at") & case
    response = np.where(arrived, (c["on_scene_at"] - c["reported_at"]) / 6e10, np.nan)
    return masks, response


def _in(series: pd.Series, start, end) -> np.ndarray:
    v = _ticks(series)
    return (v >= _tick(start)) & (v < _tick(end))


def _from_counts(n: dict, response: np.ndarray) -> dict:
    response = response[~np.isnan(response)]
    return {
        "reported": int(n["reported"]),
        "duplicates": int(n["reported"] - n["cases_reported"]),
        "accepted": int(n["accepted"]),
        "acceptance_rate": _rate(n["accepted"], n["cases_reported"]),
        "voided": int(n["voided"]),
        "dispatched": int(n["dispatched"]),
        "resolved": int(n["resolved"]),
        "due_resolved": int(n["due_resolved"]),
        "disposal_rate": _rate(n["resolved"], n["due_resolved"]),
        "on_time_resolved": int(n["on_time_resolved"]),
        "on_time_disposal_rate": _rate(n["on_time_resolved"], n["due_resolved"]),
        "closed": int(n["closed"]),
        "due": int(n["due"]),
        "closure_rate": _rate(n["closed"], n["due"]),
        "on_time_closed": int(n["on_time"]),
        "on_time_closure_rate": _rate(n["on_time"], n["due"]),
        "rework_rate": _rate(n["rework"], n["closed"]),
        "extension_rate": _rate(n["extended"], n["closed"]),
        "response_median_min": round(float(np.median(response)), 1) if len(response) else None,
        "response_p90_min": round(float(np.percentile(response, 90)), 1) if len(response) else None,
        "mediated": int(n["mediated"]),
        "mediation_rate": _rate(n["mediated"], n["disputes"]),
        "callbacks": int(n["called"]),
        "unreachable": int(n["called"] - n["reached"]),
        "satisfaction_rate": _rate(n["pleased"], n["reached"]),
    }


def indicators_of(facts: pd.DataFrame | dict, start: datetime, end: datetime) -> dict:
    """Every indicator for [start, end) over the cases in `facts` (already filtered by any group;
    or its `_columns`, taken once for many periods)."""
    masks, response = _masks(facts, start, end)
    return _from_counts({k: int(v.sum()) for k, v in masks.items()}, response)


def indicators_by(facts: pd.DataFrame, start: datetime, end: datetime, keys: pd.Series) -> dict[str, dict]:
    """The indicators of every group at once: the period's masks counted per group (np.bincount on
    the groups' codes: one pass, no loop over groups reading the records again)."""
    masks, response = _masks(facts, start, end)
    keys = keys.astype("category")
    codes = keys.cat.codes.to_numpy()
    names = list(keys.cat.categories)
    present = np.bincount(codes[codes >= 0], minlength=len(names)) > 0
    counts = {k: np.bincount(codes[v & (codes >= 0)], minlength=len(names)) for k, v in masks.items()}
    has = ~np.isnan(response) & (codes >= 0)
    order = np.argsort(codes[has], kind="stable")
    values, where = response[has][order], codes[has][order]
    bounds = np.searchsorted(where, np.arange(len(names) + 1))
    return {str(name): _from_counts({k: int(c[g]) for k, c in counts.items()}, values[bounds[g]:bounds[g + 1]])
            for g, name in enumerate(names) if present[g]}


def stage_times(facts: pd.DataFrame, start: datetime, end: datetime) -> dict[str, dict]:
    """For the cases closed in [start, end): per stage they passed, how long they stayed (median and
    p90, minutes) and how many stayed longer than the stage's limit for their priority (超时率)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    closed = _in(facts["closed_at"], s, e) & facts["duplicate_of"].isna().to_numpy()
    priority = facts["priority"]
    out: dict[str, dict] = {}
    for stage in TIMED_STAGES:
        limit = by_priority(priority, {p: lim.get(stage, np.inf) for p, lim in STAGE_LIMIT_MIN.items()}, np.inf)[closed]
        minutes = facts[f"stage_{stage}"].to_numpy(dtype=float)[closed]
        passed = ~np.isnan(minutes)
        over = int((minutes[passed] > limit[passed]).sum())
        n = int(passed.sum())
        out[stage] = {"cases": n,
                      "median_min": round(float(np.median(minutes[passed])), 1) if n else None,
                      "p90_min": round(float(np.percentile(minutes[passed], 90)), 1) if n else None,
                      "overdue": over, "overdue_rate": _rate(over, n)}
    return out


def response_histogram(facts: pd.DataFrame, start: datetime, end: datetime) -> list[dict]:
    """Report → on scene for the cases first on scene in [start, end): how many in each bin of
    RESPONSE_BINS_MIN ("to" None: the open last bin)."""
    _masks_, response = _masks(facts, start, end)
    values = response[~np.isnan(response)]
    edges = list(RESPONSE_BINS_MIN) + [np.inf]
    counts, _ = np.histogram(values, bins=edges)
    return [{"from": lo, "to": (None if hi == np.inf else hi), "cases": int(c)}
            for lo, hi, c in zip(edges[:-1], edges[1:], counts)]


def periods(start: datetime, end: datetime, every: str) -> list[tuple[datetime, datetime]]:
    """[start, end) cut into weeks (from Monday, office time) or calendar months; the first and last
    are clipped to the period."""
    if every not in ("week", "month", "day"):
        raise ValueError(f"unknown step {every!r}")
    t = start.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    if every == "week":
        t -= timedelta(days=t.weekday())
    elif every == "month":
        t = t.replace(day=1)
    out = []
    while t < end:
        if every == "day":
            nxt = t + timedelta(days=1)
        elif every == "week":
            nxt = t + timedelta(days=7)
        else:
            nxt = t.replace(year=t.year + (t.month == 12), month=t.month % 12 + 1)
        out.append((max(t, start), min(nxt, end)))
        t = nxt
    return out


def trend(facts: pd.DataFrame, start: datetime, end: datetime, every: str = "week") -> list[dict]:
    """The indicators of each week or month of [start, end), in order (the dashboard's trend chart)."""
    cols = _columns(facts)
    return [{"from": a.isoformat(), "to": b.isoformat(), **indicators_of(cols, a, b)} for a, b in periods(start, end, every)]


@dataclass(frozen=True)
class IndicatorReport:
    start: datetime
    end: datetime
    by: str | None
    overall: dict
    groups: dict[str, dict]
    where: dict[str, str] = field(default_factory=dict)
    stages: dict[str, dict] = field(default_factory=dict)
    response_bins: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by, "where": self.where,
                "overall": self.overall, "groups": self.groups, "stages": self.stages,
                "response_histogram": self.response_bins}


def events_version(store: Store) -> tuple[int, int]:
    """(newest case event id, newest incident id): a cache of facts holds while these do not change."""
    from sqlalchemy import func
    with store.session() as s:
        return (s.scalar(select(func.max(m.CaseEvent.id))) or 0, s.scalar(select(func.max(m.Incident.id))) or 0)


ACTIVITY = ("reported", "accepted", "dispatched", "resolved", "closed", "due", "due_resolved", "callbacks")


def active_groups(groups: dict[str, dict]) -> dict[str, dict]:
    """The groups that had anything in the period (a team idle all month is not a row of zeros)."""
    return {k: v for k, v in groups.items() if any(v[c] for c in ACTIVITY)}


def community_names(store: Store) -> list[str]:
    """The district's communities, for a filter's choices."""
    with store.session() as s:
        return sorted(s.scalars(select(m.Community.name)).all())


def group_keys(facts: pd.DataFrame, by: str) -> pd.Series:
    """The breakdown's key of every case, "—" where it has none (a case never dispatched has no team)."""
    col = facts[by].astype("category")
    if "—" not in col.cat.categories:
        col = col.cat.add_categories("—")
    return col.fillna("—")


def keep(facts: pd.DataFrame, where: dict[str, str] | None) -> pd.DataFrame:
    """The cases of the chosen community, grid, category, source or team (all when `where` is empty)."""
    for key, value in (where or {}).items():
        if key not in FILTERS:
            raise GridWatchError("indicators.unknown_filter", filter=key, known=", ".join(FILTERS))
        facts = facts[(facts[key] == value).fillna(False).to_numpy(dtype=bool)]
    return facts


def indicators(store: Store, start: datetime, end: datetime, by: str | None = None, *, reader: Principal,
               facts: pd.DataFrame | None = None, where: dict[str, str] | None = None) -> IndicatorReport:
    """The indicators of a period, overall and (when `by` is given) per community, grid, category,
    source, team or dispatcher, for a role that may read them; `where` keeps only the cases of one
    community, category… `facts` (case_facts up to `end`) may be passed in when the caller keeps
    them: changing only the breakdown or a filter then costs no reading of the store."""
    require(reader, "indicators.read")
    if by is not None and by not in BREAKDOWNS:
        raise GridWatchError("indicators.unknown_breakdown", by=by, known=", ".join(BREAKDOWNS))
    start, end = (t if t.tzinfo else t.replace(tzinfo=timezone.utc) for t in (start, end))
    if facts is None:
        facts = case_facts(store, until=end)
    facts = keep(facts, where)
    overall = indicators_of(facts, start, end)
    groups: dict[str, dict] = {}
    if by is not None:
        keys = group_keys(facts, by)
        groups = dict(sorted(active_groups(indicators_by(facts, start, end, keys)).items()))
    return IndicatorReport(start, end, by, overall, groups, dict(where or {}), stage_times(facts, start, end),
                           response_histogram(facts, start, end))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """"2026-10" -> the month's start and the next month's start, in the office's time zone."""
    y, mo = (int(x) for x in month.split("-"))
    start = datetime(y, mo, 1, tzinfo=LOCAL_TZ)
    end = datetime(y + (mo == 12), mo % 12 + 1, 1, tzinfo=LOCAL_TZ)
    return start, end
