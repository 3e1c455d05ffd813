"""Replay mode: a window (or one incident) on a time slider under the map, with play and pause,
speeds from 1x to 600x, steps, a clock, and a pyqtgraph timeline of open cases and case events."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QVBoxLayout, QWidget)

from console.messages import say
from data.domain import LOCAL_TZ, STAGES
from data.replay.index import ReplayError, ReplayIndex, incident_timeline_csv, write_snapshot

TZ = LOCAL_TZ  # data.domain: the one home of the office time zone
SPEEDS = (1, 10, 60, 600)
STAGE_PENS = {"reported": "#e31a1c", "accepted": "#fb6a4a", "dispatched": "#ff7f00", "on_scene": "#ffbf00",
              "resolved": "#33a02c", "verified": "#1b9e77"}


class ReplayTrails:
    """Stands in for the live trails while replaying: segments come from the replay index at t."""

    def __init__(self, index: ReplayIndex, window: timedelta):
        self.index, self.window, self.t = index, window, index.start

    def segments(self, now):
        return self.index.trail_segments(self.t, self.window)

    def prune(self, now) -> None:
        """Nothing to prune: replay's trails are cut from the index at t."""

    def add(self, *a) -> None:
        """Live fixes do not reach replay's trails (they are recorded, and shown on leaving)."""


class _Built(QObject):
    done = Signal(object, object)  # index or None, error message


class OfficeTimeAxis(pg.DateAxisItem):
    """Times on the timeline in the office's time zone, written with digits only (pyqtgraph's own
    labels are English: "Fri 27", "Nov")."""

    def tickStrings(self, values, scale, spacing):
        fmt = "%m-%d" if spacing >= 86400 else "%H:%M" if spacing >= 60 else "%H:%M:%S"
        out = []
        for v in values:
            t = datetime.fromtimestamp(v, tz=timezone.utc).astimezone(LOCAL_TZ)
            # a day's first tick carries its date, so hours read against the right day
            out.append(t.strftime("%m-%d %H:%M") if fmt == "%H:%M" and t.hour == 0 and t.minute == 0 else t.strftime(fmt))
        return out


