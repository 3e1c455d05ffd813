"""The PyQGIS side of GridWatch. Runs only in QGIS's own Python (Qt 5), never in the console's
process: the console starts it as a subprocess and talks to it through files. Nothing here imports
`console` or `data` (QGIS's Python has neither our SQLAlchemy nor our PySide6); styles come from
layers.style, the same definitions the console draws with."""
