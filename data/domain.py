"""The dispatch domain's vocabularies: team kinds, transport, case categories, priorities, sources,
stages and their time limits. Names carry Chinese and English labels because data/ has no Qt
translator; the console picks the label for its language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=8))  # China Standard Time (no daylight saving): shifts and case numbers


def local_time(t: datetime) -> datetime:
    """A stored (UTC) time as the office reads it. The one place that knows the office's time zone."""
    return t.astimezone(LOCAL_TZ)


def on_duty(duty_start_min: int, duty_end_min: int, at: datetime) -> bool:
    """Whether a shift given in minutes after local midnight covers `at` (end < start: overnight)."""
    local = at.astimezone(LOCAL_TZ)
    minute = local.hour * 60 + local.minute
    s, e = duty_start_min, duty_end_min
    return s <= minute < e if s < e else (minute >= s or minute < e)


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


def _terms(*rows: tuple[str, str, str]) -> dict[str, Term]:
    return {code: Term(code, zh, en) for code, zh, en in rows}


# The seven kinds of patrol team in the modelled district, with head counts (the district the demo models).
TEAM_KINDS = _terms(
    ("patrol_volunteer", "治安巡逻队", "Patrol volunteers"),
    ("property_security", "物业保安", "Property security"),
    ("compound_guard", "院落守护员", "Compound guards"),
    ("cleaner", "环卫保洁", "Cleaners"),
    ("grid_worker", "网格员", "Grid workers"),
    ("volunteer", "志愿者", "Volunteers"),
    ("mediator", "调解员", "Mediators"),
)
DISTRICT_HEADCOUNT = {
    "patrol_volunteer": 102, "property_security": 189, "compound_guard": 87, "cleaner": 203,
    "grid_worker": 101, "volunteer": 85, "mediator": 101,
}

TRANSPORT = _terms(("foot", "步行", "On foot"), ("ebike", "电动车", "E-bike"), ("car", "汽车", "Car"))
# Typical in-town speeds (m/s) used for ETAs and the simulator.
TRANSPORT_SPEED_MPS = {"foot": 1.3, "ebike": 4.0, "car": 8.0}

TEAM_STATUS = _terms(
    ("available", "空闲", "Available"),
    ("dispatched", "已派遣", "Dispatched"),
    ("on_scene", "已到场", "On scene"),
    ("offline", "离线", "Offline"),
)

# Two-level catalogue modelled on the 数字城管 event catalogue and 综治 work.
CATEGORIES = _terms(
    ("dispute", "矛盾纠纷", "Disputes"),
    ("public_order", "治安", "Public order"),
    ("fire", "消防隐患", "Fire hazards"),
    ("traffic", "交通", "Traffic"),
    ("municipal", "市政设施", "Municipal facilities"),
    ("sanitation", "环境卫生", "Sanitation"),
    ("special_population", "特殊人群", "Special populations"),
    ("petition", "信访", "Petitions"),
    ("other", "其他", "Other"),
)
SUBCATEGORIES = _terms(
    ("dispute.neighbour", "邻里纠纷", "Neighbour dispute"),
    ("dispute.family", "婚姻家庭纠纷", "Family dispute"),
    ("dispute.property_mgmt", "物业纠纷", "Property management dispute"),
    ("dispute.labour", "劳资纠纷", "Labour dispute"),
    ("dispute.housing", "土地房屋纠纷", "Land and housing dispute"),
    ("public_order.burglary", "入室盗窃", "Burglary"),
    ("public_order.theft", "盗窃", "Theft"),
    ("public_order.fight", "打架斗殴", "Fight"),
    ("public_order.noise", "噪音扰民", "Noise nuisance"),
    ("public_order.suspicious", "可疑人员", "Suspicious person"),
    ("fire.corridor", "楼道堆物", "Blocked stairwell"),
    ("fire.ebike_charging", "电动车违规充电", "E-bike charged indoors"),
    ("fire.exit_blocked", "消防通道占用", "Fire lane blocked"),
    ("fire.wiring", "私拉电线", "Illegal wiring"),
    ("traffic.collision", "交通事故", "Traffic collision"),
    ("traffic.ebike_collision", "电动车碰撞", "E-bike collision"),
    ("traffic.parking", "违章停车", "Illegal parking"),
    ("traffic.signal", "信号灯故障", "Traffic light fault"),
    ("municipal.manhole", "井盖缺失", "Missing manhole cover"),
    ("municipal.streetlight", "路灯损坏", "Broken streetlight"),
    ("municipal.road", "道路破损", "Damaged road"),
    ("municipal.water_pipe", "供水管破裂", "Burst water pipe"),
    ("sanitation.garbage", "垃圾堆放", "Dumped rubbish"),
    ("sanitation.sewage", "污水外溢", "Sewage overflow"),
    ("sanitation.street_stall", "占道经营", "Street stall on the road"),
    ("special_population.mental", "精神障碍患者", "Person with mental illness"),
    ("special_population.correction", "社区矫正人员", "Person under community correction"),
    ("special_population.elderly", "独居老人", "Elderly person living alone"),
    ("special_population.lost_contact", "脱管失联", "Out of supervision"),  # opened by the ledgers (data/ledgers)
    ("petition.collective", "群体访", "Collective petition"),
    ("petition.individual", "个人访", "Individual petition"),
    ("other.other", "其他事件", "Other"),
)

