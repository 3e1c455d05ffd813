"""GridWatch's PySide6 console: windows, docks, the map widget and the command line."""