class ReplayPanel(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.index: ReplayIndex | None = None
        self.t: datetime | None = None
        self.incident_id: int | None = None
        self.playing = False
        self.start_edit = QDateTimeEdit(self)
        self.end_edit = QDateTimeEdit(self)
        for e in (self.start_edit, self.end_edit):
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
            e.setCalendarPopup(True)
        self.open_button = QPushButton(self, clicked=self.open_window)
        self.incident_button = QPushButton(self, clicked=self.open_incident)
        self.exit_button = QPushButton(self, clicked=self.exit_replay)
        self.play_button = QPushButton(self, clicked=self.toggle_play)
        self.back_button = QPushButton("◀", self, clicked=lambda: self.step(-1))
        self.fwd_button = QPushButton("▶", self, clicked=lambda: self.step(+1))
        self.speed = QComboBox(self)
        for s in SPEEDS:
            self.speed.addItem(f"{s}×", s)
        self.speed.setCurrentIndex(2)
        self.slider = QSlider(Qt.Horizontal, self)
        self.slider.setObjectName("replaySlider")
        self.slider.setRange(0, 10000)
        self.slider.valueChanged.connect(self._on_slider)
        self.clock = QLabel(self)
        self.clock.setObjectName("replayClock")
        self.message = QLabel(self)
        self.review = QLabel(self)
        self.review.setObjectName("incidentReview")
        self.review.setWordWrap(True)
        self.export_png = QPushButton(self, clicked=lambda: self.export("png"))
        self.export_geojson = QPushButton(self, clicked=lambda: self.export("geojson"))
        self.export_csv = QPushButton(self, clicked=lambda: self.export("csv"))
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("replayTimeline")
        self.plot.setBackground("w")
        self.plot.setMinimumHeight(180)  # readable: the stacked counts, the event ticks and the legend
        self.plot.setMaximumHeight(260)
        self.legend = self.plot.addLegend(offset=(6, 4), colCount=4, labelTextSize="8pt")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d62728", width=2))
        self.ticks = pg.ScatterPlotItem(size=7, pen=None, brush=pg.mkBrush("#444444"), symbol="t1")
        self.ticks.sigClicked.connect(self._tick_clicked)
        top = QHBoxLayout()
        for w in (self.start_edit, self.end_edit, self.open_button, self.incident_button, self.exit_button):
            top.addWidget(w)
        controls = QHBoxLayout()
        for w in (self.back_button, self.play_button, self.fwd_button, self.speed, self.clock):
            controls.addWidget(w)
        controls.addWidget(self.slider, 1)
        for w in (self.export_png, self.export_geojson, self.export_csv):
            controls.addWidget(w)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addLayout(top)
        lay.addLayout(controls)
        lay.addWidget(self.message)
        lay.addWidget(self.review)
        lay.addWidget(self.plot)
        self._timer = QTimer(self, interval=33)  # ~30 frames a second
        self._timer.timeout.connect(self._advance)
        self._last_tick: float | None = None
        self._built = _Built(self)
        self._built.done.connect(self._on_built)
        # The last hour in office time, by the console's clock (not the machine's zone, often UTC).
        now = QDateTime(self.window.clock().astimezone(TZ).replace(tzinfo=None, second=0, microsecond=0))
        self.end_edit.setDateTime(now)
        self.start_edit.setDateTime(now.addSecs(-3600))
        self.retranslate()
        self._enable(False)

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Replay this window"))
        self.incident_button.setText(self.tr("Replay the selected case"))
        self.exit_button.setText(self.tr("Back to live"))
        self.play_button.setText(self.tr("Pause") if self.playing else self.tr("Play"))
        self.export_png.setText(self.tr("Map PNG"))
        self.export_geojson.setText(self.tr("State GeoJSON"))
        self.export_csv.setText(self.tr("Case CSV"))
        self.plot.setLabel("left", self.tr("open cases"))

    def _enable(self, on: bool) -> None:
        for w in (self.play_button, self.back_button, self.fwd_button, self.speed, self.slider, self.exit_button,
                  self.export_png, self.export_geojson):
            w.setEnabled(on)
        self.export_csv.setEnabled(on and self.incident_id is not None)

    # --- opening ---------------------------------------------------------------------------------
    def open_window(self, start: datetime | None = None, end: datetime | None = None, incident_id: int | None = None) -> None:
        start = start or self.start_edit.dateTime().toPython().replace(tzinfo=TZ)
        end = end or self.end_edit.dateTime().toPython().replace(tzinfo=TZ)
        self.incident_id = incident_id
        self.message.setText(self.tr("Reading the window…"))
        store = self.window.store

        def build():  # off the GUI thread; the result comes back through a signal
            try:
                self._built.done.emit(ReplayIndex(store, start.astimezone(timezone.utc), end.astimezone(timezone.utc)), None)
            except ReplayError as exc:  # a coded refusal: said in the user's language
                self._built.done.emit(None, say(exc, self.window.lang))
            except Exception as exc:  # never a silent thread: logged with its traceback, and said
                logging.getLogger(__name__).exception("building the replay index failed")
                self._built.done.emit(None, f"{type(exc).__name__}: {exc}")

        self._pending = threading.Thread(target=build, daemon=True)
        self._pending.start()

    def open_incident(self) -> None:
        """From the case's report to its closure (or now), with a quarter of an hour either side."""
        iid = self.window.dispatch.current_case
        if iid is None:
            self.message.setText(self.tr("Select a case first"))
            return
        from data.cases.dispatch import case_timeline
        events = case_timeline(self.window.store, iid)
        if not events:
            return
        margin = timedelta(minutes=15)
        self.open_window(events[0].t - margin, events[-1].t + margin, incident_id=iid)

    def wait_built(self, timeout: float = 30) -> bool:
        from PySide6.QtCore import QCoreApplication
        import time
        end = time.monotonic() + timeout
        while getattr(self, "_pending", None) is not None and self._pending.is_alive() and time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        QCoreApplication.processEvents()
        return self.index is not None

    def _on_built(self, index: ReplayIndex | None, error: str | None) -> None:
        if error:
            self.message.setText(error)
            self.window.refuse(error)
            return
        self.index = index
        self.window.replay.enter(self)
        if index.is_empty():
            self.message.setText(self.tr("Nothing happened in this window: no positions and no case events"))
        else:
            self.message.setText(self.tr("Replaying %1 – %2").replace("%1", index.start.astimezone(TZ).strftime("%Y-%m-%d %H:%M"))
                                 .replace("%2", index.end.astimezone(TZ).strftime("%Y-%m-%d %H:%M")))
        self._draw_timeline()
        self._enable(True)
        self.seek(index.start)

    # --- time ------------------------------------------------------------------------------------
    def seek(self, t: datetime) -> None:
        idx = self.index
        if idx is None:
            return
        t = min(max(t, idx.start), idx.end)
        self.t = t
        span = (idx.end - idx.start).total_seconds()
        self.slider.blockSignals(True)
        self.slider.setValue(int(round((t - idx.start).total_seconds() / span * 10000)))
        self.slider.blockSignals(False)
        self.clock.setText(t.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S"))
        self.cursor.setValue(t.timestamp())
        self.window.replay.show_state(idx, t)

    def _on_slider(self, value: int) -> None:
        if self.index is not None:
            span = (self.index.end - self.index.start).total_seconds()
            self.seek(self.index.start + timedelta(seconds=span * value / 10000))

    def step(self, direction: int) -> None:
        if self.t is not None:
            self.seek(self.t + timedelta(seconds=direction * 10 * self.speed.currentData()))

    def toggle_play(self) -> None:
        self.playing = not self.playing
        import time
        self._last_tick = time.monotonic()
        self._timer.start() if self.playing else self._timer.stop()
        self.retranslate()

    def _advance(self) -> None:
        import time
        now = time.monotonic()
        dt = now - (self._last_tick or now)
        self._last_tick = now
        if self.t is None or self.index is None:
            return
        nxt = self.t + timedelta(seconds=dt * self.speed.currentData())
        if nxt >= self.index.end:
            nxt = self.index.end
            self.toggle_play()
        self.seek(nxt)

    # --- timeline --------------------------------------------------------------------------------
    def _draw_timeline(self) -> None:
        idx = self.index
        self.plot.clear()
        self.legend.clear()
        xs = np.linspace(idx.start.timestamp(), idx.end.timestamp(), 120)
        counts = idx.open_counts(xs)
        base = np.zeros(len(xs))
        for stage, ys in counts.items():
            self.plot.plot(xs, base + ys, pen=pg.mkPen(STAGE_PENS[stage], width=2), name=STAGES[stage].label(self.window.lang))
            base = base + ys
        ev = idx.e_t_window()
        self.ticks.setData(x=ev, y=np.zeros(len(ev)))
        self.plot.addItem(self.ticks)
        self.legend.addItem(self.ticks, self.tr("case events (click one to go there)"))
        if self.incident_id is not None:
            self._draw_bands()
            self._show_review()
        else:
            self.review.clear()
        self.plot.addItem(self.cursor)
        axis = OfficeTimeAxis(orientation="bottom")
        self.plot.setAxisItems({"bottom": axis})

    def _draw_bands(self) -> None:
        """The selected case's stages as bands, each red where it ran past its limit."""
        from data.cases.dispatch import case_row, case_timeline
        from data.cases.rules import moves_stage
        from data.domain import STAGE_LIMIT_MIN
        inc = case_row(self.window.store, self.incident_id)
        events = case_timeline(self.window.store, self.incident_id)
        # A stage runs from the event that starts it to the next one that does (the case rules:
        # a merged duplicate report does not restart it).
        starts = [e for k, e in enumerate(events) if k == 0 or moves_stage(e.action, e.from_stage, e.to_stage)]
        self.bands = []
        for e1, e2 in zip(starts, starts[1:]):
            limit = STAGE_LIMIT_MIN.get(inc.priority, {}).get(e1.to_stage)
            over = limit is not None and (e2.t - e1.t) > timedelta(minutes=limit)
            band = pg.LinearRegionItem(values=(e1.t.timestamp(), e2.t.timestamp()), movable=False,
                                       brush=pg.mkBrush(214, 39, 40, 60) if over else pg.mkBrush(31, 120, 180, 40))
            self.plot.addItem(band)
            self.bands.append((e1.to_stage, e1.t, e2.t, limit, over))

    def refresh_review(self) -> None:
        """The review of the case being replayed, again (after a change of language)."""
        if getattr(self, "incident_id", None) is not None and self.index is not None:
            self._show_review()

    def _show_review(self) -> None:
        """What was recommended then, who went, the path taken against the predicted route, and
        arrival against the ETA."""
        from data.replay.index import incident_review
        r = incident_review(self.window.store, self.incident_id)
        self.last_review = r
        parts = [self.tr("Recommended then: %1").replace("%1", ", ".join(
            self.tr("%1. %2 (%3 min)").replace("%1", str(rank)).replace("%2", name).replace("%3", f"{eta / 60:.1f}")
            if eta is not None else f"{rank}. {name}" for rank, name, eta in r.recommended)
            or self.tr("not recorded"))]
        if r.assigned and r.manual_reason:
            parts.append(self.tr("Assigned by hand: %1, because “%2”").replace("%1", r.assigned).replace("%2", r.manual_reason))
        elif r.assigned:
            parts.append(self.tr("Assigned: %1").replace("%1", r.assigned))
        if r.travel_s is not None:
            eta = f"{r.eta_s / 60:.1f}" if r.eta_s is not None else "—"
            parts.append(self.tr("arrived after %1 min (ETA %2 min)").replace("%1", f"{r.travel_s / 60:.1f}").replace("%2", eta))
        over = [self.tr("%1 %2/%3 min").replace("%1", STAGES[st].label(self.window.lang)).replace("%2", f"{mins:.0f}")
                .replace("%3", str(lim)) for st, mins, lim in r.stages if lim is not None and mins > lim]
        if over:
            parts.append(self.tr("over the limit: %1").replace("%1", ", ".join(over)))
        self.review.setText(" · ".join(parts))
        # The route predicted from where the team was when dispatched, against the path it took.
        route = self.window.canvas.layer("route")
        if route is not None and r.start_xy is not None:
            from data.cases.dispatch import case_row
            inc = case_row(self.window.store, self.incident_id)
            g = self.window.dispatch.recommender().graph
            x, y = self.window.projection.lonlat_to_xy(inc.lon, inc.lat)
            route.set_path(g.route_between(*r.start_xy, float(x), float(y), r.transport or "car"))

    def _tick_clicked(self, _item, points, *_) -> None:
        if len(points):
            self.seek(datetime.fromtimestamp(points[0].pos().x(), tz=timezone.utc))

    # --- leaving and exporting -------------------------------------------------------------------
    def exit_replay(self) -> None:
        if self.playing:
            self.toggle_play()
        self.index = None
        self.t = None
        self._enable(False)
        self.message.setText("")
        self.window.replay.leave()

    def export(self, kind: str, path: str | None = None) -> str | None:
        if self.index is None or self.t is None:
            return None
        stamp = self.t.astimezone(TZ).strftime("%Y%m%d-%H%M%S")
        filters = {"png": "PNG (*.png)", "geojson": "GeoJSON (*.geojson)", "csv": "CSV (*.csv)"}
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), f"gridwatch-{stamp}.{kind}", filters[kind])
            if not path:
                return None
        if kind == "png":
            self.window.canvas.grab().save(path, "PNG")
        elif kind == "geojson":
            write_snapshot(self.window.store, self.t, path)
        elif kind == "csv" and self.incident_id is not None:
            from pathlib import Path
            Path(path).write_text(incident_timeline_csv(self.window.store, self.incident_id), encoding="utf-8")
        self.message.setText(self.tr("Exported %1").replace("%1", path))
        return path
