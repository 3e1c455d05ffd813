"""Accounts, roles and permissions: who is signed in, and what each role may do.

One home for the rules: `PERMISSIONS` says which roles may do what, `require` is called by every
service that changes something (the console only disables what a service would refuse anyway).
Passwords are hashed with argon2id (argon2-cffi); five wrong passwords lock an account for 15
minutes; sign-ins, failures, lockouts and every account change go to the audit trail.
"""

from __future__ import annotations

import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable, Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import Store, write_lock

ROLES = ("administrator", "dispatcher", "supervisor", "planner", "ledger_keeper", "viewer")

# permission -> the roles that have it. Case actions are "case.<action>" (data/cases/rules.ACTIONS).
PERMISSIONS: dict[str, frozenset[str]] = {
    # intake and the dispatcher's steps, also on a team's behalf
    "case.report": frozenset({"dispatcher", "ledger_keeper"}),
    "case.accept": frozenset({"dispatcher"}),
    "case.void": frozenset({"dispatcher", "supervisor"}),
    "case.return": frozenset({"dispatcher"}),
    "case.dispatch": frozenset({"dispatcher"}),
    "case.arrive": frozenset({"dispatcher"}),
    "case.resolve": frozenset({"dispatcher"}),
    "case.extend": frozenset({"dispatcher"}),
    "case.park": frozenset({"dispatcher", "supervisor"}),
    "case.resume": frozenset({"dispatcher", "supervisor"}),
    # the verifier's: 核查 by someone other than the one who handled the case
    "case.verify": frozenset({"supervisor"}),
    "case.send_back": frozenset({"supervisor"}),
    "case.close": frozenset({"supervisor"}),
    "case.approve_extension": frozenset({"supervisor"}),
    "case.read_personal": frozenset({"dispatcher", "supervisor"}),
    "case.callback": frozenset({"dispatcher", "supervisor"}),
    "grids.edit": frozenset({"planner"}),
    "grids.publish": frozenset({"planner"}),
    "district.import": frozenset({"administrator", "planner"}),
    "devices.bind": frozenset({"administrator", "dispatcher"}),
    "accounts.manage": frozenset({"administrator"}),
    "settings.change": frozenset({"administrator"}),
    "audit.read": frozenset({"administrator", "supervisor"}),
    "replay.read": frozenset({"dispatcher", "supervisor", "planner", "viewer"}),
    "indicators.read": frozenset({"supervisor", "administrator"}),
    "areas.manage": frozenset({"supervisor"}),
    # patrol plans (data/patrol): drawn by planners, and by supervisors who run the rota
    "patrol.plan": frozenset({"planner", "supervisor"}),
    # the duty rota (data/patrol/rota.py): imported by the supervisor who runs it; a swap on the night
    # is decided by the dispatcher on duty as well
    "rota.edit": frozenset({"supervisor"}),
    "rota.swap": frozenset({"dispatcher", "supervisor"}),
    # The ledgers (data/ledgers) hold some of the most sensitive personal data an office keeps: the
    # board and lists for those who act on them, masked; names and numbers only for the ledger
    # keeper (综治专干) and supervisors, every reading audited. Everyone else sees counts per grid.
    "ledgers.read": frozenset({"dispatcher", "supervisor", "ledger_keeper"}),
    "ledgers.read_personal": frozenset({"supervisor", "ledger_keeper"}),
    "ledgers.edit": frozenset({"ledger_keeper"}),
    "visits.record": frozenset({"ledger_keeper"}),
    "mediation.record": frozenset({"ledger_keeper"}),
    "petitions.edit": frozenset({"ledger_keeper"}),
}

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
_USERNAME = re.compile(r"[A-Za-z0-9_.\-\u3400-\u9fff]{2,32}")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class AuthError(GridWatchError):
    """A refused sign-in or a permission the account does not have: codes "auth.*"."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in account (or the system itself, for what trackers record)."""

    account_id: int | None
    username: str
    display_name: str
    roles: frozenset[str]
    communities: frozenset[int] | None = None  # None: the whole district
    must_change: bool = False  # a password set by an administrator: changed before anything else
    # Issued by sign_in (or for the system) in this process; a Principal built by hand has none that
    # is known, so a forged identity in a direct service call is refused like a typed name.
    token: str = field(default="", repr=False, compare=False)

    def may(self, permission: str) -> bool:
        return bool(self.roles & PERMISSIONS.get(permission, frozenset()))

    @property
    def name(self) -> str:
        """The name written in a case's timeline."""
        return self.display_name


