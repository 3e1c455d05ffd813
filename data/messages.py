"""Coded messages: every refusal, exclusion reason and note that data/ hands to a person.

data/ never writes prose for people: a service returns (or raises) a `Message` — a stable code and
its fields — and the edge formats it: the console with Qt's translator (context "messages"; the
English templates below are the translation sources), the command line and the log in English.
Branch on `code`, never on text. docs/ARCHITECTURE.md ("Errors are codes") says how to add one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from data.domain import (ACTION_NAMES, CATEGORIES, HELPER_ROLES, LEDGER_FIELDS, LEDGER_OBJECTS, MEDIATION_OUTCOMES, PERMISSION_NAMES, PERSON_KINDS, PETITION_ROLES, RISK_LEVELS, PRIORITIES, ROLE_NAMES, SOURCES, STAGES, SUBCATEGORIES,
                         TEAM_KINDS, TRANSPORT, Term)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a template for pyside6-lupdate without importing Qt (data/ is Qt-free)."""
    return text


# code -> English template with {field} placeholders (Python str.format).
CATALOGUE: dict[str, str] = {
    # case intake and flow (data/cases)
    "case.unknown_category": QT_TRANSLATE_NOOP("messages", "Unknown category {category}."),
    "case.bad_subcategory": QT_TRANSLATE_NOOP("messages", "{subcategory} is not a type of {category}."),
    "case.unknown_priority": QT_TRANSLATE_NOOP("messages", "Unknown priority {priority}."),
    "case.unknown_source": QT_TRANSLATE_NOOP("messages", "Unknown source {source}."),
    "case.bad_location": QT_TRANSLATE_NOOP("messages", "The location is not a valid longitude/latitude."),
    "case.no_actor": QT_TRANSLATE_NOOP("messages", "Nobody is on duty: choose who you are first."),
    "case.not_a_duplicate": QT_TRANSLATE_NOOP(
        "messages", "{case_no} is not a duplicate of this report: merging needs the same category, within {radius_m} m and {minutes} minutes."),
    "case.merge_target_closed": QT_TRANSLATE_NOOP("messages", "The case to merge into is not open any more."),
    "case.unknown_action": QT_TRANSLATE_NOOP("messages", "Unknown action {action}."),
    "case.not_found": QT_TRANSLATE_NOOP("messages", "There is no case {incident_id}."),
    "case.wrong_stage": QT_TRANSLATE_NOOP(
        "messages", "Case {case_no} is at stage “{stage}”: “{action}” is only possible at {allowed}."),
    "case.callback_result_needed": QT_TRANSLATE_NOOP(
        "messages", "A callback records the reporter's satisfaction, or that they could not be reached: choose one."),
    "case.dispute_result_needed": QT_TRANSLATE_NOOP(
        "messages", "A dispute is resolved as mediated successfully or not: choose the mediation result."),
    "case.same_verifier": QT_TRANSLATE_NOOP(
        "messages", "{actor} resolved this case; a different person must verify it."),
    "case.extension_approval": QT_TRANSLATE_NOOP(
        "messages", "An extension needs the approval of someone other than the person asking for it."),
    "case.no_team": QT_TRANSLATE_NOOP("messages", "Choose a team to dispatch."),
    "case.team_on_this_case": QT_TRANSLATE_NOOP("messages", "This team is already dispatched to this case."),
    "case.team_busy": QT_TRANSLATE_NOOP(
        "messages", "{team} is busy on case {case_no} ({stage}, sent there by {by}). Reassign it to this case?"),
    # patrol plans (data/patrol)
    "patrol.no_name": QT_TRANSLATE_NOOP("messages", "Give the patrol plan a name."),
    "patrol.unknown_kind": QT_TRANSLATE_NOOP("messages", "Unknown kind of plan {plan_kind}: a plan is a route, an area or a stake-out point."),
    "patrol.team_or_kind": QT_TRANSLATE_NOOP("messages", "A plan is for one team or for every team of a kind: choose one of the two."),
    "patrol.unknown_team_kind": QT_TRANSLATE_NOOP("messages", "Unknown kind of team {kind}."),
    "patrol.unknown_team": QT_TRANSLATE_NOOP("messages", "There is no team {team}."),
    "patrol.bad_days": QT_TRANSLATE_NOOP("messages", "Days are weekdays 1 to 7 (1 is Monday), each at most once: {days} is not."),
    "patrol.bad_hours": QT_TRANSLATE_NOOP("messages", "Hours run from HH:MM to HH:MM within a day, and the start and the end differ."),
    "patrol.bad_geometry": QT_TRANSLATE_NOOP("messages", "A {plan_kind} plan needs a valid line (a route), polygon (an area) or point (a stake-out)."),
    "patrol.bad_period": QT_TRANSLATE_NOOP("messages", "The plan would end before it begins."),
    "patrol.bad_target": QT_TRANSLATE_NOOP("messages", "The coverage asked for is a percentage from 1 to 100."),
    "patrol.bad_radius": QT_TRANSLATE_NOOP("messages", "A checkpoint or stake-out radius is from 5 to 500 m."),
    "patrol.exception_needs_hours": QT_TRANSLATE_NOOP("messages", "A day off the pattern is either cancelled or has its own hours."),
    "patrol.unknown_plan": QT_TRANSLATE_NOOP("messages", "There is no patrol plan {plan}."),
    "patrol.exception_twice": QT_TRANSLATE_NOOP("messages", "That plan already has a change on {day}."),
    "patrol.unknown_grids": QT_TRANSLATE_NOOP("messages", "Unknown grids: {grids}."),
    "patrol.route_needs_two": QT_TRANSLATE_NOOP("messages", "A route needs at least two checkpoints."),
    "patrol.no_road_between": QT_TRANSLATE_NOOP("messages", "No street joins checkpoint {a} to checkpoint {b}."),
    "patrol.not_started": QT_TRANSLATE_NOOP("messages", "{plan} has not started: 15 minutes into its shift no team of it is on its route or in its area."),
    "rota.swap_needs_reason": QT_TRANSLATE_NOOP("messages", "Say why the shift changes hands."),
    "rota.unknown_shift": QT_TRANSLATE_NOOP("messages", "There is no shift {shift} in the rota."),
    "rota.unknown_person": QT_TRANSLATE_NOOP("messages", "There is no person {person} in any team."),
    "rota.person_ambiguous": QT_TRANSLATE_NOOP("messages", "More than one person is called {person}: name the team too (NAME@TEAMCODE)."),
    "rota.swap_to_same": QT_TRANSLATE_NOOP("messages", "{person} has this shift already."),
    "rota.shift_over": QT_TRANSLATE_NOOP("messages", "That shift is over: a past shift is not swapped."),
    "rota.person_busy": QT_TRANSLATE_NOOP("messages", "{person} is on another shift at that time."),
    "patrol.key_area_empty": QT_TRANSLATE_NOOP("messages", "Nobody has been in the key area {plan} for 10 minutes during its key hours."),
    # office mode (data/store/office.py)
    "store.unreachable": QT_TRANSLATE_NOOP(
        "messages", "The office database cannot be reached, so nothing was saved. Try again when the status bar says the connection is back."),
    # indicators (data/indicators.py)
    "indicators.unknown_breakdown": QT_TRANSLATE_NOOP("messages", "Unknown breakdown {by}: use one of {known}."),
    "indicators.unknown_community": QT_TRANSLATE_NOOP("messages", "There is no community {community}: the district's are {known}."),
    "hotspots.unknown_unit": QT_TRANSLATE_NOOP("messages", "Unknown unit {unit}: use one of {known}."),
    "hotspots.no_district": QT_TRANSLATE_NOOP("messages", "The store has no district boundary to lay hexagons over."),
    "hotspots.too_few_cells": QT_TRANSLATE_NOOP("messages", "Only {cells} cells: a hotspot analysis needs at least five."),
    "areas.no_name": QT_TRANSLATE_NOOP("messages", "Give the key area a name."),
    "areas.no_owner": QT_TRANSLATE_NOOP("messages", "Say who answers for the key area."),
    "areas.bad_geometry": QT_TRANSLATE_NOOP("messages", "A key area is a valid polygon with an area."),
    "indicators.unknown_filter": QT_TRANSLATE_NOOP("messages", "Unknown filter {filter}: use one of {known}."),
    # accounts and permissions (data/accounts.py)
    "auth.not_signed_in": QT_TRANSLATE_NOOP("messages", "Sign in first: only a signed-in account can do this."),
    "auth.forbidden": QT_TRANSLATE_NOOP("messages", "{user} may not {permission}: none of the account's roles allows it."),
    "auth.out_of_scope": QT_TRANSLATE_NOOP("messages", "{user} works for other communities: this case is outside the account's scope."),
    "auth.bad_credentials": QT_TRANSLATE_NOOP("messages", "Wrong user name or password."),
    "auth.disabled": QT_TRANSLATE_NOOP("messages", "The account {user} is disabled; ask an administrator."),
    "auth.locked": QT_TRANSLATE_NOOP("messages", "Too many wrong passwords: {user} is locked for {minutes} minutes."),
    "auth.bad_username": QT_TRANSLATE_NOOP("messages", "A user name is 2–32 letters, digits, Chinese characters, dots, dashes or underscores."),
    "auth.weak_password": QT_TRANSLATE_NOOP("messages", "A password needs at least {min} characters."),
    "auth.unknown_role": QT_TRANSLATE_NOOP("messages", "Unknown role {role}."),
    "auth.already_set_up": QT_TRANSLATE_NOOP("messages", "This store already has accounts; an administrator adds new ones."),
    "auth.user_exists": QT_TRANSLATE_NOOP("messages", "There is already an account {user}."),
    "auth.unknown_user": QT_TRANSLATE_NOOP("messages", "There is no account {user}."),
    "auth.last_administrator": QT_TRANSLATE_NOOP("messages", "The last administrator cannot be disabled."),
    "auth.must_change_password": QT_TRANSLATE_NOOP("messages", "{user} must change the password an administrator set before doing anything else."),
    "auth.same_password": QT_TRANSLATE_NOOP("messages", "The new password must differ from the current one."),
    "case.same_account_verifier": QT_TRANSLATE_NOOP("messages", "You resolved this case; a different person must verify it."),
    # the audit chain (data/audit.py)
    "audit.ok": QT_TRANSLATE_NOOP("messages", "The audit trail is intact: {rows} entries, head {row} {hash}."),
    "audit.row_altered": QT_TRANSLATE_NOOP("messages", "Audit entry {row} was altered after it was written."),
    "audit.link_broken": QT_TRANSLATE_NOOP("messages", "The audit chain is broken at entry {row}: an entry before it was removed or inserted."),
    "audit.head_missing": QT_TRANSLATE_NOOP("messages", "The audit chain no longer reaches the head {hash}: entries were cut off its end."),
    "audit.triggers_missing": QT_TRANSLATE_NOOP("messages", "The append-only protection of the store was removed (its triggers are missing)."),
    # case timeline notes
    "note.outside_jurisdiction": QT_TRANSLATE_NOOP("messages", "outside jurisdiction"),
    "note.duplicate_of": QT_TRANSLATE_NOOP("messages", "duplicate of {case_no}"),
    "note.duplicate_report": QT_TRANSLATE_NOOP("messages", "duplicate report {case_no}"),
    "note.arrived_by_tracker": QT_TRANSLATE_NOOP("messages", "arrived: tracker within {radius_m} m"),
    "note.approved_by": QT_TRANSLATE_NOOP("messages", "approved by {approver}"),
    "note.assigned_by_hand": QT_TRANSLATE_NOOP("messages", "assigned by hand: {reason}"),
    "note.approved_by_reason": QT_TRANSLATE_NOOP("messages", "{reason} (approved by {approver})"),
    # why a team is not recommended (data/routing)
    "exclude.off_duty": QT_TRANSLATE_NOOP("messages", "off duty"),
    "exclude.no_position": QT_TRANSLATE_NOOP("messages", "offline (no position)"),
    "exclude.position_old": QT_TRANSLATE_NOOP("messages", "position {minutes} min old"),
    "exclude.busy": QT_TRANSLATE_NOOP("messages", "busy on another case ({stage})"),
    "exclude.unreachable": QT_TRANSLATE_NOOP("messages", "unreachable on the street graph"),
    "recommend.no_suitable_kind": QT_TRANSLATE_NOOP("messages", "No team of a suitable kind exists for this category."),
    "recommend.no_streets": QT_TRANSLATE_NOOP("messages", "The district has no streets yet: import them before ranking teams by road."),
    "recommend.none": QT_TRANSLATE_NOOP("messages", "No team can be recommended: {counts}."),
    "recommend.count": QT_TRANSLATE_NOOP("messages", "{n} {reason}"),
    # replay (data/replay)
    "replay.backwards": QT_TRANSLATE_NOOP("messages", "The window ends before it starts."),
    "replay.too_long": QT_TRANSLATE_NOOP("messages", "The window is {days} days long; narrow it to {limit} days or less."),
    # grid validation and the impact of publishing (data/grids)
    "grid.duplicate_code": QT_TRANSLATE_NOOP("messages", "{grids}: {n} grids share the code {code}"),
    "grid.empty": QT_TRANSLATE_NOOP("messages", "{grids}: no geometry"),
    "grid.not_polygon": QT_TRANSLATE_NOOP("messages", "{grids}: a grid must be one polygon, not a {gtype}"),
    "grid.invalid": QT_TRANSLATE_NOOP("messages", "{grids}: invalid polygon ({reason})"),
    "grid.too_small": QT_TRANSLATE_NOOP("messages", "{grids}: {area} m² is below {limit} m²"),
    "grid.too_large": QT_TRANSLATE_NOOP("messages", "{grids}: {area} m² is above {limit} m²"),
    "grid.overlap": QT_TRANSLATE_NOOP("messages", "{grids}: {area} m² overlap"),
    "grid.gap": QT_TRANSLATE_NOOP("messages", "{grids}: {area} m² inside the district belongs to no grid"),
    "grid.outside": QT_TRANSLATE_NOOP("messages", "{grids}: {area} m² outside the district"),
    "impact.cameras": QT_TRANSLATE_NOOP("messages", "cameras changing grid: {n}"),
    "impact.open_incidents": QT_TRANSLATE_NOOP("messages", "open incidents changing grid: {n}"),
    "impact.past_incidents": QT_TRANSLATE_NOOP("messages", "past incidents (90 days) whose grid would differ: {n}"),
    "impact.teams": QT_TRANSLATE_NOOP("messages", "teams whose home grid no longer exists: {n}"),
    "impact.no_worker": QT_TRANSLATE_NOOP("messages", "grids without a grid worker: {n}"),
    # setting up a district and importing files (data/district)
    "import.no_file": QT_TRANSLATE_NOOP("messages", "{file}: no such file."),
    "import.unreadable": QT_TRANSLATE_NOOP("messages", "{file} cannot be read as {what}: {reason}"),
    "import.empty": QT_TRANSLATE_NOOP("messages", "{file} has no features or rows to import."),
    "import.too_big": QT_TRANSLATE_NOOP("messages", "{file} has {count} features or rows; at most {limit} can be imported at once."),
    "import.which_layer": QT_TRANSLATE_NOOP("messages", "{file} has several layers ({layers}); say which one to import."),
    "import.no_layer": QT_TRANSLATE_NOOP("messages", "{file} has no layer {layer} (it has: {layers})."),
    "import.no_crs": QT_TRANSLATE_NOOP(
        "messages", "{file} does not say its coordinate system (no .prj or CRS); declare it (for example EPSG:4490, or EPSG:4545 for a Gauss-Krüger zone) and import again."),
    "import.bad_crs": QT_TRANSLATE_NOOP("messages", "{crs} is not a coordinate system GridWatch knows ({reason})."),
    "import.out_of_range": QT_TRANSLATE_NOOP(
        "messages", "{file}: the coordinates are not longitude/latitude after conversion from {crs} (for example {x}, {y}); is the declared coordinate system right?"),
    "import.shift_needs_lonlat": QT_TRANSLATE_NOOP(
        "messages", "{coords} applies to longitude/latitude; {file} is in a projected system ({crs})."),
    "import.bad_features": QT_TRANSLATE_NOOP("messages", "{file}: {count} bad feature(s) or row(s); nothing was imported."),
    "import.unknown_kind": QT_TRANSLATE_NOOP("messages", "Unknown import kind {kind}."),
    "import.unknown_coords": QT_TRANSLATE_NOOP("messages", "Unknown coordinate system {coords} (use wgs84, cgcs2000, gcj02 or bd09)."),
    "import.bad_mapping": QT_TRANSLATE_NOOP("messages", "The field mapping {mapping} names a column {column} that {file} does not have (it has: {columns})."),
    "import.missing_columns": QT_TRANSLATE_NOOP("messages", "{file} has no column for {fields} (it has: {columns}); map them or use the template."),
    "import.no_district": QT_TRANSLATE_NOOP("messages", "The store has no district boundary; create it with gridwatch init first."),
    "import.cancelled": QT_TRANSLATE_NOOP("messages", "The import was cancelled; the store is unchanged."),
    "import.not_in_district": QT_TRANSLATE_NOOP("messages", "{file}: none of its features lie in or near the district; is the coordinate system right?"),
    "import.cannot_remove": QT_TRANSLATE_NOOP(
        "messages", "{what} {key} is not in the file but cannot be removed: {reason}. Keep it in the file."),
    # one bad feature or row
    "row.missing": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: missing value"),
    "row.bad_number": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not a number"),
    "row.out_of_range": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is outside {low}–{high}"),
    "row.bad_time": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not a time of day (HH:MM)"),
    "row.bad_phone": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not a phone number"),
    "row.unknown_value": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: unknown value {value} (allowed: {allowed})"),
    "row.unknown_team": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: no team {value}"),
    "row.unknown_grid": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: no grid {value} in the grid set in force"),
    "row.duplicate": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} appears again (first in row {first})"),
    "row.outside_district": QT_TRANSLATE_NOOP("messages", "row {row}: the point {lon}, {lat} is outside the district"),
    "row.bad_date": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not a date (YYYY-MM-DD)"),
    "row.bad_datetime": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not a date and time (YYYY-MM-DD HH:MM)"),
    "row.id_format": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not an 18-digit ID number"),
    "row.id_birth_date": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} holds no real date of birth"),
    "row.id_checksum": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} has a wrong check digit (mistyped?)"),
    "row.id_in_store": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is already in the ledger as {ledger_no}"),
    "row.unknown_helper": QT_TRANSLATE_NOOP(
        "messages", "row {row}, {column}: {value} is not one of the office's people (team members, staff, accounts)"),
    "row.helpers_missing": QT_TRANSLATE_NOOP("messages", "row {row}: no {helper_roles} (a person of kind {person_kind} needs them)"),
    "row.unknown_person": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: no person {value} in the ledger"),
    "row.not_a_helper": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not one of this person's responsible persons"),
    "row.not_a_member": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is not a member of team {team}"),
    "row.shift_overlap": QT_TRANSLATE_NOOP("messages", "row {row}: the shift from {value} overlaps this person's shift in row {first}"),
    "row.shift_in_rota": QT_TRANSLATE_NOOP("messages", "row {row}: the shift from {value} overlaps a shift this person has in the rota already"),
    "row.in_future": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is in the future"),
    "row.before_supervision": QT_TRANSLATE_NOOP("messages", "row {row}, {column}: {value} is before the supervision began ({since})"),
    # the ledgers (data/ledgers)
    "ledger.not_found": QT_TRANSLATE_NOOP("messages", "No such record in the ledger ({what} {id})."),
    "ledger.bad_value": QT_TRANSLATE_NOOP("messages", "{field}: {value} is not allowed here."),
    "ledger.bad_id_number": QT_TRANSLATE_NOOP("messages", "{value} is not a valid 18-digit ID number."),
    "ledger.id_in_store": QT_TRANSLATE_NOOP("messages", "ID number {value} is already in the ledger as {ledger_no}."),
    "ledger.outside_district": QT_TRANSLATE_NOOP("messages", "The address ({lon}, {lat}) is outside the district."),
    "ledger.helpers_missing": QT_TRANSLATE_NOOP("messages", "A person of kind {person_kind} needs {helper_roles}."),
    "ledger.visit_in_future": QT_TRANSLATE_NOOP("messages", "The visit time {t} is in the future: record visits that took place."),
    "ledger.visit_before_supervision": QT_TRANSLATE_NOOP("messages", "The visit time {t} is before the supervision began ({since})."),
    "ledger.not_a_helper": QT_TRANSLATE_NOOP("messages", "That visitor is not one of this person's responsible persons."),
    "ledger.no_visitor": QT_TRANSLATE_NOOP("messages", "Say who visited."),
    "mediation.not_a_dispute": QT_TRANSLATE_NOOP("messages", "{case_no} is not a dispute case: only disputes are mediated."),
    "mediation.exists": QT_TRANSLATE_NOOP("messages", "{case_no} already has a mediation record."),
    "mediation.needs_parties": QT_TRANSLATE_NOOP("messages", "A mediation needs the parties and at least one mediator."),
    "mediation.not_concluded": QT_TRANSLATE_NOOP("messages", "The mediation has not ended in an agreement yet."),
    "mediation.concluded": QT_TRANSLATE_NOOP("messages", "The mediation has already ended ({outcome})."),
    "mediation.needs_reference": QT_TRANSLATE_NOOP("messages", "An agreement needs the written agreement's reference number."),
    "mediation.follow_up_early": QT_TRANSLATE_NOOP(
        "messages", "The follow-up visit comes 30 days after the agreement: not before {day}."),
    "petition.incomplete": QT_TRANSLATE_NOOP(
        "messages", "A petition needs its five responsible persons ({petition_roles}) and a working group (5+1)."),
    "petition.already_reported": QT_TRANSLATE_NOOP("messages", "The zero-report for {day} is already in."),
    "petition.future_day": QT_TRANSLATE_NOOP("messages", "A zero-report is for today or a day before, not {day}."),
    "feature.empty": QT_TRANSLATE_NOOP("messages", "feature {row}: empty geometry"),
    "feature.wrong_type": QT_TRANSLATE_NOOP("messages", "feature {row}: a {gtype}, not a {want}"),
    "feature.invalid": QT_TRANSLATE_NOOP("messages", "feature {row}: invalid geometry ({reason})"),
    "feature.multipart_grid": QT_TRANSLATE_NOOP("messages", "feature {row} ({code}): {parts} separate parts (a grid is one polygon)"),
    # what an import found
    "found.graph_pieces": QT_TRANSLATE_NOOP(
        "messages", "The street graph has {pieces} pieces: the biggest ({segments} segments, {km} km) is routable; the others are listed with their place."),
    "found.graph_piece": QT_TRANSLATE_NOOP("messages", "piece of {segments} segment(s), {m} m, near {lon}, {lat}"),
    "found.unknown_class": QT_TRANSLATE_NOOP("messages", "{count} street(s) of unknown class were imported as minor streets ({values})."),
    "found.unknown_use": QT_TRANSLATE_NOOP("messages", "{count} building(s) without a known use are drawn as residential."),
    "found.skipped_outside": QT_TRANSLATE_NOOP("messages", "{count} feature(s) outside the district and its margin were left out."),
}

