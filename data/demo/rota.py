"""The demo office's duty rota: this week and next, written through the rota service as its
supervisor would import it from Excel. Each team's people take turns over the team's duty hours (a
round-the-clock team in day and night shifts), every person with a day or two off a week. Up to the
demo's "now" the rota covers exactly the fixed duty hours, so dispatch in the demo is what it was;
after it, a few realistic holes: a volunteer team with nobody on the weekend, a patrol team short on
a night, so the week view has gaps to show.

Its own random stream (seed + 1600): the district, teams, cases and ledgers stay what they were.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import numpy as np
from sqlalchemy import select

from data.district.rosters import ImportPlan
from data.domain import LOCAL_TZ
from data.patrol.rota import import_shifts
from data.store import models as m
from data.store.core import Store

ROTA_KEEPER = "谭海"  # a supervisor of the demo office (data/demo/generator.STAFF)
WEEKS = 2


def demo_rota_records(store: Store, until: datetime, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed + 1600)
    local_now = until.astimezone(LOCAL_TZ)
    monday = local_now.date() - timedelta(days=local_now.weekday())
    with store.session() as s:
        teams = s.execute(select(m.Team.id, m.Team.kind, m.Team.duty_start_min, m.Team.duty_end_min).order_by(m.Team.id)).all()
        people: dict[int, list[int]] = {}
        for mid, tid in s.execute(select(m.Member.id, m.Member.team_id).order_by(m.Member.id)):
            people.setdefault(tid, []).append(mid)
    # The holes after "now": one volunteer team off on the weekend, one patrol team short one night.
    volunteers = [t[0] for t in teams if t[1] == "volunteer"]
    patrols = [t[0] for t in teams if t[1] == "patrol_volunteer"]
    off_weekend = int(rng.choice(volunteers)) if volunteers else None
    short_night = int(rng.choice(patrols)) if patrols else None
    records = []
    for tid, _kind, start, end in teams:
        crew = people.get(tid, [])
        if not crew:
            continue
        if start == 0 and end >= 24 * 60:
            spans = [(8 * 60, 20 * 60), (20 * 60, 8 * 60)]  # round the clock: day and night shifts
        else:
            spans = [(start, end)]
        rest = int(rng.integers(7))  # each person's first day off, spread over the week
        first = datetime.combine(monday, time(0), tzinfo=LOCAL_TZ).astimezone(timezone.utc)
        for d in range(-1, 7 * WEEKS):  # from the Sunday before: its night shift runs into Monday
            day = monday + timedelta(days=d)
            midnight = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
            for k, (a, b) in enumerate(spans):
                s0 = (midnight + timedelta(minutes=a)).astimezone(timezone.utc)
                s1 = (midnight + timedelta(minutes=b + (24 * 60 if b <= a else 0))).astimezone(timezone.utc)
                if s1 <= first:
                    continue
                after_now = s0 > until
                if after_now and tid == off_weekend and day.weekday() >= 5:
                    continue
                # Who works this span: everyone but those resting today, always at least one person.
                on = [p for j, p in enumerate(crew) if (j + d + rest) % 7 not in (0, 1) or len(crew) == 1]
                on = on or crew[:1]
                if len(spans) > 1:  # day and night shifts share the crew
                    on = [p for j, p in enumerate(on) if j % 2 == (k + d // 3) % 2] or on[:1]  # days, then nights
                if after_now and tid == short_night and day.weekday() == 4:
                    on = []  # next Friday the patrol team has nobody (a realistic miss the week view shows)
                for p in on:
                    records.append(dict(team_id=tid, member_id=p, starts_at=s0, ends_at=s1, grid_code=None, post=""))
    return records


def write_demo_rota(store: Store, until: datetime, seed: int, password: str) -> int:
    from data.accounts import sign_in, sign_out
    keeper = sign_in(store, ROTA_KEEPER, password, at=until)
    try:
        plan = ImportPlan("shifts", "排班表.xlsx", demo_rota_records(store, until, seed))
        return import_shifts(store, keeper, plan, at=until)
    finally:
        sign_out(keeper)