_ISSUED: dict[str, int | None] = {}  # token -> account id, for the principals this process issued


def _issue(account_id: int | None, username: str, display_name: str, roles: frozenset[str],
           communities: frozenset[int] | None = None, must_change: bool = False) -> Principal:
    token = secrets.token_hex(16)
    _ISSUED[token] = account_id
    return Principal(account_id, username, display_name, roles, communities, must_change, token)


def sign_out(principal: Principal) -> None:
    _ISSUED.pop(principal.token, None)


def system_actor(display_name: str = "系统") -> Principal:
    """What the system records by itself (arrival by tracker, simulated intake): not a person; it
    may only report incidents and record arrivals (SYSTEM_PERMISSIONS)."""
    return _issue(None, "system", display_name, frozenset({"system"}))


SYSTEM_PERMISSIONS = frozenset({"case.arrive", "case.report"})
SYSTEM = system_actor()


def require(principal: Principal | None, permission: str, *, community_id: int | None = None) -> Principal:
    """Refuse (AuthError, coded) unless `principal` is a real signed-in account with `permission`
    (and, for a community-scoped account, the object is in one of its communities)."""
    if not isinstance(principal, Principal) or principal.token not in _ISSUED \
            or _ISSUED[principal.token] != principal.account_id:
        # A name typed into a direct call is not an identity, nor a Principal built by hand: only
        # one issued by sign_in (or system_actor) in this process is.
        raise AuthError("auth.not_signed_in")
    if principal.must_change:
        # A password an administrator set (or reset) is known to two people: changed first.
        raise AuthError("auth.must_change_password", user=principal.username)
    if principal.account_id is None:
        if "system" not in principal.roles or permission not in SYSTEM_PERMISSIONS:
            raise AuthError("auth.forbidden", user=principal.username, permission=permission)
        return principal
    if not principal.may(permission):
        raise AuthError("auth.forbidden", user=principal.username, permission=permission)
    if community_id is not None and principal.communities is not None and community_id not in principal.communities:
        raise AuthError("auth.out_of_scope", user=principal.username)
    return principal


def _principal(acc: m.Account) -> Principal:
    comms = frozenset(int(c) for c in acc.communities.split(",") if c) if acc.communities else None
    return _issue(acc.id, acc.username, acc.display_name, frozenset(r for r in acc.roles.split(",") if r), comms,
                  bool(acc.must_change_password))


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not _USERNAME.fullmatch(username):
        raise AuthError("auth.bad_username")
    return username


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError("auth.weak_password", min=MIN_PASSWORD)


def _check_roles(roles: Iterable[str]) -> str:
    roles = [r.strip() for r in roles if r and r.strip()]
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise AuthError("auth.unknown_role", role=",".join(unknown) or "—")
    return ",".join(sorted(set(roles)))


def _snapshot(acc: m.Account) -> dict:
    """An account as the audit trail records it (never the password hash)."""
    return {"username": acc.username, "display_name": acc.display_name, "roles": acc.roles,
            "communities": acc.communities, "disabled": bool(acc.disabled)}


def has_accounts(store: Store) -> bool:
    with store.session() as s:
        return bool(s.scalar(select(func.count()).select_from(m.Account)))


