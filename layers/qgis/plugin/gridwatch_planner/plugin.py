"""The plugin's dock: choose a store, open its draft for editing, validate, publish."""

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (QAction, QDockWidget, QFileDialog, QInputDialog, QLabel, QLineEdit, QListWidget,
                                 QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget)

from .core import GridWatchError, PlannerCore


class PlannerDock(QDockWidget):
    def __init__(self, iface, parent=None):
        super().__init__("GridWatch 网格规划", parent)
        self.iface = iface
        self.core = None
        self.draft_path = None
        self.layer = None
        body = QWidget(self)
        lay = QVBoxLayout(body)
        self.store_label = QLabel("未选择数据库 / no store", body)
        self.choose = QPushButton("选择 GridWatch 数据库… / Choose store…", body)
        self.open = QPushButton("打开网格草稿 / Open the draft grid set", body)
        self.check = QPushButton("校验 / Validate", body)
        self.problems = QListWidget(body)
        self.publish = QPushButton("发布新版本 / Publish through GridWatch", body)
        for w in (self.store_label, self.choose, self.open, self.check, self.problems, self.publish):
            lay.addWidget(w)
        self.setWidget(body)
        self.choose.clicked.connect(self.choose_store)
        self.open.clicked.connect(self.open_draft)
        self.check.clicked.connect(self.validate)
        self.problems.itemClicked.connect(self.zoom_to)
        self.publish.clicked.connect(self.do_publish)

    def set_store(self, path):
        self.core = PlannerCore(path)
        self.store_label.setText(path)

    def choose_store(self):
        path, _ = QFileDialog.getOpenFileName(self, "GridWatch", "", "GeoPackage (*.gpkg)")
        if path:
            self.set_store(path)

    def ask_sign_in(self):
        """The planner's GridWatch account, asked once per session: drafts and publishing are theirs."""
        if self.core is None or self.core.signed_in:
            return True
        user, ok = QInputDialog.getText(self, "GridWatch", "用户名 / user name")
        if not ok or not user:
            return False
        password, ok = QInputDialog.getText(self, "GridWatch", "密码 / password", QLineEdit.Password)
        if not ok:
            return False
        self.core.sign_in_as(user, password)
        return True

    def open_draft(self):
        if not self.ask_sign_in():
            return None
        try:
            self.draft_path = self.core.export_draft()
        except (GridWatchError, AttributeError) as exc:
            QMessageBox.warning(self, "GridWatch", str(exc) or "choose a store first")
            return None
        self.layer = QgsVectorLayer(f"{self.draft_path}|layername=grids", "网格草稿 draft", "ogr")
        QgsProject.instance().addMapLayer(self.layer)
        return self.layer

    def validate(self):
        self.problems.clear()
        if self.layer is not None and self.layer.isEditable():
            self.layer.commitChanges()
        try:
            found = self.core.validate(self.draft_path)
        except GridWatchError as exc:
            QMessageBox.warning(self, "GridWatch", str(exc))
            return []
        for p in found:
            item = QListWidgetItem(f"{p['kind']}: {', '.join(p['grids'])}: {p['detail']}")
            item.setData(Qt.UserRole, (p["lon"], p["lat"]))
            self.problems.addItem(item)
        if not found:
            self.problems.addItem("没有问题 / no problems")
        return found

    def zoom_to(self, item):
        lonlat = item.data(Qt.UserRole)
        if not lonlat or self.iface is None or self.iface.mapCanvas() is None:
            return
        canvas = self.iface.mapCanvas()
        tr = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4490"), canvas.mapSettings().destinationCrs(),
                                    QgsProject.instance())
        canvas.setCenter(tr.transform(QgsPointXY(*lonlat)))
        canvas.zoomScale(2000)
        canvas.refresh()

    def do_publish(self):
        if not self.ask_sign_in():
            return
        if self.validate():
            QMessageBox.warning(self, "GridWatch", "校验未通过，不能发布 / fix the problems before publishing")
            return
        try:
            report = self.core.publish(self.draft_path)
        except GridWatchError as exc:
            QMessageBox.warning(self, "GridWatch", str(exc))
            return
        QMessageBox.information(self, "GridWatch", report)


class GridWatchPlannerPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.action = None
        self.dock = None

    def initGui(self):  # noqa: N802 (QGIS's name)
        self.action = QAction("GridWatch 网格规划", self.iface.mainWindow())
        self.action.triggered.connect(self.show)
        self.iface.addPluginToVectorMenu("GridWatch", self.action)
        self.iface.addToolBarIcon(self.action)

    def show(self):
        if self.dock is None:
            self.dock = PlannerDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.dock.show()

    def unload(self):
        self.iface.removePluginVectorMenu("GridWatch", self.action)
        self.iface.removeToolBarIcon(self.action)
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