# Fields whose values are codes of a vocabulary: shown by their label in the reader's language.
_TERM_FIELDS: dict[str, Mapping[str, Term]] = {
    "stage": STAGES, "from_stage": STAGES, "allowed": STAGES, "action": ACTION_NAMES, "category": CATEGORIES, "subcategory": SUBCATEGORIES,
    "priority": PRIORITIES, "source": SOURCES, "kind": TEAM_KINDS, "transport": TRANSPORT,
    "permission": PERMISSION_NAMES, "role": ROLE_NAMES, "person_kind": PERSON_KINDS, "helper_role": HELPER_ROLES,
    "petition_role": PETITION_ROLES, "outcome": MEDIATION_OUTCOMES, "risk": RISK_LEVELS, "what": LEDGER_OBJECTS,
    "field": LEDGER_FIELDS,
}


@dataclass(frozen=True)
class Message:
    """A coded message: what happened (code) and its particulars (fields), in no language yet."""

    code: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en", translate: Callable[[str], str] | None = None) -> str:
        """The message for a reader: `translate` turns the English template into the reader's
        language (the console passes Qt's translator); field codes become labels in `lang`."""
        template = CATALOGUE.get(self.code, self.code)
        if translate is not None:
            template = translate(template)
        values = {k: field_text(k, v, lang, translate) for k, v in self.fields.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: say it plainly
            return template + " " + ", ".join(f"{k}={v}" for k, v in values.items())

    def __str__(self) -> str:
        return self.text("en")

    def __hash__(self) -> int:  # fields is a dict: hash by its items (Counter of reasons, sets)
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.fields.items()))))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, **{k: (v.as_dict() if isinstance(v, Message) else v) for k, v in self.fields.items()}}


