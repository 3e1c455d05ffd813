"""Columns of the fixes table read by GDAL, in a process of their own.

GDAL (pyogrio's wheel) carries its own copy of SQLite. Two copies of SQLite in one process do not
see each other's locks, and when GDAL closes the file its copy believes it is the last connection:
it folds the WAL into the file and deletes the -wal and -shm files under the console's own open
connections, whose next writes then go to a deleted file (measured here: "disk I/O error" and
"database disk image is malformed" some minutes later; sqlite.org/howtocorrupt.html, 2.2.1). In a
process of its own, GDAL's SQLite and ours lock each other as two processes do, so the store is
only ever opened by GDAL here, in a child process (`python -m data.replay.fix_dump STORE AFTER OUT`).

The child writes id, team, ts (epoch seconds), lon and lat as .npy files into OUT; the parent
memory-maps them. GDAL is used at all because it hands back Arrow columns: millions of fixes with no
Python object per row (several times faster than the sqlite3 module's rows).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

COLUMNS = ("id", "team", "ts", "lon", "lat")


def _dump(store_path: str, after_id: int, out: Path) -> int:
    import pyogrio
    # id + 0 and lon + 0.0: computed columns come back as 64-bit integers and doubles even from stores
    # that declared narrower types; julianday turns the stored ISO text into epoch seconds in SQLite.
    sql = ("SELECT id + 0 AS fix_id, team_id, (julianday(t) - 2440587.5) * 86400.0 AS ts, lon + 0.0 AS lon, lat + 0.0 AS lat "
           f"FROM fixes WHERE id > {int(after_id)}")
    _meta, table = pyogrio.read_arrow(store_path, sql=sql, sql_dialect="SQLITE")
    col = lambda name: table.column(name).to_numpy()  # noqa: E731
    arrays = (col("fix_id").astype(np.int64), col("team_id").astype(np.int32), np.round(col("ts").astype(float), 3),
              col("lon").astype(float), col("lat").astype(float))
    for name, a in zip(COLUMNS, arrays):
        np.save(out / f"{name}.npy", a)
    return table.num_rows


def read_fixes_after(store_path: Path, after_id: int, timeout_s: float = 600.0):
    """(id, team, ts, lon, lat) of every fix with id > after_id, read by GDAL in a child process;
    None when the child could not read them (the caller reads them itself, more slowly)."""
    with tempfile.TemporaryDirectory(prefix="gridwatch-fixes-") as tmp:
        try:
            done = subprocess.run([sys.executable, "-m", "data.replay.fix_dump", str(store_path), str(int(after_id)), tmp],
                                  capture_output=True, text=True, timeout=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("reading fixes through GDAL in a child process failed: %s", exc)
            return None
        if done.returncode != 0:
            log.warning("reading fixes through GDAL in a child process failed (exit %s): %s", done.returncode,
                        done.stderr.strip()[-2000:])
            return None
        # Loaded into memory (not memory-mapped): the folder goes away when this block ends.
        return tuple(np.load(Path(tmp) / f"{name}.npy") for name in COLUMNS)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m data.replay.fix_dump STORE AFTER_ID OUT_DIR", file=sys.stderr)
        return 2
    _dump(args[0], int(args[1]), Path(args[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