PRIORITIES = _terms(("urgent", "紧急", "Urgent"), ("high", "较急", "High"), ("normal", "一般", "Normal"), ("low", "不急", "Low"))
SOURCES = _terms(
    ("camera", "天网", "Camera"),
    ("hotline", "12345热线", "12345 hotline"),
    ("grid_worker", "网格员上报", "Grid worker"),
    ("patrol", "巡逻发现", "Patrol"),
    ("walk_in", "群众来访", "Walk-in"),
    ("ledger", "台账预警", "Ledger alert"),
    ("other", "其他", "Other"),
)
# Sources only the system writes (the ledgers' out-of-supervision escalation): never offered to a person.
SYSTEM_SOURCES = frozenset({"ledger"})

# Case flow after GB/T 30428 (数字化城市管理信息系统) and 综治 practice.
STAGES = _terms(
    ("reported", "上报", "Reported"),
    ("accepted", "立案", "Accepted"),
    ("voided", "作废", "Voided"),
    ("dispatched", "派遣", "Dispatched"),
    ("on_scene", "到场", "On scene"),
    ("resolved", "处置完成", "Resolved"),
    ("rework", "返工", "Sent back for rework"),
    ("verified", "核查", "Verified"),
    ("closed", "结案", "Closed"),
    ("returned", "退回", "Returned"),
    ("extended", "延期", "Extended"),
    ("parked", "挂起", "Parked"),
)
FINAL_STAGES = frozenset({"closed", "voided"})

# The actions a person (or the system) takes on a case; the rules of which are allowed when live in
# data/cases/rules.py. "report", "merge" and "duplicate_report" are recorded by intake, not chosen.
ACTION_NAMES = _terms(
    ("report", "上报", "Report"),
    ("accept", "立案", "Accept"),
    ("void", "作废", "Void"),
    ("return", "退回", "Return"),
    ("dispatch", "派遣", "Dispatch"),
    ("arrive", "到场", "On scene"),
    ("resolve", "处置完成", "Resolved"),
    ("verify", "核查通过", "Verify"),
    ("send_back", "核查退回", "Send back"),
    ("close", "结案", "Close"),
    ("extend", "延期", "Extend"),
    ("park", "挂起", "Park"),
    ("resume", "恢复", "Resume"),
    ("merge", "合并为重复", "Merged as duplicate"),
    ("duplicate_report", "重复上报", "Duplicate report"),
    ("callback", "回访", "Callback"),
)

