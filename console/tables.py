"""Filling item tables in one go (one home for it: the ledgers' and the hotspots' docks use it)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget


def pause(table: QTableWidget) -> tuple:
    """Before a table is filled: sorting and size-to-contents off, no repaints. With them on, every
    setItem re-sorts and re-measures its whole column: 856 mediation records took 36 s to show."""
    header = table.horizontalHeader()
    state = (table.isSortingEnabled(), [header.sectionResizeMode(c) for c in range(table.columnCount())])
    table.setSortingEnabled(False)
    table.setUpdatesEnabled(False)
    header.setSectionResizeMode(QHeaderView.Interactive)
    return state


def resume(table: QTableWidget, state: tuple) -> None:
    """After: the columns measured once, sorting as it was, repaints on."""
    sorting, modes = state
    header = table.horizontalHeader()
    for c, mode in enumerate(modes):
        header.setSectionResizeMode(c, mode)
    table.setSortingEnabled(sorting)
    table.setUpdatesEnabled(True)

