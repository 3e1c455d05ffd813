"""A columnar cache of the per-case facts the indicators are computed from (data/indicators.py).

Case events are append-only and incidents never change once written, so the facts of a case change
only when an event is added to it. The cache keeps the facts of every case (Arrow files, read back in
milliseconds) with the newest event and incident it has seen; bringing it up to date reads only the
events added since and recomputes only the cases they touched. A year of a million cases then costs
reading the cache, not five million events (tests/benchmarks/indicators.py measures both).

The cache is derived data and never the truth: it lives outside the store (the user's cache
directory, or GRIDWATCH_CACHE_DIR), is checked against the store before use (the store's creation stamp and the event it stopped at must
be the same) and is rebuilt from the events when anything disagrees. It is written a moment later on
a thread of its own, or when the process exits (the reader does not wait), each file to a temporary
name and moved into place, its meta last, so a crash leaves the previous cache or none.

This is written here rather than taken from a library: incremental materialisation of an
append-only log keyed by our own watermark is specific to the store's schema.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
from sqlalchemy import func, select

from data.store import models as m
from data.cachedir import user_cache_dir
from data.store.core import Store

log = logging.getLogger(__name__)

FORMAT = 5  # bump when the facts' columns change: older caches are rebuilt
# (nthreads=1 in the writes: pyarrow's own thread pool is closed when the process exits, and the
# last write may happen then.)
# Past this many touched cases an update reads everything again (one scan beats long IN lists).
REBUILD_ABOVE = 50_000
_lock = threading.Lock()
_memory: dict[str, tuple[dict, pd.DataFrame, pd.DataFrame]] = {}


def cache_dir() -> Path:
    return user_cache_dir() / "facts"


def _signature(store: Store, event_id: int) -> str:
    """The store's identity (when it was created) and the event at `event_id` (its case, action, time)."""
    E = m.CaseEvent
    with store.session() as s:
        row = s.execute(select(E.incident_id, E.action, E.t).where(E.id == event_id)).first()
    return f"{store.meta.get('created_at', '')}|" + (f"{row[0]}|{row[1]}|{row[2].isoformat()}" if row else "")


def _margin(store: Store) -> int:
    """Ids below the watermark to look at again. On PostgreSQL ids come from sequences when rows are
    written, and transactions commit out of order: an event with a lower id can become visible after
    the cache saw a higher one. SQLite has one writer at a time, so ids are commit order there."""
    return 1000 if store.engine.dialect.name == "postgresql" else 0


def _watermark(store: Store) -> dict:
    """Where the store stands: its newest event and incident, how many events lie in the re-read
    margin below it (a late commit there changes the count), and who it is (primary keys only:
    cheap on millions of rows)."""
    margin = _margin(store)
    with store.session() as s:
        ev_max = s.scalar(select(func.max(m.CaseEvent.id))) or 0
        inc_max = s.scalar(select(func.max(m.Incident.id))) or 0
        recent = s.scalar(select(func.count()).select_from(m.CaseEvent).where(m.CaseEvent.id > ev_max - margin)) \
            if margin else 0
    return {"format": FORMAT, "events": ev_max, "incidents": inc_max, "recent": recent,
            "signature": _signature(store, ev_max)}


def _still_prefix(store: Store, meta: dict) -> bool:
    """Whether the store still holds what the cache saw: the same store (created at the same moment)
    with the same event at the cache's watermark (a replaced or restored file fails this)."""
    return meta.get("format") == FORMAT and _signature(store, meta["events"]) == meta["signature"]


def _files(identity: str) -> tuple[Path, Path, Path]:
    d = cache_dir() / hashlib.sha256(identity.encode()).hexdigest()[:20]
    return d / "facts.arrow", d / "pauses.arrow", d / "meta.json"


def _write_atomic(path: Path, write: Callable[[str], None]) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.{threading.get_ident()}.part")
    try:
        write(str(tmp))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


_save_lock = threading.Lock()  # one writer at a time: a meta file always describes the files beside it


_pending: dict[str, tuple[dict, pd.DataFrame, pd.DataFrame]] = {}
SAVE_DELAY_S = 2.0


def _save_later(identity: str, meta: dict, facts: pd.DataFrame, pauses: pd.DataFrame) -> None:
    """Write the cache a moment later on a thread of its own, so the caller computes its answer
    without sharing the interpreter with a million rows being converted; whatever is still pending
    when the process exits is written then (atexit). A newer version replaces a pending one."""
    with _save_lock:
        _pending[identity] = (meta, facts, pauses)
    timer = threading.Timer(SAVE_DELAY_S, _flush, args=(identity,))
    timer.daemon = True
    timer.name = "facts-cache-save"
    timer.start()


def _flush(identity: str) -> None:
    with _save_lock:
        held = _pending.pop(identity, None)
        if held is not None:
            _write(identity, *held)


