"""GridWatch's Qt-free core: store, domain, demo district.

Nothing in this package imports Qt, pyqtgraph or QGIS (an import-linter contract in setup.cfg
proves it), so the console, headless feeds and the QGIS plugin all share it.
"""

__version__ = "0.1.0"
