"""Controllers: each wires a part of the main window to the services in data/ (docs/ARCHITECTURE.md)."""
