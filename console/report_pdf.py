"""The monthly report as a PDF for A4 (Qt's PDF writer; the Chinese font is embedded as a subset).

Page 1: the headline figures and the district map with each grid's 按期结案率; page 2: the charts
(cases day by day, closure rates by community, response times, time in each stage); then the tables
(by community, category, source, team and grid), continued over as many pages as they need. The same
`MonthReport` (data/reports.py) is written as a workbook: the PDF shows the numbers of the XLSX.

Charts are drawn here with QPainter, as vectors in the PDF's own coordinates (points): a printed
report needs sharp text and lines at any zoom, which a screenshot of an on-screen chart is not. The
map is rendered by the console's own painters (layers/painters.py) at 200 dpi.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from data.domain import LOCAL_TZ, STAGES
from data.indicators import INDICATOR_NAMES
from data.indicators import active_groups
from data.reports import PATROL_BLOCKS, MonthReport, group_label, patrol_rows, write_atomic

PT_PER_MM = 72 / 25.4
MARGIN_MM = 15
MAP_DPI = 200
# Columns of the tables (indicator codes); the rest are in the workbook.
TABLE_CODES = ("reported", "accepted", "closed", "due", "closure_rate", "on_time_closure_rate", "disposal_rate",
               "rework_rate", "satisfaction_rate", "response_median_min")
HEADLINE = ("reported", "accepted", "closed", "due", "closure_rate", "on_time_closure_rate", "disposal_rate",
            "satisfaction_rate", "mediation_rate", "response_median_min")
BLUE, ORANGE, GREY, INK = "#0072B2", "#E69F00", "#999999", "#222222"

_T = {
    "title": ("{district}综治中心月度报告", "{district} comprehensive governance: monthly report"),
    "scope_all": ("全辖区", "Whole district"),
    "period": ("统计期：{a} 至 {b}", "Period: {a} to {b}"),
    "made": ("生成：{t}　制表：{who}", "Made {t} by {who}"),
    "map": ("各网格按期结案率", "On-time closure rate by grid"),
    "no_value": ("本月无应结案件", "no case due this month"),
    "daily": ("每日上报与结案", "Reported and closed, day by day"),
    "reported_series": ("上报", "Reported"),
    "closed_series": ("结案", "Closed"),
    "by_community": ("各社区结案率与按期结案率", "Closure and on-time closure rate by community"),
    "response": ("上报到场用时分布（分钟）", "Report to on scene (minutes)"),
    "stages": ("各环节用时（本月结案案件）", "Time in each stage (cases closed this month)"),
    "stage": ("环节", "Stage"), "cases": ("案件数", "Cases"), "median": ("中位数（分钟）", "Median (min)"),
    "p90": ("P90（分钟）", "p90 (min)"), "overdue": ("超时率", "Overdue"),
    "name": ("名称", "Name"),
    "page": ("第 {n} 页", "Page {n}"),
    "community": ("按社区", "By community"), "category": ("按类别", "By category"), "source": ("按来源", "By source"),
    "team": ("按队伍", "By team"), "dispatcher": ("按调度员", "By dispatcher"), "grid": ("按网格", "By grid"),
    "continued": ("（续）", " (continued)"),
    "patrol": ("巡逻计划覆盖", "Patrol plan coverage"), "windows": ("执勤时段", "Duty windows"), "met": ("达标", "Met"),
    "met_rate": ("达标率", "Met rate"), "mean_cov": ("平均覆盖率", "Mean coverage"), "walked_km": ("巡逻里程（公里）", "Walked km"),
}


def _t(key: str, lang: str, **kw) -> str:
    zh, en = _T[key]
    return (zh if lang.startswith("zh") else en).format(**kw)


def _fmt(code: str, v) -> str:
    if v is None:
        return "—"
    if code.endswith("_rate"):
        return f"{v:.2%}"
    return f"{v:g}"


def report_font(size: float, bold: bool = False) -> QFont:
    """A font with Chinese glyphs (the first of the console's CJK families installed)."""
    from console.app import CJK_FAMILIES
    families = set(QFontDatabase.families())
    f = QFont()
    f.setFamilies([fam for fam in CJK_FAMILIES if fam in families] + list(f.families()))
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


class _Pages:
    """A cursor down A4 pages in points: what is drawn next goes at `y`, a new page when it won't fit."""

    def __init__(self, writer: QPdfWriter, lang: str, footer: str):
        self.writer, self.lang, self.footer = writer, lang, footer
        self.p = QPainter(writer)
        self.p.setRenderHint(QPainter.Antialiasing)
        self.p.setRenderHint(QPainter.TextAntialiasing)
        page = writer.pageLayout().paintRect(QPageLayout.Point)
        self.width, self.height = page.width(), page.height()
        self.y = 0.0
        self.n = 1

    def need(self, h: float) -> None:
        if self.y + h > self.height - 18:
            self.new_page()

    def new_page(self) -> None:
        self._footer()
        self.writer.newPage()
        self.n += 1
        self.y = 0.0

    def _footer(self) -> None:
        self.p.setFont(report_font(7))
        self.p.setPen(QColor(GREY))
        self.p.drawText(QRectF(0, self.height - 12, self.width, 12), Qt.AlignLeft | Qt.AlignVCenter, self.footer)
        self.p.drawText(QRectF(0, self.height - 12, self.width, 12), Qt.AlignRight | Qt.AlignVCenter,
                        _t("page", self.lang, n=self.n))

    def heading(self, text: str, size: float = 11) -> None:
        self.need(size * 2.4 + 60)
        self.p.setFont(report_font(size, bold=True))
        self.p.setPen(QColor(INK))
        h = QFontMetricsF(self.p.font()).height()
        self.p.drawText(QRectF(0, self.y, self.width, h), Qt.AlignLeft | Qt.AlignVCenter, text)
        self.y += h + 4

    def finish(self) -> None:
        self._footer()
        self.p.end()


def _map_image(store, rep: MonthReport, w_pt: float, h_pt: float) -> tuple[QImage, list[tuple[str, str]]]:
    """The district map with each grid coloured by its 按期结案率 for the month (the console's
    choropleth), rendered at MAP_DPI; and the legend's entries (range, colour)."""
    from data import snapshot
    from data.indicators import group_keys, indicators_by
    from layers.basemap import StreetLayer, WaterLayer
    from layers.grids import ChoroplethLayer, CommunityLayer, GridLayer
    from layers.model import ViewState
    from layers.painters import painter_for, render_layers
    start, end = rep.overall.start, rep.overall.end
    grids = snapshot.load_grids(store, end)
    if rep.community:
        rows = [i for i, c in enumerate(grids.column("community")) if c == rep.community]
        grids = snapshot.FeatureTable(grids.geoms[rows], {k: [v[i] for i in rows] for k, v in grids.attrs.items()})
    layers = [WaterLayer(snapshot.load_water(store)), StreetLayer(snapshot.load_streets(store)),
              CommunityLayer(snapshot.community_outlines(grids)), ChoroplethLayer(grids), GridLayer(grids)]
    facts = rep.facts
    by_grid = indicators_by(facts, start, end, group_keys(facts, "grid"))
    choropleth = layers[3]
    choropleth.set_values({code: v["on_time_closure_rate"] for code, v in by_grid.items()})
    choropleth.set_visible(True)
    px_w, px_h = int(w_pt / 72 * MAP_DPI), int(h_pt / 72 * MAP_DPI)
    import shapely
    bounds = shapely.total_bounds(grids.geoms) if len(grids) else (0, 0, 1, 1)
    res = max((bounds[2] - bounds[0]) / (px_w * 0.94), (bounds[3] - bounds[1]) / (px_h * 0.94), 1e-6)
    view = ViewState((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, res, px_w, px_h)
    painters = {lyr.name: painter_for(lyr) for lyr in layers}
    image = QImage(px_w, px_h, QImage.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(int(MAP_DPI / 0.0254))
    image.setDotsPerMeterY(int(MAP_DPI / 0.0254))
    render_layers(image, layers, painters, view, labels=True)
    legend = [(e.label, e.style.fill) for e in choropleth.legend()]
    return image, legend


def _headline(pg: _Pages, rep: MonthReport) -> None:
    """Ten tiles: the figures a reader looks for first."""
    p, lang = pg.p, pg.lang
    cols, gap = 5, 6
    w = (pg.width - gap * (cols - 1)) / cols
    h = 44
    for k, code in enumerate(HEADLINE):
        x = (k % cols) * (w + gap)
        y = pg.y + (k // cols) * (h + gap)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor("#f2f5f8"))
        p.drawRoundedRect(QRectF(x, y, w, h), 3, 3)
        p.setPen(QColor(INK))
        p.setFont(report_font(15, bold=True))
        p.drawText(QRectF(x, y + 3, w, 24), Qt.AlignCenter, _fmt(code, rep.overall.overall[code]))
        p.setFont(report_font(7.5))
        p.setPen(QColor("#555555"))
        p.drawText(QRectF(x + 2, y + 26, w - 4, 16), Qt.AlignCenter, INDICATOR_NAMES[code].label(lang))
    pg.y += 2 * h + gap + 10


def _legend_row(pg: _Pages, entries: list[tuple[str, QColor | str]], x0: float = 0) -> None:
    p = pg.p
    p.setFont(report_font(7.5))
    fm = QFontMetricsF(p.font())
    x = x0
    for label, colour in entries:
        p.setPen(QPen(QColor("#666666"), 0.5))
        c = QColor(colour)
        p.setBrush(c)
        p.drawRect(QRectF(x, pg.y + 2, 10, 8))
        p.setPen(QColor(INK))
        p.drawText(QPointF(x + 13, pg.y + 9.5), label)
        x += 13 + fm.horizontalAdvance(label) + 10
    pg.y += 14


def _axes(p: QPainter, r: QRectF, ymax: float, percent: bool = False) -> None:
    """Horizontal gridlines and y labels (0, ½, max) inside `r`."""
    p.setFont(report_font(6.5))
    for frac in (0, 0.5, 1):
        y = r.bottom() - frac * r.height()
        p.setPen(QPen(QColor("#dddddd"), 0.5))
        p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        p.setPen(QColor("#555555"))
        v = ymax * frac
        text = f"{v:.0%}" if percent else (f"{v:.0f}" if v >= 10 or v == 0 else f"{v:.1f}")
        p.drawText(QRectF(r.left() - 30, y - 5, 27, 10), Qt.AlignRight | Qt.AlignVCenter, text)


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(v))
    for k in (1, 2, 2.5, 5, 10):
        if v <= k * step:
            return k * step
    return 10 * step


def _bars(pg: _Pages, title: str, labels: list[str], series: list[tuple[str, str, list[float]]], *,
          percent: bool = False, height: float = 130, ymax: float | None = None, every: int = 1) -> None:
    """A grouped bar chart across the page: one group per label, one bar per series."""
    p = pg.p
    pg.need(height + 40)
    pg.heading(title, 10)
    if len(series) > 1:
        _legend_row(pg, [(name, colour) for name, colour, _v in series], 34)
    r = QRectF(34, pg.y + 4, pg.width - 40, height - 30)
    top = ymax if ymax is not None else _nice_max(max([max(v) for _n, _c, v in series if v] + [0]))
    _axes(p, r, top, percent)
    n = max(1, len(labels))
    slot = r.width() / n
    bw = slot * 0.8 / max(1, len(series))
    p.setPen(Qt.NoPen)
    for k, (_name, colour, values) in enumerate(series):
        p.setBrush(QColor(colour))
        for i, v in enumerate(values):
            hgt = 0 if top == 0 else min(1.0, v / top) * r.height()
            p.drawRect(QRectF(r.left() + i * slot + slot * 0.1 + k * bw, r.bottom() - hgt, bw, hgt))
    p.setFont(report_font(6.5))
    p.setPen(QColor("#333333"))
    for i, label in enumerate(labels):
        if i % every:
            continue
        p.drawText(QRectF(r.left() + i * slot - 10, r.bottom() + 2, slot + 20, 10), Qt.AlignHCenter | Qt.AlignTop, label)
    pg.y = r.bottom() + 18


def _table(pg: _Pages, title: str, heads: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A table with a header row, continued on the next page (header repeated) when it runs over."""
    p = pg.p
    scale = pg.width / sum(widths)
    widths = [w * scale for w in widths]
    row_h, head_h = 12.5, 30

    def header(text: str) -> None:
        pg.heading(text, 10)
        p.setFont(report_font(7, bold=True))
        p.setPen(QColor(INK))
        p.setBrush(QColor("#e8edf2"))
        p.setPen(Qt.NoPen)
        p.drawRect(QRectF(0, pg.y, pg.width, head_h))
        p.setPen(QColor(INK))
        x = 0.0
        for w, h in zip(widths, heads):
            p.drawText(QRectF(x + 2, pg.y, w - 4, head_h), Qt.AlignCenter | Qt.TextWordWrap, h)
            x += w
        pg.y += head_h

    header(title)
    for k, row in enumerate(rows):
        if pg.y + row_h > pg.height - 18:
            pg.new_page()
            header(title + _t("continued", pg.lang))
        if k % 2:
            p.setPen(Qt.NoPen)
            p.setBrush(QColor("#f7f9fb"))
            p.drawRect(QRectF(0, pg.y, pg.width, row_h))
        p.setFont(report_font(7))
        p.setPen(QColor(INK))
        x = 0.0
        for c, (w, text) in enumerate(zip(widths, row)):
            align = (Qt.AlignLeft if c == 0 else Qt.AlignRight) | Qt.AlignVCenter
            p.drawText(QRectF(x + 3, pg.y, w - 6, row_h), align, text)
            x += w
        pg.y += row_h
    pg.y += 10


def write_month_pdf(store, rep: MonthReport, out: str | Path, *, lang: str = "zh_CN", made_by: str = "") -> Path:
    """The month's report as an A4 PDF at `out` (written whole, then moved into place). Needs a
    QGuiApplication (the command line makes an offscreen one)."""
    from PySide6.QtGui import QGuiApplication
    if QGuiApplication.instance() is None:
        import os
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from console.app import make_app
        make_app([])
    start, end = rep.overall.start, rep.overall.end
    scope = rep.community or _t("scope_all", lang)
    title = _t("title", lang, district=rep.district) + f" · {rep.month}"
    made = _t("made", lang, t=datetime.now(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"), who=made_by or "GridWatch")

    def save(path: str) -> None:
        writer = QPdfWriter(path)
        writer.setResolution(72)  # one device unit is one point
        writer.setTitle(title)
        writer.setCreator("GridWatch")
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                         QMarginsF(*(MARGIN_MM,) * 4), QPageLayout.Millimeter))
        pg = _Pages(writer, lang, f"{title} · {scope}")
        p = pg.p
        # Title block.
        p.setPen(QColor(INK))
        size = 16.0
        while size > 9 and QFontMetricsF(report_font(size, bold=True)).horizontalAdvance(title) > pg.width:
            size -= 0.5  # a long district name in an English title: smaller, never cut
        p.setFont(report_font(size, bold=True))
        p.drawText(QRectF(0, 0, pg.width, 24), Qt.AlignLeft | Qt.AlignVCenter, title)
        p.setFont(report_font(9))
        last_day = (end.astimezone(LOCAL_TZ) - timedelta(seconds=1)).date()
        p.drawText(QRectF(0, 26, pg.width, 14), Qt.AlignLeft | Qt.AlignVCenter,
                   f"{scope}　" + _t("period", lang, a=start.astimezone(LOCAL_TZ).date().isoformat(), b=last_day.isoformat()))
        p.setPen(QColor(GREY))
        p.drawText(QRectF(0, 26, pg.width, 14), Qt.AlignRight | Qt.AlignVCenter, made)
        pg.y = 48
        _headline(pg, rep)
        # The map.
        pg.heading(_t("map", lang), 10)
        map_h = min(pg.height - pg.y - 40, pg.width * 0.8)
        image, legend = _map_image(store, rep, pg.width, map_h)
        p.drawImage(QRectF(0, pg.y, pg.width, map_h), image)
        p.setPen(QPen(QColor("#bbbbbb"), 0.5))
        p.setBrush(Qt.NoBrush)
        p.drawRect(QRectF(0, pg.y, pg.width, map_h))
        pg.y += map_h + 4
        _legend_row(pg, legend + [(_t("no_value", lang), "#ffffff")])
        # Charts.
        pg.new_page()
        days = rep.days
        day_labels = [datetime.fromisoformat(d["from"]).astimezone(LOCAL_TZ).strftime("%d") for d in days]
        _bars(pg, _t("daily", lang), day_labels,
              [(_t("reported_series", lang), BLUE, [d["reported"] for d in days]),
               (_t("closed_series", lang), ORANGE, [d["closed"] for d in days])], height=150, every=2 if len(days) > 16 else 1)
        if "community" in rep.breakdowns:
            groups = rep.breakdowns["community"].groups
            names = [k.replace("社区", "") for k in groups]
            _bars(pg, _t("by_community", lang), names,
                  [(INDICATOR_NAMES["closure_rate"].label(lang), BLUE, [v["closure_rate"] or 0 for v in groups.values()]),
                   (INDICATOR_NAMES["on_time_closure_rate"].label(lang), ORANGE,
                    [v["on_time_closure_rate"] or 0 for v in groups.values()])], percent=True, ymax=1.0, height=150)
        bins = rep.overall.response_bins
        _bars(pg, _t("response", lang), [f"{b['from']}–{b['to']}" if b["to"] is not None else f"≥{b['from']}" for b in bins],
              [(_t("cases", lang), BLUE, [b["cases"] for b in bins])], height=130)
        stage_rows = [[STAGES[s].label(lang), f"{v['cases']}", _fmt("m", v["median_min"]), _fmt("m", v["p90_min"]),
                       _fmt("overdue_rate", v["overdue_rate"])] for s, v in rep.overall.stages.items()]
        _table(pg, _t("stages", lang), [_t(k, lang) for k in ("stage", "cases", "median", "p90", "overdue")], stage_rows,
               [3, 1.5, 1.8, 1.8, 1.5])
        # Tables by breakdown.
        heads = [_t("name", lang)] + [INDICATOR_NAMES[c].label(lang) for c in TABLE_CODES]
        widths = [2.6] + [1.25 if c.endswith("_min") else 1.0 for c in TABLE_CODES]
        pg.new_page()
        for by in ("community", "category", "source", "team", "dispatcher", "grid"):
            if by not in rep.breakdowns:
                continue
            rows = [[group_label(by, k, lang)] + [_fmt(c, v[c]) for c in TABLE_CODES]
                    for k, v in active_groups(rep.breakdowns[by].groups).items()]
            _table(pg, _t(by, lang), heads, rows, widths)
        # The patrol plans' coverage (data/patrol/report.py), by team, grid and key plan.
        if rep.patrol is not None and rep.patrol.windows:
            p_heads = [_t("name", lang)] + [_t(k, lang) for k in ("windows", "met", "met_rate", "mean_cov", "walked_km")]
            for by, zh_title, en_title in PATROL_BLOCKS:
                rows = [[name, str(g["windows"]), str(g["met"]), f"{g['met'] / g['windows']:.1%}" if g["windows"] else "—",
                         f"{g['pct']:.1f}%", f"{g['walked_m'] / 1000:.2f}"] for name, g in patrol_rows(rep, by)]
                if rows:
                    _table(pg, _t("patrol", lang) + " · " + (zh_title if lang.startswith("zh") else en_title), p_heads, rows,
                           [3, 1.2, 1.2, 1.2, 1.4, 1.4])
        pg.finish()

    return write_atomic(out, save)


