"""Accounts, permissions and the audit trail: who may do what is enforced in the services, and every
change is chained so that tampering is found (edits, deletions, dropped triggers, a cut tail)."""

from __future__ import annotations

import inspect
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from data import accounts as A
from data import audit
from data.cases import dispatch as D
from data.demo.generator import DEMO_ADMIN, DEMO_PASSWORD
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import open_store
from tests.conftest import DEMO_UNTIL

AT = DEMO_UNTIL - timedelta(hours=2)


@pytest.fixture
def store(demo_copy):
    s = open_store(demo_copy)
    yield s
    s.close()


def gw(*args: str, password: str | None = DEMO_PASSWORD, new_password: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if password is not None:
        env["GRIDWATCH_PASSWORD"] = password
    if new_password is not None:
        env["GRIDWATCH_NEW_PASSWORD"] = new_password
    return subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True, text=True, timeout=120, env=env)


def refused(code: str, fn, *a, **kw):
    with pytest.raises(GridWatchError) as info:
        fn(*a, **kw)
    assert info.value.code == code, f"refused with {info.value.code}, expected {code}"


def centre(store, code="FS-03"):
    with store.session() as s:
        g = s.scalars(select(m.Grid.geom).where(m.Grid.code == code)).first()
    p = g.representative_point()
    return p.x, p.y


# --- sign-in ------------------------------------------------------------------------------------------

def test_wrong_passwords_lock_the_account_and_every_attempt_is_audited(store):
    for k in range(A.MAX_FAILED_SIGN_INS - 1):
        refused("auth.bad_credentials", A.sign_in, store, "刘建平", "not-the-password", at=AT)
    refused("auth.locked", A.sign_in, store, "刘建平", "not-the-password", at=AT)
    # Locked: even the right password is refused until the lockout ends.
    refused("auth.locked", A.sign_in, store, "刘建平", DEMO_PASSWORD, at=AT + timedelta(minutes=5))
    assert A.sign_in(store, "刘建平", DEMO_PASSWORD, at=AT + A.LOCKOUT + timedelta(seconds=1)).username == "刘建平"
    actions = [e.action for e in audit.entries_for(store, "account", A.sign_in(store, "刘建平", DEMO_PASSWORD).account_id)]
    assert actions.count("sign_in.failed") == A.MAX_FAILED_SIGN_INS - 1
    assert "sign_in.lockout" in actions and "sign_in.locked" in actions and actions[-1] == "sign_in"
    # An unknown user and a wrong password get the same answer (no hint which); both audited.
    refused("auth.bad_credentials", A.sign_in, store, "nobody-here", DEMO_PASSWORD)
    assert audit.verify(store).ok


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(store):
    admin = A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD)
    liu = A.sign_in(store, "刘建平", DEMO_PASSWORD)
    lon, lat = centre(store)
    A.set_disabled(store, admin, "刘建平")
    refused("auth.disabled", A.sign_in, store, "刘建平", DEMO_PASSWORD)
    refused("auth.not_signed_in", D.create_incident, store, category="other", subcategory="other.other", priority="low",
            source="walk_in", lon=lon, lat=lat, actor=liu)
    refused("auth.last_administrator", A.set_disabled, store, admin, DEMO_ADMIN)
    A.set_disabled(store, admin, "刘建平", False)
    assert A.sign_in(store, "刘建平", DEMO_PASSWORD).account_id == liu.account_id


@pytest.mark.parametrize("name", ["x", "' OR '1'='1", "admin'; DROP TABLE accounts; --", "a" * 33, "张" * 200, "", " "])
def test_sql_looking_and_overlong_user_names_are_refused_without_harm(store, name):
    admin = A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD)
    refused("auth.bad_username", A.add_account, store, admin, name, name, DEMO_PASSWORD, ["viewer"])
    refused("auth.bad_credentials", A.sign_in, store, name, DEMO_PASSWORD)
    with store.session() as s:
        assert s.scalar(select(m.Account.id).where(m.Account.username == DEMO_ADMIN)) is not None
    assert audit.verify(store).ok


def test_passwords_are_stored_as_argon2id_hashes(store):
    with store.session() as s:
        hashes = s.scalars(select(m.Account.password_hash)).all()
    assert hashes and all(h.startswith("$argon2id$") and DEMO_PASSWORD not in h for h in hashes)
    refused("auth.weak_password", A.reset_password, store, A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD), "刘建平", "short")


# --- permissions ----------------------------------------------------------------------------------------