# Roles of accounts and what they may do (data/accounts.py holds which role has which permission).
ROLE_NAMES = _terms(
    ("administrator", "系统管理员", "Administrator"),
    ("dispatcher", "调度员", "Dispatcher"),
    ("supervisor", "核查督办员", "Verifier / supervisor"),
    ("planner", "网格规划员", "Planner"),
    ("ledger_keeper", "综治专干", "Ledger keeper"),
    ("viewer", "只读用户", "Viewer"),
)
PERMISSION_NAMES = _terms(
    ("case.report", "登记事件", "log incidents"),
    ("case.accept", "立案", "accept cases"),
    ("case.void", "作废案件", "void cases"),
    ("case.return", "退回案件", "return cases"),
    ("case.dispatch", "派遣队伍", "dispatch teams"),
    ("case.arrive", "记录到场", "record arrival"),
    ("case.resolve", "记录处置完成", "record resolution"),
    ("case.extend", "申请延期", "ask for extensions"),
    ("case.park", "挂起案件", "park cases"),
    ("case.resume", "恢复案件", "resume cases"),
    ("case.verify", "核查案件", "verify cases"),
    ("case.send_back", "核查退回", "send cases back"),
    ("case.close", "结案", "close cases"),
    ("case.approve_extension", "批准延期", "approve extensions"),
    ("case.read_personal", "查看个人信息", "read personal data"),
    ("case.callback", "回访", "record callbacks"),
    ("grids.edit", "编辑网格草稿", "edit grid drafts"),
    ("grids.publish", "发布网格", "publish grids"),
    ("district.import", "导入辖区数据", "import district data"),
    ("devices.bind", "绑定定位终端", "bind trackers"),
    ("accounts.manage", "管理账号", "manage accounts"),
    ("audit.read", "查看审计记录", "read the audit trail"),
    ("replay.read", "回放", "replay"),
    ("indicators.read", "查看指标", "read indicators"),
    ("areas.manage", "设立重点整治区域", "set key rectification areas"),
    ("ledgers.read", "查看台账（脱敏）", "read the ledgers (masked)"),
    ("ledgers.read_personal", "查看台账个人信息", "read personal data in the ledgers"),
    ("ledgers.edit", "维护重点人员台账", "keep the people ledger"),
    ("visits.record", "登记走访", "record visits"),
    ("mediation.record", "登记调解", "record mediation"),
    ("petitions.edit", "维护信访台账", "keep the petition ledger"),
)

# How a case was resolved (case_events.result): disputes record whether mediation succeeded.
# A callback's answer (回访): how satisfied the reporter is, or that nobody could be reached.
SATISFACTION = _terms(
    ("satisfied", "满意", "Satisfied"),
    ("basically_satisfied", "基本满意", "Basically satisfied"),
    ("dissatisfied", "不满意", "Dissatisfied"),
    ("unreachable", "未联系上", "Could not be reached"),
)
RESULTS = _terms(
    ("done", "已处置", "Done"),
    ("mediated", "调解成功", "Mediated"),
    ("not_mediated", "调解不成功", "Mediation failed"),
    *((t.code, t.zh, t.en) for t in SATISFACTION.values()),
)

# Minutes a case may stay in a stage before it is overdue, by priority. Configurable later; these are
# the office's defaults: urgent cases accepted and dispatched within 10 min and on scene within 5.
STAGE_LIMIT_MIN: dict[str, dict[str, int]] = {
    "urgent": {"reported": 5, "accepted": 5, "dispatched": 5, "on_scene": 120, "rework": 120, "resolved": 60, "verified": 1440},
    "high": {"reported": 10, "accepted": 10, "dispatched": 15, "on_scene": 240, "rework": 240, "resolved": 60, "verified": 1440},
    "normal": {"reported": 15, "accepted": 15, "dispatched": 30, "on_scene": 1440, "rework": 1440, "resolved": 60, "verified": 1440},
    "low": {"reported": 60, "accepted": 60, "dispatched": 120, "on_scene": 4320, "rework": 4320, "resolved": 60, "verified": 2880},
}

# Which team kinds suit which category (first kind preferred). Defaults; configurable later.
SUITABLE_KINDS: dict[str, tuple[str, ...]] = {
    "dispute": ("mediator", "grid_worker"),
    "public_order": ("patrol_volunteer", "property_security"),
    "fire": ("grid_worker", "property_security", "compound_guard"),
    "traffic": ("patrol_volunteer", "property_security"),
    "municipal": ("grid_worker",),
    "sanitation": ("cleaner", "grid_worker"),
    "special_population": ("grid_worker", "mediator"),
    "petition": ("mediator", "grid_worker"),
    "other": ("grid_worker",),
}