@contextmanager
def _write(store: Store) -> Iterator[Session]:
    """A write transaction holding the store's write lock (the audit chain needs one writer at a time)."""
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            yield s
            s.flush()


def create_first_administrator(store: Store, username: str, display_name: str, password: str,
                               at: datetime | None = None) -> Principal:
    """The first account of a new store: an administrator. Refused once any account exists."""
    username = _check_username(username)
    _check_password(password)
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        if s.scalar(select(func.count()).select_from(m.Account)):
            raise AuthError("auth.already_set_up")
        acc = m.Account(username=username, display_name=(display_name or username).strip()[:32], roles="administrator",
                        password_hash=_hasher.hash(password), created_at=at)
        s.add(acc)
        s.flush()
        audit.append(s, account_id=acc.id, username=username, action="account.create_first_admin", object_type="account",
                     object_id=acc.id, after=_snapshot(acc), at=at)
        return _principal(acc)


def add_account(store: Store, by: Principal, username: str, display_name: str, password: str, roles: Iterable[str],
                communities: Iterable[int] | None = None, at: datetime | None = None, must_change: bool = True) -> int:
    """A new account (administrators only); the person changes the password at the first sign-in."""
    require(by, "accounts.manage")
    username = _check_username(username)
    _check_password(password)
    role_text = _check_roles(roles)
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        if s.scalar(select(m.Account.id).where(m.Account.username == username)) is not None:
            raise AuthError("auth.user_exists", user=username)
        acc = m.Account(username=username, display_name=(display_name or username).strip()[:32], roles=role_text,
                        communities=",".join(str(int(c)) for c in communities) if communities else None,
                        password_hash=_hasher.hash(password), must_change_password=must_change, created_at=at)
        s.add(acc)
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="account.add", object_type="account",
                     object_id=acc.id, after=_snapshot(acc), at=at)
        return acc.id


def _get(s: Session, username: str) -> m.Account:
    acc = s.scalar(select(m.Account).where(m.Account.username == (username or "").strip()))
    if acc is None:
        raise AuthError("auth.unknown_user", user=username)
    return acc


def set_disabled(store: Store, by: Principal, username: str, disabled: bool = True, at: datetime | None = None) -> None:
    require(by, "accounts.manage")
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        acc = _get(s, username)
        before = _snapshot(acc)
        if disabled and "administrator" in acc.roles.split(","):
            admins = s.scalar(select(func.count()).select_from(m.Account).where(
                m.Account.disabled.is_(False), m.Account.roles.like("%administrator%")))
            if admins <= 1:
                raise AuthError("auth.last_administrator")
        acc.disabled = disabled
        s.flush()
        if disabled:  # signed-in sessions of the account end now
            for token in [t for t, a in _ISSUED.items() if a == acc.id]:
                _ISSUED.pop(token, None)
        audit.append(s, account_id=by.account_id, username=by.username, action="account.disable" if disabled else "account.enable",
                     object_type="account", object_id=acc.id, before=before, after=_snapshot(acc), at=at)


def reset_password(store: Store, by: Principal, username: str, new_password: str, at: datetime | None = None) -> None:
    """An administrator sets a new password (the person changes it at their next sign-in); unlocks."""
    require(by, "accounts.manage")
    _check_password(new_password)
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        acc = _get(s, username)
        acc.password_hash = _hasher.hash(new_password)
        acc.failed_sign_ins, acc.locked_until, acc.must_change_password = 0, None, True
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="account.reset_password", object_type="account",
                     object_id=acc.id, at=at)