def _service_calls(store, who, case_id, team_id, lon, lat):
    """Every public service that changes something, with valid arguments, as `who`."""
    approver = A.sign_in(store, "谭海", DEMO_PASSWORD)
    calls = {f"case.{action}": (D.transition, (store, case_id, action, who),
                                {"team_id": team_id, "approved_by": approver} if action in ("dispatch", "extend") else {})
             for action in ("accept", "void", "return", "dispatch", "arrive", "resolve", "verify", "send_back", "close",
                            "extend", "park", "resume")}
    calls["case.report"] = (D.create_incident, (store,), dict(category="other", subcategory="other.other", priority="low",
                                                              source="walk_in", lon=lon, lat=lat, actor=who))
    calls["accounts.add"] = (A.add_account, (store, who, "newcomer", "新人", DEMO_PASSWORD, ["viewer"]), {})
    calls["accounts.disable"] = (A.set_disabled, (store, who, "刘建平"), {})
    calls["accounts.reset"] = (A.reset_password, (store, who, "刘建平", "another-password"), {})
    calls["accounts.list"] = (A.list_accounts, (store, who), {})
    calls["audit.case"] = (A.case_audit, (store, case_id, who), {})
    calls["case.read_personal"] = (A.case_reporter, (store, case_id, who), {"reveal": True})
    calls["accounts.roles"] = (A.set_roles, (store, who, "刘建平", ["viewer"]), {})
    calls["settings.change"] = (A.change_setting, (store, who, "basemap", ""), {})
    from data.basemap import save_basemap_config
    from data.district.imports import commit_import
    from data.feeds.devices import bind_device, issue_device_key
    from data.grids import sets as G
    with store.session() as s:
        set_id = s.scalar(select(m.GridSet.id).where(m.GridSet.status == "published"))
        device = s.scalar(select(m.TrackerDevice.device_id))
    calls["basemap"] = (save_basemap_config, (store, None), {"by": who})
    calls["grids.create_draft"] = (G.create_draft, (store, "x"), {"by": who})
    calls["grids.save_draft"] = (G.save_draft, (store, set_id, G.load_grid_set(store, set_id)), {"by": who})
    calls["grids.publish"] = (G.publish, (store, set_id, AT), {"by": who})
    calls["grids.import_file"] = (G.import_grid_file, (store, "grids.gpkg"), {"by": who})
    calls["import"] = (commit_import, (store, None), {"actor": who})
    calls["devices.bind"] = (bind_device, (store, device, "XL001"), {"by": who})
    calls["devices.key"] = (issue_device_key, (store, device), {"by": who})
    return calls


def test_a_viewer_is_refused_every_write_and_the_list_of_services_is_complete(store):
    viewer = A.sign_in(store, "访客", DEMO_PASSWORD)
    lon, lat = centre(store)
    lead = A.sign_in(store, "吴敏", DEMO_PASSWORD)
    case = D.create_incident(store, category="other", subcategory="other.other", priority="low", source="walk_in",
                             lon=lon, lat=lat, actor=lead, at=AT)
    calls = _service_calls(store, viewer, case.id, 5, lon, lat)
    # Every public function of the services that takes an acting Principal is in the list above.
    import data.basemap
    import data.district.imports
    import data.feeds.devices
    import data.grids.sets
    modules = (D, A, data.basemap, data.district.imports, data.feeds.devices, data.grids.sets)
    acting = {f"{mod.__name__}.{name}" for mod in modules for name, fn in inspect.getmembers(mod, inspect.isfunction)
              if fn.__module__ == mod.__name__ and not name.startswith("_")
              and any(p in inspect.signature(fn).parameters for p in ("actor", "by"))}
    # init_district makes a new store: nobody can be signed in to a store that does not exist yet (its
    # first administrator is created right after, by `gridwatch init --admin` or at the first start).
    acting.discard("data.district.imports.init_district")
    covered = {f"{fn.__module__}.{fn.__name__}" for fn, _, _ in calls.values()}
    assert acting <= covered, acting - covered
    before = audit.head(store)
    for what, (fn, args, kw) in calls.items():
        with pytest.raises(GridWatchError) as info:
            fn(*args, **kw)
        assert info.value.code == "auth.forbidden", (what, info.value.code)
    # Refused calls write nothing, not even to the audit trail.
    assert audit.head(store) == before


def test_a_forged_identity_is_refused(store):
    lon, lat = centre(store)
    real = A.sign_in(store, "谭海", DEMO_PASSWORD)
    forged = A.Principal(real.account_id, real.username, real.display_name, real.roles)  # no token from sign_in
    for actor in ("谭海", forged, None):
        refused("auth.not_signed_in", D.create_incident, store, category="other", subcategory="other.other", priority="low",
                source="walk_in", lon=lon, lat=lat, actor=actor)
    refused("auth.not_signed_in", A.add_account, store, A.Principal(1, DEMO_ADMIN, "x", frozenset({"administrator"})),
            "intruder", "x", DEMO_PASSWORD, ["administrator"])