@atexit.register
def _flush_all() -> None:
    for identity in list(_pending):
        _flush(identity)


def _write(identity: str, meta: dict, facts: pd.DataFrame, pauses: pd.DataFrame) -> None:
    f, p, j = _files(identity)
    try:
        f.parent.mkdir(parents=True, exist_ok=True)
        # meta.json is written last: a cache whose meta names other files' contents is never read.
        if j.exists():
            j.unlink()
        _write_atomic(f, lambda t: feather.write_feather(pa.Table.from_pandas(facts, preserve_index=True, nthreads=1), t))
        _write_atomic(p, lambda t: feather.write_feather(pa.Table.from_pandas(pauses, preserve_index=False, nthreads=1), t))
        _write_atomic(j, lambda t: Path(t).write_text(json.dumps(meta)))
    except (OSError, pa.ArrowException, RuntimeError) as exc:  # a cache not written only costs time next run
        log.warning("could not write the indicators cache in %s: %s", f.parent, exc)


def _load(identity: str) -> tuple[dict, pd.DataFrame, pd.DataFrame] | None:
    f, p, j = _files(identity)
    try:
        meta = json.loads(j.read_text())
        return meta, feather.read_table(f).to_pandas(), feather.read_table(p).to_pandas()
    except FileNotFoundError:
        return None
    except (OSError, ValueError, pa.ArrowException) as exc:
        log.warning("ignoring an unreadable indicators cache in %s: %s", f.parent, exc)
        return None


def merge_rows(facts: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`facts` with the rows of `new` in place of those with the same id, and new ids appended. Rows
    are replaced column by column in copies of the arrays (the cached frame is shared and never
    changed): a thousand touched cases of a million cost milliseconds, not a rebuild of the frame."""
    new = new.reindex(columns=facts.columns)
    pos = facts.index.get_indexer(new.index)
    old = pos >= 0
    columns = {}
    for col in facts.columns:
        a, b = facts[col], new[col]
        if isinstance(a.dtype, pd.CategoricalDtype):
            # The same categories on both sides (else pandas falls back to text: seconds on a million).
            b = b.astype("category")
            cats = a.cat.categories.union(b.cat.categories)
            a, b = a.cat.set_categories(cats), b.cat.set_categories(cats)
        else:
            b = b.astype(a.dtype)
        arr = a.array.copy()
        arr[pos[old]] = b.array[old]
        columns[col] = arr
    merged = pd.DataFrame(columns, index=facts.index)
    if (~old).any():
        added = new[~old]
        for col in merged.select_dtypes("category").columns:
            added[col] = added[col].astype("category").cat.set_categories(merged[col].cat.categories)
        merged = pd.concat([merged, added])
    return merged


def cached_facts(store: Store, read, facts_from) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period-free facts and pauses of every case, up to date with the store. `read` and
    `facts_from` are data/indicators.py's reader and aggregation (kept there, with the definitions)."""
    identity = store.identity
    with _lock:
        now = _watermark(store)
        held = _memory.get(identity) or _load(identity)
        if held is not None:
            meta, facts, pauses = held
            same = {k: meta.get(k) for k in ("format", "events", "incidents", "recent", "signature")} == now
            if same:
                _memory[identity] = held
                return facts, pauses
            if _still_prefix(store, meta):
                E, I = m.CaseEvent, m.Incident
                margin = _margin(store)
                with store.session() as s:
                    touched = set(s.scalars(select(E.incident_id).where(E.id > meta["events"] - margin)).all())
                    touched |= set(s.scalars(select(I.id).where(I.id > meta["incidents"] - margin)).all())
                if len(touched) <= REBUILD_ABOVE:
                    ids = sorted(touched)
                    parts = [read(store, I.id.in_(ids[k:k + 5000]), E.incident_id.in_(ids[k:k + 5000]))
                             for k in range(0, len(ids), 5000)] or [read(store, I.id.in_([]), E.incident_id.in_([]))]
                    inc = pd.concat([p[0] for p in parts])
                    ev = pd.concat([p[1] for p in parts], ignore_index=True)
                    new_facts, new_pauses = facts_from(inc, ev)
                    facts = merge_rows(facts, new_facts)
                    pauses = pd.concat([pauses[~pauses["id"].isin(ids)], new_pauses], ignore_index=True)
                    log.info("indicators cache: %d cases brought up to date", len(ids))
                    held = (now, facts, pauses)
                    _memory[identity] = held
                    _save_later(identity, now, facts, pauses)
                    return facts, pauses
        inc, ev = read(store)
        facts, pauses = facts_from(inc, ev)
        log.info("indicators cache: built from %d events of %d incidents", len(ev), len(inc))
        _memory[identity] = (now, facts, pauses)
        _save_later(identity, now, facts, pauses)
        return facts, pauses