def change_own_password(store: Store, who: Principal, old_password: str, new_password: str,
                        at: datetime | None = None) -> Principal:
    """Change the signed-in person's own password; returns their session anew (free to act if the
    old password was one an administrator had set)."""
    if not isinstance(who, Principal) or who.account_id is None or _ISSUED.get(who.token) != who.account_id:
        raise AuthError("auth.not_signed_in")
    _check_password(new_password)
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        acc = s.get(m.Account, who.account_id)
        if acc is None or not _matches(acc.password_hash, old_password):
            raise AuthError("auth.bad_credentials")
        if _matches(acc.password_hash, new_password):
            raise AuthError("auth.same_password")
        acc.password_hash = _hasher.hash(new_password)
        acc.must_change_password = False
        s.flush()
        audit.append(s, account_id=acc.id, username=acc.username, action="account.change_password", object_type="account",
                     object_id=acc.id, at=at)
        renewed = _principal(acc)
    sign_out(who)
    return renewed


def _matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def _verify_outside_lock(store: Store, name: str, password: str) -> tuple[str | None, bool]:
    """(the stored hash read, whether the password matches it), before any write lock: argon2 costs
    ~50 ms on purpose, and under the store's write lock that was 50 ms of nobody else writing (the
    tracker feed included). An unknown name is checked against a dummy hash, so that it takes as long
    as a known one and the time does not tell which names exist."""
    with store.session() as s:
        stored = s.scalar(select(m.Account.password_hash).where(m.Account.username == name)) if name else None
    if stored is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(_hasher.hash("not a password of anyone"))
        _matches(_DUMMY_HASH[0], password)
        return None, False
    return stored, _matches(stored, password)


