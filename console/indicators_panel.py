"""The supervisors' Indicators dock: a period, a breakdown and filters (community, category); the
indicators as a table (the same numbers `gridwatch indicators` prints) and as charts: rates by group,
the trend by week or month, the response-time histogram and the time in each stage. Computed off the
GUI thread (data/indicators.py) from case facts kept while no event is added, so a change of filter
or breakdown answers at once; refused, in the user's language, for roles that may not read them."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTabWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from console.messages import say
from console import tables, workers
from data.domain import CATEGORIES, LOCAL_TZ, SOURCES, STAGES, local_time
from data.indicators import INDICATOR_NAMES, INDICATORS, IndicatorReport, indicators
from data.messages import GridWatchError

log = logging.getLogger(__name__)


class _Done(QObject):
    done = Signal(object, object, object)  # IndicatorReport | None, (trend rows, MediationStats), error | None


def _plot(parent: QWidget, name: str) -> pg.PlotWidget:
    chart = pg.PlotWidget(parent)
    chart.setObjectName(name)
    chart.setBackground("w")
    chart.setMinimumHeight(160)
    chart.setMouseEnabled(False, False)
    chart.hideButtons()
    return chart


class IndicatorsPanel(QWidget):
    BREAKDOWN_KEYS = (None, "community", "grid", "category", "source", "team", "dispatcher")
    STEPS = ("week", "month")

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.report: IndicatorReport | None = None
        self.trend: list[dict] = []
        self._pending = False
        # The case facts of the last period end, kept while no event is added: changing the
        # breakdown then costs no reading of the store (the supervisor's filters answer at once).
        self._facts: tuple[object, object] | None = None
        self._thread: threading.Thread | None = None
        self._signals = _Done(self)
        self._signals.done.connect(self._on_done)
        self.start_edit, self.end_edit = QDateEdit(self), QDateEdit(self)
        for e in (self.start_edit, self.end_edit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd")
        today = local_time(window.clock()).date()
        self.start_edit.setDate(QDate(today.year, today.month, 1))
        self.end_edit.setDate(QDate(today.year, today.month, today.day))
        self.breakdown = QComboBox(self)
        self.breakdown.setObjectName("indicatorsBreakdown")
        self.community_filter = QComboBox(self)
        self.community_filter.setObjectName("indicatorsCommunity")
        self.category_filter = QComboBox(self)
        self.category_filter.setObjectName("indicatorsCategory")
        self.step = QComboBox(self)
        self.step.setObjectName("indicatorsStep")
        self._communities: list[str] = []
        try:
            from data.indicators import community_names
            self._communities = community_names(window.store)
        except Exception:  # the filter then offers the whole district only; the rest still works
            log.exception("reading the communities for the indicators' filter failed")
        # A new breakdown, filter or step is answered from the kept facts (no reading of the store).
        for combo in (self.breakdown, self.community_filter, self.category_filter, self.step):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.refresh_button = QPushButton(self, clicked=lambda: self.refresh())
        self.refresh_button.setObjectName("indicatorsRefresh")
        self.on_map = QCheckBox(self)
        self.on_map.setObjectName("indicatorsOnMap")
        self.on_map.toggled.connect(self._show_on_map)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        # The mediation ledger's own rates (data/ledgers/mediation), beside the cases' 结案率.
        self.mediation_line = QLabel(self)
        self.mediation_line.setObjectName("indicatorsMediation")
        self.mediation_line.setWordWrap(True)
        self.mediation = None
        # The patrol plans' coverage of the period (data/patrol/report.py), by team in its own tab.
        self.patrol_line = QLabel(self)
        self.patrol_line.setObjectName("indicatorsPatrol")
        self.patrol_line.setWordWrap(True)
        self.patrol = None  # (CoverageReport, team labels)
        self._patrol_key: tuple | None = None  # the period the coverage was measured for: measured again only if it moves
        self.patrol_tab = QWidget(self)
        self.patrol_by = QComboBox(self.patrol_tab)
        self.patrol_by.setObjectName("indicatorsPatrolBy")
        self.patrol_by.addItems(["", ""])
        self.patrol_by.currentIndexChanged.connect(lambda _i: self._show_patrol())
        self.patrol_table = QTableWidget(0, 5, self.patrol_tab)
        self.patrol_table.setObjectName("indicatorsPatrolTable")
        self.patrol_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.patrol_table.verticalHeader().setVisible(False)
        tab_lay = QVBoxLayout(self.patrol_tab)
        tab_lay.setContentsMargins(0, 2, 0, 0)
        tab_lay.addWidget(self.patrol_by)
        tab_lay.addWidget(self.patrol_table, 1)
        self.table = QTableWidget(0, 1, self)
        self.table.setObjectName("indicatorsTable")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.chart = _plot(self, "indicatorsChart")
        self.chart.setYRange(0, 1.25)  # room above the bars for the legend
        self.legend = self.chart.addLegend(offset=(6, 4), labelTextSize="8pt", colCount=2)
        self.trend_chart = _plot(self, "indicatorsTrend")
        self.trend_legend = self.trend_chart.addLegend(offset=(6, 4), labelTextSize="8pt", colCount=3)
        self.histogram = _plot(self, "indicatorsHistogram")
        self.stage_table = QTableWidget(0, 4, self)
        self.stage_table.setObjectName("indicatorsStages")
        self.stage_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.stage_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.charts = QTabWidget(self)
        self.charts.setObjectName("indicatorsCharts")
        self.charts.setDocumentMode(True)
        for w in (self.chart, self.trend_chart, self.histogram, self.stage_table, self.patrol_tab):
            self.charts.addTab(w, "")
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        top = QHBoxLayout()
        top.addWidget(self.start_edit)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.end_edit)
        top.addWidget(self.breakdown, 1)
        top.addWidget(self.refresh_button)
        filters = QHBoxLayout()
        filters.addWidget(self.community_filter, 1)
        filters.addWidget(self.category_filter, 1)
        filters.addWidget(self.step)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(filters)
        lay.addWidget(self.on_map)
        lay.addWidget(self.message)
        lay.addWidget(self.mediation_line)
        lay.addWidget(self.patrol_line)
        lay.addWidget(self.table, 2)
        lay.addWidget(self.charts, 2)
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.window.lang
        choices = {
            self.breakdown: [self.tr("Whole district"), self.tr("By community"), self.tr("By grid"), self.tr("By category"),
                             self.tr("By source"), self.tr("By team"), self.tr("By dispatcher")],
            self.community_filter: [self.tr("All communities")] + self._communities,
            self.category_filter: [self.tr("All categories")] + [t.label(lang) for t in CATEGORIES.values()],
            self.step: [self.tr("Week by week"), self.tr("Month by month")],
        }
        for combo, texts in choices.items():
            cur = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(texts)
            combo.setCurrentIndex(max(0, cur))
            combo.blockSignals(False)
        self.refresh_button.setText(self.tr("Compute"))
        for k, text in enumerate((self.tr("Rates"), self.tr("Trend"), self.tr("Response times"), self.tr("Time in stages"),
                                  self.tr("Patrol coverage"))):
            self.charts.setTabText(k, text)
        self.on_map.setText(self.tr("Show the on-time closure rate of each grid on the map"))
        self.patrol_by.setItemText(0, self.tr("By team"))
        self.patrol_by.setItemText(1, self.tr("By grid"))
        if self.report is not None:
            self._show(self.report)
            self._show_patrol()

    def where(self) -> dict[str, str]:
        """The filters chosen: a community's name, a category's code."""
        out = {}
        if self.community_filter.currentIndex() > 0:
            out["community"] = self._communities[self.community_filter.currentIndex() - 1]
        if self.category_filter.currentIndex() > 0:
            out["category"] = list(CATEGORIES)[self.category_filter.currentIndex() - 1]
        return out

    def _filters_changed(self) -> None:
        if self.report is not None:  # once computed, every choice follows at once
            self.refresh()

    def period(self) -> tuple[datetime, datetime]:
        """The chosen days in office time: from the first day's start to the day after the last."""
        a = self.start_edit.date().toPython()
        b = self.end_edit.date().toPython()
        return (datetime.combine(a, time(0), LOCAL_TZ), datetime.combine(b, time(0), LOCAL_TZ) + timedelta(days=1))

    def refresh(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._pending = True  # one computation at a time: the latest choices run when it is done
            return
        self._pending = False
        start, end = self.period()
        by = self.BREAKDOWN_KEYS[self.breakdown.currentIndex()]
        where = self.where()
        step = self.STEPS[self.step.currentIndex()]
        reader = self.window.dispatch.signed_in
        store = self.window.store
        now = self.window.clock()
        if end <= start:
            self.message.setText(self.tr("The period ends before it starts."))
            return
        self.message.setText(self.tr("Computing…"))

        def work():  # off the GUI thread; the result comes back through a signal
            try:
                from data.indicators import case_facts, events_version, keep, trend
                key = (end, events_version(store))
                if self._facts is None or self._facts[0] != key:
                    self._facts = (key, case_facts(store, until=end))
                facts = self._facts[1]
                report = indicators(store, start, end, by, reader=reader, facts=facts, where=where)
                from data.ledgers.mediation import mediation_stats
                mediation = mediation_stats(store, start.date(), end.date())
                # The plans' duty windows that ended in the period, up to now; measured once per period.
                patrol_key = (start, min(end, now))
                if self._patrol_key != patrol_key:
                    from data.patrol.report import coverage, team_labels
                    self.patrol = (coverage(store, *patrol_key), team_labels(store)) if patrol_key[1] > start else None
                    self._patrol_key = patrol_key
                self._signals.done.emit(report, (trend(keep(facts, where), start, end, step), mediation), None)
            except GridWatchError as exc:
                self._signals.done.emit(None, None, exc)
            except Exception as exc:  # never a silent thread: logged, and said
                log.exception("computing the indicators failed")
                self._signals.done.emit(None, None, f"{type(exc).__name__}: {exc}")

        self._thread = workers.start(work, "indicators")

    def wait(self, timeout: float = 30) -> bool:
        return workers.wait_for([self._thread], timeout, also=lambda: self._pending)

    def _on_done(self, report: IndicatorReport | None, extra, error) -> None:
        if self._pending:
            self._thread = None
            self.refresh()
            return
        if report is None:
            self.message.setText(say(error, self.window.lang))
            return
        self.report = report
        trend_rows, self.mediation = extra
        self.trend = trend_rows or []
        self.message.setText("")
        self._show(report)
        self._show_mediation()
        self._show_patrol()
        self._show_on_map(self.on_map.isChecked())

    def _show_mediation(self) -> None:
        st = self.mediation
        if st is None:
            self.mediation_line.setText("")
            return
        rate = lambda v: "—" if v is None else f"{v:.1%}"
        self.mediation_line.setText(self.tr("Mediation ledger: %1 concluded, success %2; recurrence %3 of %4 followed up; "
                                            "sweeps %5 of %6 done")
                                    .replace("%1", str(st.concluded)).replace("%2", rate(st.success_rate))
                                    .replace("%3", rate(st.recurrence_rate)).replace("%4", str(st.followed_up))
                                    .replace("%5", str(st.sweeps_done)).replace("%6", str(st.sweeps_planned)))

    def _show_patrol(self) -> None:
        """The plans' coverage of the period: one line of totals, and by team or grid in the Patrol coverage tab."""
        t = self.patrol_table
        by_grid = self.patrol_by.currentIndex() == 1
        t.setHorizontalHeaderLabels([self.tr("Grid") if by_grid else self.tr("Team"), self.tr("Duty windows"), self.tr("Met"), self.tr("Mean coverage"),
                                     self.tr("Walked km")])
        rep, labels = self.patrol or (None, {})
        ended = [w for w in rep.windows if not w.in_progress] if rep is not None else []
        if not ended:
            self.patrol_line.setText(self.tr("Patrol plans: no duty window ended in the period."))
            t.setRowCount(0)
            return
        met = sum(w.met for w in ended)
        worst = min(ended, key=lambda w: w.pct)
        self.patrol_line.setText(self.tr("Patrol plans: %1 duty windows ended, %2 met their target (%3); mean coverage %4; "
                                         "least covered %5 (%6)")
                                 .replace("%1", str(len(ended))).replace("%2", str(met))
                                 .replace("%3", f"{met / len(ended):.0%}")
                                 .replace("%4", f"{sum(w.pct for w in ended) / len(ended):.0f}%")
                                 .replace("%5", worst.plan_name).replace("%6", f"{worst.pct:.0f}%"))
        groups = rep.ranked("grid" if by_grid else "team", labels)
        state = tables.pause(t)
        t.setRowCount(len(groups))
        for r, (name, g) in enumerate(groups):
            for c, text in enumerate((name, str(g["windows"]), str(g["met"]), f"{g['pct']:.0f}%",
                                      f"{g['walked_m'] / 1000:.2f}")):
                t.setItem(r, c, QTableWidgetItem(text))
        tables.resume(t, state)

    def _show_on_map(self, on: bool) -> None:
        """The grid choropleth: 按期结案率 of each grid for the period computed (by grid, whatever the
        table's breakdown), or hidden."""
        layer = self.window.canvas.layer("choropleth")
        if layer is None:
            return
        if not on or self.report is None:
            self.window.canvas.set_layer_visible("choropleth", False)
            return
        from data.indicators import group_keys, indicators_by
        facts = self._facts[1] if self._facts is not None else None
        if facts is None:
            return
        from data.indicators import keep
        facts = keep(facts, self.report.where)
        by_grid = indicators_by(facts, self.report.start, self.report.end, group_keys(facts, "grid"))
        layer.set_values({code: v["on_time_closure_rate"] for code, v in by_grid.items()})
        self.window.canvas.set_layer_visible("choropleth", True)

    def _group_name(self, key: str) -> str:
        lang = self.window.lang
        by = self.report.by if self.report is not None else None
        for name, terms in (("category", CATEGORIES), ("source", SOURCES)):
            if by == name and key in terms:
                return terms[key].label(lang)
        if key == "—" and by in ("team", "dispatcher"):
            return self.tr("(not dispatched)")
        return key

    def _show(self, report: IndicatorReport) -> None:
        lang = self.window.lang
        cols = [(self.tr("Whole district"), report.overall)] + [(self._group_name(k), v) for k, v in report.groups.items()]
        self.table.setColumnCount(len(cols))
        self.table.setRowCount(len(INDICATORS))
        self.table.setHorizontalHeaderLabels([c[0] for c in cols])
        self.table.setVerticalHeaderLabels([INDICATOR_NAMES[code].label(lang) for code in INDICATORS])
        for c, (_name, values) in enumerate(cols):
            for r, code in enumerate(INDICATORS):
                v = values[code]
                text = "—" if v is None else (f"{v:.2%}" if code.endswith("_rate") else f"{v:g}")
                self.table.setItem(r, c, QTableWidgetItem(text))
        # Bars: closure and on-time closure rate of each group (or of the district).
        self.chart.clear()
        self.legend.clear()
        groups = cols[1:] or cols[:1]
        xs = list(range(len(groups)))
        rates = [g[1]["closure_rate"] or 0 for g in groups]
        on_time = [g[1]["on_time_closure_rate"] or 0 for g in groups]
        for offset, heights, colour, code in ((-0.18, rates, "#0072B2", "closure_rate"), (0.18, on_time, "#E69F00", "on_time_closure_rate")):
            bars = pg.BarGraphItem(x=[x + offset for x in xs], height=heights, width=0.34, brush=colour)
            self.chart.addItem(bars)
            self.legend.addItem(bars, INDICATOR_NAMES[code].label(lang))
        # Short tick names ("丰收", not "丰收社区"), and at most a dozen ticks: the bars say the rest.
        step = max(1, len(groups) // 12)
        self.chart.getAxis("bottom").setTicks([[(x, g[0].replace("社区", "")[:5]) for x, g in zip(xs, groups)][::step]])
        self.chart.setYRange(0, 1.25)  # room above the bars for the legend
        self._show_trend()
        self._show_histogram(report)
        self._show_stages(report)

    def _show_trend(self) -> None:
        """Reported, closed and due per week or month (counts), in the chosen filters."""
        lang = self.window.lang
        self.trend_chart.clear()
        self.trend_legend.clear()
        rows = self.trend
        xs = list(range(len(rows)))
        for code, colour in (("reported", "#0072B2"), ("closed", "#E69F00"), ("due", "#009E73")):
            line = self.trend_chart.plot(xs, [r[code] for r in rows], pen=pg.mkPen(colour, width=2), symbol="o",
                                         symbolSize=5, symbolBrush=colour, symbolPen=None)
            self.trend_legend.addItem(line, INDICATOR_NAMES[code].label(lang))
        step = max(1, -(-len(rows) // 5))  # at most five dates: the dock is narrow
        ticks = [(x, datetime.fromisoformat(r["from"]).astimezone(LOCAL_TZ).strftime("%m-%d")) for x, r in zip(xs, rows)]
        self.trend_chart.getAxis("bottom").setTicks([ticks[::step]])
        top = max([r[c] for r in rows for c in ("reported", "closed", "due")] + [1])
        self.trend_chart.setYRange(0, top * 1.3)  # room above the lines for the legend

    def _show_histogram(self, report: IndicatorReport) -> None:
        """Report → on scene: cases per bin of minutes."""
        self.histogram.clear()
        bins = report.response_bins
        xs = list(range(len(bins)))
        self.histogram.addItem(pg.BarGraphItem(x=xs, height=[b["cases"] for b in bins], width=0.8, brush="#0072B2"))
        labels = [f"{b['from']}–{b['to']}" if b["to"] is not None else f"≥{b['from']}" for b in bins]
        self.histogram.getAxis("bottom").setTicks([list(zip(xs, labels))])
        self.histogram.setLabel("bottom", self.tr("Report to on scene (minutes)"))
        self.histogram.setLabel("left", self.tr("Cases"))

    def _show_stages(self, report: IndicatorReport) -> None:
        lang = self.window.lang
        t = self.stage_table
        t.setRowCount(len(report.stages))
        t.setHorizontalHeaderLabels([self.tr("Closed cases"), self.tr("Median (min)"), self.tr("P90 (min)"),
                                     self.tr("Overdue rate")])
        t.setVerticalHeaderLabels([STAGES[s].label(lang) for s in report.stages])
        for r, v in enumerate(report.stages.values()):
            cells = [f"{v['cases']}", "—" if v["median_min"] is None else f"{v['median_min']:g}",
                     "—" if v["p90_min"] is None else f"{v['p90_min']:g}",
                     "—" if v["overdue_rate"] is None else f"{v['overdue_rate']:.2%}"]
            for c, text in enumerate(cells):
                t.setItem(r, c, QTableWidgetItem(text))
