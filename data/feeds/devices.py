"""Binding tracker handsets to teams, and the list of unknown ids that reported."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select

from data import audit
from data.accounts import Principal, require
from data.store import models as m
from data.store.core import Store, write_lock


class DeviceError(Exception):
    """A binding that cannot be made; the message says why."""


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    team_code: str | None
    team_name: str | None
    last_seen: datetime | None
    reports: int | None


def bind_device(store: Store, device_id: str, team_code: str, *, by: Principal) -> str:
    """Bind (or rebind) a tracker id to a team, as an account allowed to (audited). Returns a
    sentence saying what was done."""
    require(by, "devices.bind")
    device_id = device_id.strip()
    if not device_id or len(device_id) > 64:
        raise DeviceError("a device id is 1 to 64 characters")
    with store.session() as s, s.begin():
        write_lock(s.connection())
        team = s.scalars(select(m.Team).where(m.Team.code == team_code)).first()
        if team is None:
            raise DeviceError(f"there is no team with code {team_code!r}")
        dev = s.scalars(select(m.TrackerDevice).where(m.TrackerDevice.device_id == device_id)).first()
        previous = None
        if dev is None:
            s.add(m.TrackerDevice(device_id=device_id, team_id=team.id, bound_at=datetime.now(timezone.utc)))
        else:
            previous = dev.team_id
            dev.team_id = team.id
            dev.bound_at = datetime.now(timezone.utc)
        s.execute(delete(m.UnknownDevice).where(m.UnknownDevice.device_id == device_id))
        audit.append(s, account_id=by.account_id, username=by.username, action="devices.bind", object_type="device",
                     object_id=device_id, before={"team_id": previous}, after={"team_id": team.id, "team": team.code})
    if previous is not None and previous != team.id:
        return f"{device_id} moved to team {team.code} {team.name}"
    return f"{device_id} bound to team {team.code} {team.name}"


def key_digest(key: str) -> str:
    """What the store keeps of a device key: its SHA-256 (the key is random, 160 bits: no salt needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_device_key(store: Store, device_id: str, *, by: Principal) -> str:
    """A new random key for a bound tracker (replacing any earlier one); shown once, kept only as its
    hash. The tracker sends it as `key=` in its server URL or as `Authorization: Bearer KEY`."""
    require(by, "devices.bind")
    key = secrets.token_urlsafe(20)
    with store.session() as s, s.begin():
        write_lock(s.connection())
        dev = s.scalars(select(m.TrackerDevice).where(m.TrackerDevice.device_id == device_id.strip())).first()
        if dev is None:
            raise DeviceError(f"tracker {device_id!r} is not bound to a team; bind it first")
        had = dev.key_sha256 is not None
        dev.key_sha256 = key_digest(key)
        audit.append(s, account_id=by.account_id, username=by.username, action="devices.key", object_type="device",
                     object_id=dev.device_id, before={"key": "set" if had else None}, after={"key": "set"})
    return key


def list_devices(store: Store) -> tuple[list[DeviceRow], list[DeviceRow]]:
    """(bound devices with their team and last fix, unknown ids that reported) for administrators."""
    with store.session() as s:
        from sqlalchemy import func
        last = dict(s.execute(select(m.Fix.device_id, func.max(m.Fix.t)).group_by(m.Fix.device_id)).all())
        bound = [DeviceRow(d.device_id, t.code, t.name, last.get(d.device_id), None)
                 for d, t in s.execute(select(m.TrackerDevice, m.Team).join(m.Team).order_by(m.Team.code))]
        unknown = [DeviceRow(dev, None, None, last, n) for dev, last, n in _unknown(s)]
    return bound, unknown


def _unknown(s, newest: int | None = None) -> list[tuple[str, datetime, int]]:
    """(device id, last seen, reports) of ids that reported but are bound to no team, newest first."""
    q = select(m.UnknownDevice.device_id, m.UnknownDevice.last_seen, m.UnknownDevice.reports
               ).order_by(m.UnknownDevice.last_seen.desc())
    return [tuple(r) for r in s.execute(q if newest is None else q.limit(newest))]


def feed_state(store: Store, newest: int = 200) -> tuple[dict[str, int], list[tuple[str, datetime, int]]]:
    """The feed's running counters (accepted, refused by reason) and the newest unknown tracker ids."""
    with store.session() as s:
        counters = dict(s.execute(select(m.FeedCounter.reason, m.FeedCounter.count)).all())
        return counters, _unknown(s, newest)