def sign_in(store: Store, username: str, password: str, at: datetime | None = None) -> Principal:
    """Check a user name and password; refused with one message for an unknown user or a wrong
    password (no hint which), and with its own for a disabled or locked account. Audited either way.

    The password is checked before the write lock is taken; under it the account is read again and
    its state (disabled, locked, failed count) decided, so two seats signing in at once count right."""
    at = at or datetime.now(timezone.utc)
    name = (username or "").strip()[:64]
    failure: AuthError | None = None
    principal: Principal | None = None
    hash_read, matched = _verify_outside_lock(store, name, password)
    with _write(store) as s:
        acc = s.scalar(select(m.Account).where(m.Account.username == name)) if name else None
        if acc is not None and acc.password_hash != hash_read:  # changed in between (rare): check against the new one
            matched = _matches(acc.password_hash, password)
        if acc is None:
            audit.append(s, account_id=None, username=name[:32] or "—", action="sign_in.unknown_user", object_type="account", at=at)
            failure = AuthError("auth.bad_credentials")
        elif acc.disabled:
            audit.append(s, account_id=acc.id, username=acc.username, action="sign_in.disabled", object_type="account",
                         object_id=acc.id, at=at)
            failure = AuthError("auth.disabled", user=acc.username)
        elif acc.locked_until is not None and _aware(acc.locked_until) > at:
            audit.append(s, account_id=acc.id, username=acc.username, action="sign_in.locked", object_type="account",
                         object_id=acc.id, at=at)
            failure = AuthError("auth.locked", user=acc.username, minutes=max(1, int((_aware(acc.locked_until) - at).total_seconds() // 60) + 1))
        elif not matched:
            acc.failed_sign_ins = (acc.failed_sign_ins or 0) + 1
            locked = acc.failed_sign_ins >= MAX_FAILED_SIGN_INS
            if locked:
                acc.locked_until, acc.failed_sign_ins = at + LOCKOUT, 0
            s.flush()
            audit.append(s, account_id=acc.id, username=acc.username, action="sign_in.lockout" if locked else "sign_in.failed",
                         object_type="account", object_id=acc.id, at=at)
            failure = AuthError("auth.locked", user=acc.username, minutes=int(LOCKOUT.total_seconds() // 60)) if locked \
                else AuthError("auth.bad_credentials")
        else:
            acc.failed_sign_ins, acc.locked_until = 0, None
            s.flush()
            audit.append(s, account_id=acc.id, username=acc.username, action="sign_in", object_type="account",
                         object_id=acc.id, at=at)
            principal = _principal(acc)
    # The failure is recorded (committed above) before it is raised.
    if failure is not None:
        raise failure
    return principal


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    roles: tuple[str, ...]
    communities: tuple[int, ...] | None
    disabled: bool
    locked: bool


def list_accounts(store: Store, by: Principal, at: datetime | None = None) -> list[AccountRow]:
    require(by, "accounts.manage")
    at = at or datetime.now(timezone.utc)
    with store.session() as s:
        rows = s.scalars(select(m.Account).order_by(m.Account.username)).all()
        return [AccountRow(a.username, a.display_name, tuple(a.roles.split(",")),
                           tuple(int(c) for c in a.communities.split(",")) if a.communities else None, bool(a.disabled),
                           a.locked_until is not None and _aware(a.locked_until) > at) for a in rows]


def mask_phone(phone: str | None) -> str | None:
    """A phone number as roles without `case.read_personal` see it: 138****1234."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def case_audit(store: Store, incident_id: int, by: Principal) -> list[m.AuditEntry]:
    """The audit of one case, for the roles that may read the audit trail."""
    require(by, "audit.read")
    return audit.entries_for(store, "case", incident_id)


@dataclass(frozen=True)
class Reporter:
    name: str | None
    contact: str | None  # masked (138****1234) unless revealed
    masked: bool


def case_reporter(store: Store, incident_id: int, by: Principal, reveal: bool = False,
                  at: datetime | None = None) -> Reporter:
    """Who reported a case and how to reach them. The number is masked for everyone until a role
    that needs it asks to see it (`reveal`), and each such reading is audited."""
    require(by, "case.read_personal" if reveal else "replay.read")
    with store.session() as s:
        inc = s.get(m.Incident, incident_id)
        if inc is None:
            return Reporter(None, None, True)
        name, contact = inc.reporter, inc.contact
    if not reveal or not contact:
        return Reporter(name, mask_phone(contact), bool(contact))
    with _write(store) as s:
        audit.append(s, account_id=by.account_id, username=by.username, action="case.read_personal", object_type="case",
                     object_id=incident_id, at=at)
    return Reporter(name, contact, False)


def set_roles(store: Store, by: Principal, username: str, roles: Iterable[str], communities: Iterable[int] | None = None,
              at: datetime | None = None) -> None:
    """Give an account other roles (and community scope); the last administrator keeps theirs."""
    require(by, "accounts.manage")
    role_text = _check_roles(roles)
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        acc = _get(s, username)
        before = _snapshot(acc)
        if "administrator" in acc.roles.split(",") and "administrator" not in role_text.split(","):
            admins = s.scalar(select(func.count()).select_from(m.Account).where(
                m.Account.disabled.is_(False), m.Account.roles.like("%administrator%")))
            if admins <= 1:
                raise AuthError("auth.last_administrator")
        acc.roles = role_text
        acc.communities = ",".join(str(int(c)) for c in communities) if communities else None
        s.flush()
        # Sessions carry the roles they were signed in with: the account's end now.
        for token in [t for t, a in _ISSUED.items() if a == acc.id]:
            _ISSUED.pop(token, None)
        audit.append(s, account_id=by.account_id, username=by.username, action="account.roles", object_type="account",
                     object_id=acc.id, before=before, after=_snapshot(acc), at=at)


def change_setting(store: Store, by: Principal, key: str, value: str, at: datetime | None = None) -> None:
    """Change one of the office's settings kept in the store (the basemap, dispatch rules …), audited
    with its old and new value."""
    require(by, "settings.change")
    at = at or datetime.now(timezone.utc)
    with _write(store) as s:
        old = s.get(m.Meta, key)
        before = old.value if old is not None else None
        s.merge(m.Meta(key=key, value=value))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="settings.change", object_type="setting",
                     object_id=key, before={"value": before}, after={"value": value}, at=at)
    store.meta[key] = value
