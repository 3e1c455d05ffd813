"""Run by QGIS's Python: open a project and report each layer's validity and feature count."""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsProject  # noqa: E402


def check(path):
    project = QgsProject.instance()
    if not project.read(path):
        raise SystemExit(f"cannot read {path}")
    out = {lyr.name(): [lyr.isValid(), lyr.featureCount(), lyr.providerType()] for lyr in project.mapLayers().values()}
    project.clear()
    return out


app = QgsApplication([], False)
app.initQgis()
try:
    result = check(sys.argv[1])
finally:
    QgsProject.instance().clear()  # layers must go before exitQgis(), or the script segfaults at exit
    app.exitQgis()
print(json.dumps(result, ensure_ascii=False), flush=True)
