"""Supervisors' indicators, computed from the append-only case events (never from a stored status).

One pass over the events builds a table of facts per case (when it was accepted, first dispatched,
first on scene, closed; whether it was sent back, extended, voided; how long it was paused), in
columnar arrays (pandas), and every indicator of a period is a count or a ratio over that table. The
definitions are in docs/INDICATORS.md, with a worked example for each rate; the codes below are the
keys of `gridwatch indicators --json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd
from sqlalchemy import select

from data.accounts import Principal, require
from data.domain import STAGE_LIMIT_MIN, _terms
from data.store import models as m
from data.store.core import Store

# The stages a case passes from its report to its closure: their limits add up to its 结案时限.
DEADLINE_STAGES = ("reported", "accepted", "dispatched", "on_scene", "resolved", "verified")
PAUSE_STAGES = ("extended", "parked")  # approved extensions and parked cases stop the clock
BREAKDOWNS = ("community", "grid", "category", "source")

# What each indicator is called (docs/INDICATORS.md defines them).
INDICATOR_NAMES = _terms(
    ("reported", "上报数", "Reported"), ("duplicates", "重复上报", "Duplicate reports"), ("accepted", "立案数", "Accepted"),
    ("acceptance_rate", "立案率", "Acceptance rate"), ("voided", "作废数", "Voided"), ("dispatched", "派遣数", "Dispatched"),
    ("closed", "结案数", "Closed"), ("due", "应结案数", "Due"), ("closure_rate", "结案率", "Closure rate"),
    ("on_time_closed", "按期结案数", "Closed on time"), ("on_time_closure_rate", "按期结案率", "On-time closure rate"),
    ("rework_rate", "返工率", "Rework rate"), ("extension_rate", "延期率", "Extension rate"),
    ("response_median_min", "响应时间中位数（分钟）", "Response, median (min)"),
    ("response_p90_min", "响应时间 P90（分钟）", "Response, p90 (min)"), ("mediated", "调解成功数", "Mediated"),
    ("mediation_rate", "调解成功率", "Mediation success rate"), ("callbacks", "回访数", "Callbacks"),
    ("unreachable", "未联系上", "Not reached"), ("satisfaction_rate", "满意率", "Satisfaction rate"),
)

INDICATORS = ("reported", "duplicates", "accepted", "acceptance_rate", "voided", "dispatched", "closed", "due",
              "closure_rate", "on_time_closed", "on_time_closure_rate", "rework_rate", "extension_rate",
              "response_median_min", "response_p90_min", "mediated", "mediation_rate", "callbacks", "unreachable",
              "satisfaction_rate")


def closure_limit_min(priority: str) -> float:
    """A case's whole time limit from report to closure (minutes): its stages' limits added up."""
    limits = STAGE_LIMIT_MIN.get(priority, {})
    return float(sum(limits.get(s, 0) for s in DEADLINE_STAGES))


def case_facts(store: Store, until: datetime | None = None) -> pd.DataFrame:
    """One row per incident record: what it is and what its events say, up to `until`."""
    I, E = m.Incident, m.CaseEvent
    with store.session() as s:
        inc = pd.DataFrame(s.execute(select(I.id, I.reported_at, I.category, I.source, I.priority, I.grid_code,
                                            I.community_id, I.duplicate_of)).all(),
                           columns=["id", "reported_at", "category", "source", "priority", "grid", "community_id",
                                    "duplicate_of"])
        q = select(E.incident_id, E.t, E.action, E.to_stage, E.result).order_by(E.incident_id, E.t, E.id)
        if until is not None:
            q = q.where(E.t < until)
        ev = pd.DataFrame(s.execute(q).all(), columns=["id", "t", "action", "to_stage", "result"])
        names = dict(s.execute(select(m.Community.id, m.Community.name)).all())
    inc = inc.set_index("id")
    inc["community"] = inc["community_id"].map(names)
    for col in ("reported_at",):
        inc[col] = pd.to_datetime(inc[col], utc=True)
    ev["t"] = pd.to_datetime(ev["t"], utc=True)

    def first(action: str) -> pd.Series:
        return ev[ev["action"] == action].groupby("id")["t"].min()

    inc["accepted_at"] = first("accept")
    inc["dispatched_at"] = first("dispatch")
    inc["on_scene_at"] = first("arrive")
    inc["closed_at"] = first("close")
    inc["voided_at"] = ev[ev["to_stage"] == "voided"].groupby("id")["t"].min()
    inc["sent_back"] = ev[ev["action"] == "send_back"].groupby("id").size().reindex(inc.index).fillna(0) > 0
    inc["extended"] = ev[ev["action"] == "extend"].groupby("id").size().reindex(inc.index).fillna(0) > 0
    callbacks = ev[ev["action"] == "callback"].groupby("id").tail(1).set_index("id")  # the latest answer counts
    inc["callback_at"] = callbacks["t"]
    inc["satisfaction"] = callbacks["result"]
    resolves = ev[ev["action"] == "resolve"]
    last_resolve = resolves.groupby("id").tail(1).set_index("id")
    inc["resolved_at"] = last_resolve["t"]
    inc["result"] = last_resolve["result"]
    # Paused time: from entering extended/parked to the next event of the case (or `until`).
    nxt = ev.groupby("id")["t"].shift(-1)
    end = nxt.fillna(pd.Timestamp(until) if until is not None else pd.Timestamp.now(tz=timezone.utc))
    paused = ev["to_stage"].isin(PAUSE_STAGES) & ~ev["action"].isin(["duplicate_report"])
    inc["paused_min"] = ((end - ev["t"])[paused].dt.total_seconds() / 60).groupby(ev["id"][paused]).sum() \
        .reindex(inc.index).fillna(0.0)
    limit = inc["priority"].map(closure_limit_min).astype(float)
    inc["deadline"] = inc["reported_at"] + pd.to_timedelta(limit + inc["paused_min"], unit="min")
    return inc


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _in(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return series.notna() & (series >= start) & (series < end)


def _masks(facts: pd.DataFrame, start: datetime, end: datetime) -> tuple[pd.DataFrame, pd.Series]:
    """Per record, whether it counts for each count of the period (columns), and its response time in
    minutes where it was first on scene in the period (NaN elsewhere). Summed over any grouping."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    case = facts["duplicate_of"].isna()
    reported = _in(facts["reported_at"], s, e)
    closed = _in(facts["closed_at"], s, e) & case
    live = case & facts["voided_at"].isna()
    disputes = case & (facts["category"] == "dispute") & _in(facts["resolved_at"], s, e) & \
        facts["result"].isin(["mediated", "not_mediated"])
    called = _in(facts["callback_at"], s, e) & case
    reached = called & (facts["satisfaction"] != "unreachable")
    masks = pd.DataFrame({
        "reported": reported,
        "cases_reported": reported & case,
        "accepted": _in(facts["accepted_at"], s, e) & case,
        "voided": _in(facts["voided_at"], s, e) & case,
        "dispatched": _in(facts["dispatched_at"], s, e) & case,
        "closed": closed,
        "due": (live & _in(facts["deadline"], s, e)) | closed,
        "on_time": closed & (facts["closed_at"] <= facts["deadline"]),
        "rework": closed & facts["sent_back"].astype(bool),
        "extended": closed & facts["extended"].astype(bool),
        "disputes": disputes,
        "mediated": disputes & (facts["result"] == "mediated"),
        "called": called,
        "reached": reached,
        "pleased": reached & facts["satisfaction"].isin(["satisfied", "basically_satisfied"]),
    }, index=facts.index)
    arrived = _in(facts["on_scene_at"], s, e) & case
    response = ((facts["on_scene_at"] - facts["reported_at"]).dt.total_seconds() / 60).where(arrived)
    return masks, response


