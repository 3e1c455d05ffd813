"""The ledgers' rules, one home each: what each kind of person needs (responsible persons, visit
interval by risk, how late a visit may be before the person is out of supervision), where a person's
schedule stands on a day, how personal data is masked, and the 18-digit ID number's checksum.

The defaults are the office's usual practice; an office overrides them per kind in the store
(`ledgers.rules` in gridwatch_meta, JSON), as it does the dispatch rules.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Mapping

from data.domain import HELPER_ROLES, LOCAL_TZ, PERSON_KINDS, RISK_LEVELS, SIX_FOR_ONE

log = logging.getLogger(__name__)

# A visit counts as due this many days before its day, so the board shows what is coming.
DUE_AHEAD_DAYS = 2
# A tracker fix of the visiting team this near the home address, this close in time, is the evidence.
EVIDENCE_RADIUS_M = 150.0
EVIDENCE_WINDOW = timedelta(minutes=60)


@dataclass(frozen=True)
class KindRule:
    helpers: tuple[str, ...]  # the responsible persons this kind needs, by role
    interval_days: Mapping[str, int]  # risk -> days between visits
    tolerance_days: int  # a visit this many days late: out of supervision (脱管)


DEFAULT_RULES: dict[str, KindRule] = {
    "correction": KindRule(SIX_FOR_ONE, {"low": 30, "medium": 14, "high": 7}, 3),
    "drug_rehab": KindRule(SIX_FOR_ONE, {"low": 30, "medium": 14, "high": 7}, 3),
    # 严重精神障碍: the community's care group (网格员, 民警, 精防医生, 监护人); high risk weekly.
    "mental": KindRule(("grid_worker", "police", "doctor", "relative"), {"low": 90, "medium": 30, "high": 7}, 7),
    "released": KindRule(("grid_worker", "police"), {"low": 90, "medium": 30, "high": 14}, 14),
    "petitioner": KindRule(("governance_cadre", "police", "grid_worker"), {"low": 30, "medium": 14, "high": 7}, 7),
}


# The case a visit's follow-up opens, by the person's kind (special-population subcategories).
FOLLOW_UP_SUBCATEGORY = {"correction": "special_population.correction", "mental": "special_population.mental"}
DEFAULT_FOLLOW_UP_SUBCATEGORY = "special_population.correction"


def kind_rules(meta: Mapping[str, str] | None = None) -> dict[str, KindRule]:
    """The rules in force: the defaults, overridden per kind by the store's `ledgers.rules`
    (e.g. {"mental": {"interval_days": {"high": 7}, "tolerance_days": 3}}). A broken override is
    logged and ignored, so the board never goes blank for a typo."""
    rules = dict(DEFAULT_RULES)
    raw = (meta or {}).get("ledgers.rules")
    if not raw:
        return rules
    try:
        override = json.loads(raw)
        for kind, o in override.items():
            if kind not in PERSON_KINDS:
                raise ValueError(f"unknown kind {kind!r}")
            base = rules[kind]
            helpers = tuple(o.get("helpers", base.helpers))
            if any(h not in HELPER_ROLES for h in helpers):
                raise ValueError(f"unknown helper role in {helpers}")
            interval = {**base.interval_days, **{k: int(v) for k, v in o.get("interval_days", {}).items()}}
            if any(k not in RISK_LEVELS or v < 1 for k, v in interval.items()):
                raise ValueError(f"bad interval {interval}")
            rules[kind] = KindRule(helpers, interval, int(o.get("tolerance_days", base.tolerance_days)))
    except (ValueError, TypeError, AttributeError) as exc:
        log.error("ledgers.rules in the store is not usable, the defaults apply: %s", exc)
        return dict(DEFAULT_RULES)
    return rules


# --- schedules -------------------------------------------------------------------------------------

SCHEDULE_STATES = ("lost", "overdue", "due", "ok", "ended")  # worst first: the board's order


@dataclass(frozen=True)
class Schedule:
    """Where one person's visits stand on an office day."""

    state: str  # ok | due | overdue | lost (脱管) | ended (no longer under supervision)
    due_day: date  # the day the next visit is due
    days_late: int  # days past due_day (0 unless overdue or lost)
    last_visit: datetime | None
    not_found: bool  # the last visit did not find the person

    @property
    def alert(self) -> bool:
        return self.state in ("overdue", "lost")


def office_day(t: datetime) -> date:
    return t.astimezone(LOCAL_TZ).date()


def schedule(rule: KindRule, risk: str, since_day: date, until_day: date | None, last_visit: datetime | None,
             last_found: bool, today: date) -> Schedule:
    """The next visit is due `interval` days after the last one (or after supervision began). On that
    day and the two before it the visit is due; after it, overdue; more than the kind's tolerance
    after it, or when the last visit did not find the person, the person is out of supervision."""
    interval = timedelta(days=rule.interval_days[risk])
    anchor = office_day(last_visit) if last_visit is not None else since_day
    due = anchor + interval
    if until_day is not None and today > until_day:
        return Schedule("ended", due, 0, last_visit, False)
    late = (today - due).days
    not_found = last_visit is not None and not last_found
    if not_found or late > rule.tolerance_days:
        state = "lost"
    elif late > 0:
        state = "overdue"
    elif late >= -DUE_AHEAD_DAYS:
        state = "due"
    else:
        state = "ok"
    return Schedule(state, due, max(0, late), last_visit, not_found)


# --- masking ---------------------------------------------------------------------------------------

def mask_name(name: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: the surname stays, so a worker can still greet the family."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(number: str | None) -> str:
    """110101199003071234 -> 110***********1234."""
    n = (number or "").strip()
    if len(n) <= 7:
        return "*" * len(n)
    return n[:3] + "*" * (len(n) - 7) + n[-4:]


# --- 居民身份证号码 (GB 11643-1999) -------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def id_number_problem(number: str) -> str | None:
    """None when `number` is a well-formed 18-digit ID number (date of birth real, ISO 7064 MOD 11-2
    check digit right); else what is wrong, as a reason code for the row's message."""
    n = (number or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return "format"
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return "birth_date"
    if born.year < 1900 or born > date.today():
        return "birth_date"
    if id_check_digit(n[:17]) != n[17]:
        return "checksum"
    return None


def make_id_number(region: str, born: date, serial: int) -> str:
    """An ID number with a correct check digit (the demo's people, tests)."""
    first = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first + id_check_digit(first)