def test_a_community_account_acts_only_on_its_own_community(store):
    admin = A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD)
    with store.session() as s:
        fs = s.scalar(select(m.Grid.community_id).where(m.Grid.code == "FS-03"))
        other = s.scalar(select(m.Grid.community_id).where(m.Grid.community_id != fs))
    A.add_account(store, admin, "丰收社区", "丰收社区", DEMO_PASSWORD, ["dispatcher"], [fs], must_change=False)
    local = A.sign_in(store, "丰收社区", DEMO_PASSWORD)
    lon, lat = centre(store, "FS-03")
    mine = D.create_incident(store, category="other", subcategory="other.other", priority="low", source="walk_in",
                             lon=lon, lat=lat, actor=local, at=AT)
    D.transition(store, mine.id, "accept", local, at=AT)
    with store.session() as s:
        code = s.scalar(select(m.Grid.code).where(m.Grid.community_id == other))
    olon, olat = centre(store, code)
    refused("auth.out_of_scope", D.create_incident, store, category="other", subcategory="other.other", priority="low",
            source="walk_in", lon=olon, lat=olat, actor=local, at=AT)


# --- the audit chain -----------------------------------------------------------------------------------

def _scripted_day(store) -> int:
    """A day's work: intake, dispatch, on scene, resolve, verify, close; an extension; account changes."""
    lead, tan = A.sign_in(store, "吴敏", DEMO_PASSWORD), A.sign_in(store, "谭海", DEMO_PASSWORD)
    lon, lat = centre(store)
    case = D.create_incident(store, category="municipal", subcategory="municipal.road", priority="normal", source="hotline",
                             lon=lon, lat=lat, actor=lead, at=AT)
    t = AT
    for action, who, kw in (("accept", lead, {}), ("dispatch", lead, {"team_id": 5}), ("arrive", lead, {}),
                            ("extend", lead, {"approved_by": tan}), ("resume", lead, {}),
                            ("resolve", lead, {"result": "done"}), ("verify", tan, {}), ("close", tan, {})):
        t += timedelta(minutes=3)
        D.transition(store, case.id, action, who, at=t, reassign=True, **kw)
    admin = A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD)
    A.add_account(store, admin, "夜班", "夜班", DEMO_PASSWORD, ["dispatcher"])
    A.reset_password(store, admin, "夜班", "another-password")
    return case.id


def test_the_chain_holds_after_a_day_of_work_and_shows_each_case(store):
    case = _scripted_day(store)
    report = audit.verify(store)
    assert report.ok and report.rows > 20
    steps = [e.action for e in audit.entries_for(store, "case", case)]
    assert steps == ["case.report", "case.accept", "case.dispatch", "case.arrive", "case.extend", "case.resume",
                     "case.resolve", "case.verify", "case.close"]
    ext = audit.entries_for(store, "case", case)[4]
    assert '"approved_by":"谭海"' in ext.after and ext.username == "吴敏"


def _raw(store):
    store.close()
    return sqlite3.connect(store.path)


def test_editing_a_row_is_refused_and_when_forced_is_found(store):
    _scripted_day(store)
    path = store.path
    con = _raw(store)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET username='someone' WHERE id=5")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log WHERE id=5")
    # Someone drops the triggers, edits a row and puts the triggers back: the row's hash gives it away.
    con.execute("DROP TRIGGER audit_log_append_only_update")
    edited = con.execute("SELECT max(id) - 3 FROM audit_log").fetchone()[0]
    assert con.execute("UPDATE audit_log SET username = username || '·' WHERE id=?", (edited,)).rowcount == 1
    con.commit()
    con.close()
    st = open_store(path)
    r = audit.verify(st)
    assert not r.ok and r.problem in ("audit.row_altered", "audit.triggers_missing")
    # With the trigger back, the altered row itself is named.
    from data.store.core import _create_append_only_triggers
    with st.engine.begin() as conn:
        _create_append_only_triggers(conn)
    r = audit.verify(st)
    assert r.problem == "audit.row_altered" and r.broken_at == edited
    out = gw("audit", "verify", "--store", str(path))
    assert out.returncode == 1 and f"entry {edited} was altered" in out.stderr
    st.close()


def test_deleting_or_inserting_a_row_breaks_the_link_of_the_next(store):
    _scripted_day(store)
    path = store.path
    con = _raw(store)
    con.execute("DROP TRIGGER audit_log_append_only_delete")
    con.execute("DELETE FROM audit_log WHERE id=7")
    from data.store.core import _create_append_only_triggers
    con.commit()
    con.close()
    st = open_store(path)
    with st.engine.begin() as conn:
        _create_append_only_triggers(conn)
    r = audit.verify(st)
    assert r.problem == "audit.link_broken" and r.broken_at == 8
    st.close()