def field_text(name: str, value: Any, lang: str, translate: Callable[[str], str] | None = None) -> str:
    if isinstance(value, Message):
        return value.text(lang, translate)
    if isinstance(value, (list, tuple)):
        sep = "、" if lang.startswith("zh") else ", "
        return sep.join(field_text(name, v, lang, translate) for v in value)
    terms = _TERM_FIELDS.get(name) or _TERM_FIELDS.get(name.rstrip("s"))
    if terms is not None and isinstance(value, str) and value in terms:
        return terms[value].label(lang)
    return str(value)


class GridWatchError(Exception):
    """A refusal a person can act on: a coded `Message`. str() is the English text (logs, CLI)."""

    def __init__(self, code: str, **fields: Any):
        self.message = Message(code, fields)
        super().__init__(self.message.text("en"))

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def fields(self) -> Mapping[str, Any]:
        return self.message.fields


def encode_note(message: Message) -> str:
    """A system note kept in a case event as its code and fields (JSON), so it is read in the
    reader's language; notes people type are kept as they typed them."""
    return json.dumps(message.as_dict(), ensure_ascii=False, sort_keys=True, default=str)


def decode_note(note: str | None) -> Message | str:
    """A stored note: a Message if it was written by encode_note, else the text as typed."""
    if note and note.startswith('{"') and '"code"' in note:
        try:
            d = json.loads(note)
        except ValueError:
            return note
        if isinstance(d, dict) and isinstance(d.get("code"), str):
            code = d.pop("code")
            return Message(code, d)
    return note or ""