def _from_counts(n: dict, response: pd.Series) -> dict:
    response = response.dropna()
    return {
        "reported": int(n["reported"]),
        "duplicates": int(n["reported"] - n["cases_reported"]),
        "accepted": int(n["accepted"]),
        "acceptance_rate": _rate(n["accepted"], n["cases_reported"]),
        "voided": int(n["voided"]),
        "dispatched": int(n["dispatched"]),
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


def indicators_of(facts: pd.DataFrame, start: datetime, end: datetime) -> dict:
    """Every indicator for [start, end) over the cases in `facts` (already filtered by any group)."""
    masks, response = _masks(facts, start, end)
    return _from_counts({k: int(v) for k, v in masks.sum().items()}, response)


def indicators_by(facts: pd.DataFrame, start: datetime, end: datetime, keys: pd.Series) -> dict[str, dict]:
    """The indicators of every group at once: the period's masks summed per group (one pass, no loop
    over groups reading the records again)."""
    masks, response = _masks(facts, start, end)
    counts = masks.groupby(keys).sum()
    responses = dict(tuple(response.groupby(keys)))
    return {str(k): _from_counts(row.to_dict(), responses.get(k, pd.Series(dtype=float)))
            for k, row in counts.iterrows()}


@dataclass(frozen=True)
class IndicatorReport:
    start: datetime
    end: datetime
    by: str | None
    overall: dict
    groups: dict[str, dict]

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by, "overall": self.overall,
                "groups": self.groups}


def events_version(store: Store) -> tuple[int, int]:
    """(newest case event id, newest incident id): a cache of facts holds while these do not change."""
    from sqlalchemy import func
    with store.session() as s:
        return (s.scalar(select(func.max(m.CaseEvent.id))) or 0, s.scalar(select(func.max(m.Incident.id))) or 0)


def indicators(store: Store, start: datetime, end: datetime, by: str | None = None, *, reader: Principal,
               facts: pd.DataFrame | None = None) -> IndicatorReport:
    """The indicators of a period, overall and (when `by` is given) per community, grid, category or
    source, for a role that may read them. `facts` (case_facts up to `end`) may be passed in when the
    caller keeps them: changing only the breakdown or a filter then costs no reading of the store."""
    require(reader, "indicators.read")
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r} (use {', '.join(BREAKDOWNS)})")
    start, end = (t if t.tzinfo else t.replace(tzinfo=timezone.utc) for t in (start, end))
    if facts is None:
        facts = case_facts(store, until=end)
    overall = indicators_of(facts, start, end)
    groups: dict[str, dict] = {}
    if by is not None:
        keys = facts[by].fillna("—").astype(str)
        groups = dict(sorted(indicators_by(facts, start, end, keys).items()))
    return IndicatorReport(start, end, by, overall, groups)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """"2026-10" -> the month's start and the next month's start, in the office's time zone."""
    from data.domain import LOCAL_TZ
    y, mo = (int(x) for x in month.split("-"))
    start = datetime(y, mo, 1, tzinfo=LOCAL_TZ)
    end = datetime(y + (mo == 12), mo % 12 + 1, 1, tzinfo=LOCAL_TZ)
    return start, end
