"""Run by QGIS's Python: load the planner plugin with a stand-in iface, open the store's draft,
make a planner's mistake in QGIS (shift one grid 25 m), and report what the plugin's validation finds.
Arguments: PLUGIN_PARENT_DIR STORE GRIDWATCH_COMMAND_JSON"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsGeometry, QgsProject  # noqa: E402
from qgis.PyQt.QtWidgets import QMainWindow  # noqa: E402


class FakeIface:
    def __init__(self):
        self.window = QMainWindow()
        self.docks = []

    def mainWindow(self):  # noqa: N802
        return self.window

    def mapCanvas(self):  # noqa: N802
        return None

    def addPluginToVectorMenu(self, *a):  # noqa: N802
        pass

    def removePluginVectorMenu(self, *a):  # noqa: N802
        pass

    def addToolBarIcon(self, *a):  # noqa: N802
        pass

    def removeToolBarIcon(self, *a):  # noqa: N802
        pass

    def addDockWidget(self, area, dock):  # noqa: N802
        self.docks.append(dock)

    def removeDockWidget(self, dock):  # noqa: N802
        self.docks.remove(dock)


def run(plugin_parent, store, command):
    sys.path.insert(0, plugin_parent)
    import gridwatch_planner
    assert "console" not in sys.modules or "gridwatch" not in str(getattr(sys.modules["console"], "__file__", ""))
    iface = FakeIface()
    plugin = gridwatch_planner.classFactory(iface)
    plugin.initGui()
    plugin.show()
    dock = plugin.dock
    dock.set_store(store)
    dock.core.command = command
    dock.core.sign_in_as("冉小东", "gridwatch")  # a demo planner (README, "Accounts"), as the dialog would ask
    layer = dock.open_draft()
    report = {"layer_valid": layer.isValid(), "features": layer.featureCount()}
    report["clean"] = dock.validate()
    # A planner drags one grid 25 m east: a gap opens behind it and it overlaps its neighbour.
    layer.startEditing()
    feat = next(layer.getFeatures())
    geom = QgsGeometry(feat.geometry())
    geom.translate(0.00026, 0.0)  # about 25 m at 30.8°N in EPSG:4490 degrees
    layer.changeGeometry(feat.id(), geom)
    layer.commitChanges()
    report["problems"] = dock.validate()
    report["listed"] = dock.problems.count()
    QgsProject.instance().removeAllMapLayers()
    plugin.unload()
    return report


app = QgsApplication([], True)
app.initQgis()
try:
    result = run(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
finally:
    QgsProject.instance().clear()
    app.exitQgis()
print(json.dumps(result, ensure_ascii=False), flush=True)
