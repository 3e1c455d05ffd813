"""GridWatch planner plugin for QGIS. A thin classFactory that imports lazily (QGIS loads this at
start-up); Qt only through qgis.PyQt; GridWatch itself is reached through its command line, so the
plugin needs none of GridWatch's Python packages (and never puts GridWatch's `console` on QGIS's
import path, where QGIS has its own `console`)."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import GridWatchPlannerPlugin
    return GridWatchPlannerPlugin(iface)