CAMERA_STATUS = _terms(("online", "在线", "Online"), ("offline", "离线", "Offline"), ("fault", "故障", "Fault"))
ROAD_CLASSES = _terms(("main", "主干道", "Main road"), ("secondary", "次干道", "Secondary road"),
                      ("minor", "支路", "Minor street"), ("bridge", "桥梁", "Bridge"))
BUILDING_USES = _terms(("residential", "住宅", "Residential"), ("commercial", "商业", "Commercial"), ("public", "公共", "Public"))
WATER_KINDS = _terms(("river", "河流", "River"), ("pond", "水塘", "Pond"))
STAFF_ROLES = _terms(("dispatcher", "调度员", "Dispatcher"), ("supervisor", "督导员", "Supervisor"), ("planner", "规划员", "Planner"),
                     ("ledger_keeper", "综治专干", "Ledger keeper"), ("administrator", "管理员", "Administrator"))
MEMBER_ROLES = _terms(("leader", "队长", "Leader"), ("member", "队员", "Member"))


# --- the office's ledgers (data/ledgers): people under supervision, visits, mediation, petitions ---
PERSON_KINDS = _terms(
    ("correction", "社区矫正", "Community correction"),
    ("drug_rehab", "社区戒毒/社区康复", "Drug rehabilitation in the community"),
    ("mental", "严重精神障碍", "Serious mental disorder"),
    ("released", "刑满释放", "Released from prison"),
    ("petitioner", "重点信访", "Long-standing petitioner"),
)
RISK_LEVELS = _terms(("low", "低风险", "Low"), ("medium", "中风险", "Medium"), ("high", "高风险", "High"))
# The responsible persons around someone under supervision. 六对一 (six for one): the first six.
HELPER_ROLES = _terms(
    ("resident_leader", "驻村/居领导", "Resident leader"),
    ("governance_cadre", "综治干部", "Governance cadre"),
    ("police", "社区民警", "Community police officer"),
    ("community_leader", "社区领导", "Community leader"),
    ("relative", "直系亲属", "Close relative"),
    ("volunteer", "社区志愿者", "Community volunteer"),
    ("grid_worker", "网格员", "Grid worker"),
    ("doctor", "精防医生", "Mental-health doctor"),
)
SIX_FOR_ONE = ("resident_leader", "governance_cadre", "police", "community_leader", "relative", "volunteer")
# Helpers who are the office's own people: an import must name someone the store knows (a team
# member, staff or an account); relatives, volunteers, police and doctors are outside the office.
OFFICE_HELPER_ROLES = frozenset({"resident_leader", "governance_cadre", "community_leader", "grid_worker"})
# The 5+1 around a long-standing petition: five responsible persons and one working group.
PETITION_ROLES = _terms(
    ("party_leader", "包案领导", "Party-government leader"),
    ("official", "责任干部", "Responsible official"),
    ("cadre", "社区干部", "Community cadre"),
    ("police", "社区民警", "Community police officer"),
    ("informant", "信息员", "Informant"),
)
PETITION_CONTACTS = _terms(("reception", "接访", "Received"), ("appointment", "约访", "By appointment"),
                           ("home_visit", "下访", "Home visit"))
MEDIATION_OUTCOMES = _terms(("pending", "调解中", "In progress"), ("agreed", "调解成功", "Agreement reached"),
                            ("failed", "调解不成功", "No agreement"))
# What a ledger refusal is about (coded fields of the "ledger.*" messages).
LEDGER_OBJECTS = _terms(("person", "人员", "person"), ("case", "案件", "case"), ("mediation", "调解记录", "mediation record"),
                        ("sweep", "排查任务", "sweep"), ("petition", "信访件", "petition"),
                        ("responsible", "责任人", "responsible person"))
LEDGER_FIELDS = _terms(("kind", "类别", "kind"), ("risk", "风险等级", "risk"), ("name", "姓名", "name"),
                       ("lon/lat", "经纬度", "longitude/latitude"), ("helper", "责任人角色", "responsible role"),
                       ("since_day", "纳入管理日期", "since"), ("found", "发现数", "found"), ("report", "报告内容", "report"),
                       ("petitioner/subject", "信访人/事由", "petitioner/subject"))