def test_triggers_dropped_to_write_are_found_even_when_nothing_was_changed(store):
    path = store.path
    con = _raw(store)
    con.execute("DROP TRIGGER case_events_append_only_delete")
    con.commit()
    con.close()
    st = open_store(path)
    assert audit.verify(st).problem == "audit.triggers_missing"
    st.close()


def test_cutting_rows_off_the_end_is_found_against_a_head_kept_elsewhere(store):
    _scripted_day(store)
    path = store.path
    out = gw("audit", "head", "--store", str(path))
    assert out.returncode == 0
    row, head = out.stdout.split()
    assert int(row) > 5 and len(head) == 64
    con = _raw(store)
    con.execute("DROP TRIGGER audit_log_append_only_delete")
    con.execute("DELETE FROM audit_log WHERE id > ?", (int(row) - 2,))
    con.execute("CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    con.commit()
    con.close()
    assert gw("audit", "verify", "--store", str(path)).returncode == 0  # the chain alone cannot tell
    cut = gw("audit", "verify", "--store", str(path), "--head", head)
    assert cut.returncode == 1 and "cut off its end" in cut.stderr


# --- the command line ----------------------------------------------------------------------------------

def test_users_command_adds_lists_disables_and_resets(store):
    path = str(store.path)
    store.close()
    r = gw("users", "add", "--store", path, "--as", DEMO_ADMIN, "夜班员", "--roles", "dispatcher,supervisor",
           new_password="first-password")
    assert r.returncode == 0, r.stderr
    listed = gw("users", "list", "--store", path, "--as", DEMO_ADMIN)
    assert "夜班员" in listed.stdout and "dispatcher,supervisor" in listed.stdout
    assert gw("users", "disable", "--store", path, "--as", DEMO_ADMIN, "夜班员").returncode == 0
    assert "disabled" in gw("users", "list", "--store", path, "--as", DEMO_ADMIN).stdout
    bad = gw("users", "list", "--store", path, "--as", DEMO_ADMIN, password="wrong-password")
    assert bad.returncode == 2 and "Wrong user name or password" in bad.stderr and "Traceback" not in bad.stderr
    notadmin = gw("users", "list", "--store", path, "--as", "刘建平")
    assert notadmin.returncode == 2 and "may not manage accounts" in notadmin.stderr
    st = open_store(path)
    try:
        assert audit.verify(st).ok
    finally:
        st.close()


def test_a_store_without_accounts_gets_its_first_administrator(tmp_path):
    from data.geo import Projection
    from data.store.core import create_store
    create_store(tmp_path / "new.gpkg", Projection(4545)).close()
    r = gw("users", "add", "--store", str(tmp_path / "new.gpkg"), "chief", "--name", "主任", password="a-long-password")
    assert r.returncode == 0 and "first administrator" in r.stdout
    st = open_store(tmp_path / "new.gpkg")
    try:
        p = A.sign_in(st, "chief", "a-long-password")
        assert p.roles == frozenset({"administrator"}) and p.display_name == "主任"
        refused("auth.already_set_up", A.create_first_administrator, st, "second", "x", "a-long-password")
        assert audit.verify(st).ok
    finally:
        st.close()


def test_a_password_set_by_an_administrator_is_changed_before_anything_else(store):
    admin = A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD)
    A.add_account(store, admin, "新调度", "新调度", "set-by-admin", ["dispatcher"])
    newbie = A.sign_in(store, "新调度", "set-by-admin")
    assert newbie.must_change
    lon, lat = centre(store)
    refused("auth.must_change_password", D.create_incident, store, category="other", subcategory="other.other",
            priority="low", source="walk_in", lon=lon, lat=lat, actor=newbie)
    refused("auth.same_password", A.change_own_password, store, newbie, "set-by-admin", "set-by-admin")
    refused("auth.bad_credentials", A.change_own_password, store, newbie, "not-it", "my-own-password")
    mine = A.change_own_password(store, newbie, "set-by-admin", "my-own-password")
    assert not mine.must_change
    refused("auth.not_signed_in", D.create_incident, store, category="other", subcategory="other.other",
            priority="low", source="walk_in", lon=lon, lat=lat, actor=newbie)  # the old session ended
    D.create_incident(store, category="other", subcategory="other.other", priority="low", source="walk_in",
                      lon=lon, lat=lat, actor=mine)
    # The command line: the person changes it there too.
    path = str(store.path)
    store.close()
    r = subprocess.run([sys.executable, "-m", "console.cli", "users", "password", "--store", path, "--as", "新调度"],
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, GRIDWATCH_PASSWORD="my-own-password", GRIDWATCH_NEW_PASSWORD="third-password"))
    assert r.returncode == 0, r.stderr
    st = open_store(path)
    try:
        assert A.sign_in(st, "新调度", "third-password").username == "新调度"
    finally:
        st.close()
