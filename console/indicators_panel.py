"""The supervisors' Indicators dock: a period and a breakdown, the indicators as a table (the same
numbers `gridwatch indicators` prints) and the closure rates as bars. Computed off the GUI thread
(data/indicators.py); refused, in the user's language, for roles that may not read indicators."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from console.messages import say
from data.domain import CATEGORIES, LOCAL_TZ, SOURCES, local_time
from data.indicators import INDICATOR_NAMES, INDICATORS, IndicatorReport, indicators
from data.messages import GridWatchError

log = logging.getLogger(__name__)


class _Done(QObject):
    done = Signal(object, object)  # IndicatorReport | None, error text | None


class IndicatorsPanel(QWidget):
    BREAKDOWN_KEYS = (None, "community", "grid", "category", "source")

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.report: IndicatorReport | None = None
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
        self.refresh_button = QPushButton(self, clicked=lambda: self.refresh())
        self.refresh_button.setObjectName("indicatorsRefresh")
        self.on_map = QCheckBox(self)
        self.on_map.setObjectName("indicatorsOnMap")
        self.on_map.toggled.connect(self._show_on_map)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, 1, self)
        self.table.setObjectName("indicatorsTable")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.chart = pg.PlotWidget(self)
        self.chart.setObjectName("indicatorsChart")
        self.chart.setBackground("w")
        self.chart.setMinimumHeight(160)
        self.chart.setMouseEnabled(False, False)
        self.chart.setYRange(0, 1.25)  # room above the bars for the legend
        self.legend = self.chart.addLegend(offset=(6, 4), labelTextSize="8pt", colCount=2)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        top = QHBoxLayout()
        top.addWidget(self.start_edit)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.end_edit)
        top.addWidget(self.breakdown, 1)
        top.addWidget(self.refresh_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.on_map)
        lay.addWidget(self.message)
        lay.addWidget(self.table, 2)
        lay.addWidget(self.chart, 1)
        self.retranslate()

    def retranslate(self) -> None:
        cur = self.breakdown.currentIndex()
        self.breakdown.blockSignals(True)
        self.breakdown.clear()
        for text in (self.tr("Whole district"), self.tr("By community"), self.tr("By grid"), self.tr("By category"),
                     self.tr("By source")):
            self.breakdown.addItem(text)
        self.breakdown.setCurrentIndex(max(0, cur))
        self.breakdown.blockSignals(False)
        self.refresh_button.setText(self.tr("Compute"))
        self.on_map.setText(self.tr("Show the on-time closure rate of each grid on the map"))
        if self.report is not None:
            self._show(self.report)

    def period(self) -> tuple[datetime, datetime]:
        """The chosen days in office time: from the first day's start to the day after the last."""
        a = self.start_edit.date().toPython()
        b = self.end_edit.date().toPython()
        return (datetime.combine(a, time(0), LOCAL_TZ), datetime.combine(b, time(0), LOCAL_TZ) + timedelta(days=1))

    def refresh(self) -> None:
        start, end = self.period()
        by = self.BREAKDOWN_KEYS[self.breakdown.currentIndex()]
        reader = self.window.dispatch.signed_in
        store = self.window.store
        if end <= start:
            self.message.setText(self.tr("The period ends before it starts."))
            return
        self.message.setText(self.tr("Computing…"))

        def work():  # off the GUI thread; the result comes back through a signal
            try:
                from data.indicators import case_facts, events_version
                key = (end, events_version(store))
                if self._facts is None or self._facts[0] != key:
                    self._facts = (key, case_facts(store, until=end))
                self._signals.done.emit(indicators(store, start, end, by, reader=reader, facts=self._facts[1]), None)
            except GridWatchError as exc:
                self._signals.done.emit(None, exc)
            except Exception as exc:  # never a silent thread: logged, and said
                log.exception("computing the indicators failed")
                self._signals.done.emit(None, f"{type(exc).__name__}: {exc}")

        self._thread = threading.Thread(target=work, name="indicators", daemon=True)
        self._thread.start()

    def wait(self, timeout: float = 30) -> bool:
        import time as _t
        from PySide6.QtCore import QCoreApplication
        end = _t.monotonic() + timeout
        while self._thread is not None and self._thread.is_alive() and _t.monotonic() < end:
            QCoreApplication.processEvents()
            _t.sleep(0.01)
        QCoreApplication.processEvents()
        return self._thread is None or not self._thread.is_alive()

    def _on_done(self, report: IndicatorReport | None, error) -> None:
        if report is None:
            self.message.setText(say(error, self.window.lang))
            return
        self.report = report
        self.message.setText("")
        self._show(report)
        self._show_on_map(self.on_map.isChecked())

    def _show_on_map(self, on: bool) -> None:
        """The grid choropleth: 按期结案率 of each grid for the period computed (by grid, whatever the
        table's breakdown), or hidden."""
        layer = self.window.canvas.layer("choropleth")
        if layer is None:
            return
        if not on or self.report is None:
            self.window.canvas.set_layer_visible("choropleth", False)
            return
        from data.indicators import indicators_by
        facts = self._facts[1] if self._facts is not None else None
        if facts is None:
            return
        by_grid = indicators_by(facts, self.report.start, self.report.end, facts["grid"].fillna("—").astype(str))
        layer.set_values({code: v["on_time_closure_rate"] for code, v in by_grid.items()})
        self.window.canvas.set_layer_visible("choropleth", True)

    def _group_name(self, key: str) -> str:
        lang = self.window.lang
        for terms in (CATEGORIES, SOURCES):
            if self.report is not None and self.report.by in ("category", "source") and key in terms:
                return terms[key].label(lang)
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
