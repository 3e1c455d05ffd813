"""File → Report…: a month's report for the district or one community, as a PDF (A4, map and charts)
or a workbook, the same files `gridwatch report` writes. Written on a Python thread; the dialog says
when it is done, or why not (a role that may not read indicators, a file that cannot be written)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from console.messages import say
from console import workers
from data.domain import local_time
from data.messages import GridWatchError

log = logging.getLogger(__name__)


class _Done(QObject):
    done = Signal(object, object)  # written path | None, error | None


class ReportDialog(QDialog):
    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setObjectName("reportDialog")
        self.window = window
        self._thread: threading.Thread | None = None
        self.written: Path | None = None
        self._signals = _Done(self)
        self._signals.done.connect(self._on_done)
        today = local_time(window.clock()).date()
        last_month = QDate(today.year, today.month, 1).addMonths(-1)
        self.month = QDateEdit(last_month, self)
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.community = QComboBox(self)
        self._communities: list[str] = []
        try:
            from data.indicators import community_names
            self._communities = community_names(window.store)
        except Exception:
            log.exception("reading the communities for the report dialog failed")
        self.kind = QComboBox(self)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.path = QLineEdit(self)
        self.path.setObjectName("reportPath")
        self.browse = QPushButton(self, clicked=self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self.labels, (self.month, self.community, self.kind, row)):
            self.form.addRow(label, field)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("reportMessage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Close, self)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.retranslate()
        self._kind_changed()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Monthly report"))
        labels = (self.tr("Month"), self.tr("For"), self.tr("Format"), self.tr("File"))
        for label, text in zip(self.labels, labels):
            label.setText(text)
        cur = self.community.currentIndex()
        self.community.clear()
        self.community.addItems([self.tr("The whole district")] + self._communities)
        self.community.setCurrentIndex(max(0, cur))
        cur = self.kind.currentIndex()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItems([self.tr("PDF for printing (A4, map and charts)"), self.tr("Workbook (XLSX, numbers and formulas)")])
        self.kind.setCurrentIndex(max(0, cur))
        self.kind.blockSignals(False)
        self.browse.setText(self.tr("Choose…"))
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Write report"))

    def suffix(self) -> str:
        return ".pdf" if self.kind.currentIndex() == 0 else ".xlsx"

    def _kind_changed(self) -> None:
        text = self.path.text().strip()
        month = self.month.date().toString("yyyy-MM")
        if not text:
            base = Path.home() / f"gridwatch-{month}"
        else:
            base = Path(text).with_suffix("")
        self.path.setText(str(base) + self.suffix())

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Write the report to"), self.path.text(),
                                              self.tr("PDF (*.pdf)") if self.suffix() == ".pdf" else self.tr("Workbook (*.xlsx)"))
        if name:
            self.path.setText(name)

    def write(self) -> None:
        path = Path(self.path.text().strip())
        if path.suffix.lower() not in (".pdf", ".xlsx"):
            path = path.with_suffix(self.suffix())
            self.path.setText(str(path))
        month = self.month.date().toString("yyyy-MM")
        community = self._communities[self.community.currentIndex() - 1] if self.community.currentIndex() > 0 else None
        reader = self.window.dispatch.signed_in
        store, lang = self.window.store, self.window.lang
        now = self.window.clock()  # the patrol windows of the month so far, as the console's clock has it
        self.message.setText(self.tr("Writing the report…"))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)

        def work():
            try:
                from data.reports import month_report, write_month_xlsx
                rep = month_report(store, month, reader=reader, community=community, now=now)
                if path.suffix.lower() == ".xlsx":
                    out = write_month_xlsx(store, month, path, reader=reader, lang=lang, report=rep)
                else:
                    from console.report_pdf import write_month_pdf
                    out = write_month_pdf(store, rep, path, lang=lang, made_by=getattr(reader, "name", ""))
                self._signals.done.emit(out, None)
            except GridWatchError as exc:
                self._signals.done.emit(None, exc)
            except OSError as exc:
                self._signals.done.emit(None, self.tr("Could not write {path}: {why}").format(path=path, why=exc.strerror or exc))
            except Exception as exc:  # logged and said, never a silent thread
                log.exception("writing the report failed")
                self._signals.done.emit(None, f"{type(exc).__name__}: {exc}")

        self._thread = workers.start(work, "report")

    def wait(self, timeout: float = 60) -> bool:
        return workers.wait_for([self._thread], timeout)

    def _on_done(self, out: Path | None, error) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(True)
        if out is None:
            self.message.setText(error if isinstance(error, str) else say(error, self.window.lang))
            return
        self.written = out
        self.message.setText(self.tr("Written to {path}").format(path=out))
        self.window.statusBar().showMessage(self.tr("Report written to {path}").format(path=out), 10000)
