"""The `gridwatch` command. Headless sub-commands never import Qt."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def default_store_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "GridWatch" / "gridwatch.gpkg"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gridwatch", description="GridWatch (网格守望) grid governance dispatch console")
    p.add_argument("--store", help="store file to open (default: %s)" % default_store_path())
    p.add_argument("--lang", choices=["zh_CN", "en"], help="interface language (default: saved choice, else the system's)")
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="write the demo district to a new store")
    demo.add_argument("--out", required=True, help="GeoPackage file to write")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--until", help="end of the twelve months of history: YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)")
    demo.add_argument("--force", action="store_true", help="overwrite the file if it exists")

    shot = sub.add_parser("screenshot", help="render the main window offscreen to a PNG and exit")
    shot.add_argument("--store", dest="shot_store", help="store file (default: the user's default store)")
    shot.add_argument("--out", required=True)
    shot.add_argument("--size", default="1600x1000", help="WIDTHxHEIGHT (default 1600x1000)")
    shot.add_argument("--lang", dest="shot_lang", choices=["zh_CN", "en"])
    return p


def fail(msg: str, code: int = 2) -> int:
    print(f"gridwatch: {msg}", file=sys.stderr)
    return code


def cmd_demo(args) -> int:
    from data.demo import generate_demo, parse_until
    from data.store import StoreError

    out = Path(args.out)
    if out.exists() and not args.force:
        return fail(f"{out} already exists; use --force to overwrite it")
    try:
        until = parse_until(args.until)
    except ValueError as exc:
        return fail(str(exc))
    t0 = time.perf_counter()
    try:
        store = generate_demo(out, seed=args.seed, until=until, overwrite=args.force,
                              progress=lambda msg, frac: print(f"  {frac:4.0%} {msg}", file=sys.stderr))
    except StoreError as exc:
        return fail(str(exc))
    store.close()
    print(f"demo district written to {out} in {time.perf_counter() - t0:.1f} s")
    return 0


def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        if w < 200 or h < 150:
            raise ValueError
        return w, h
    except ValueError:
        raise ValueError(f"--size {text!r} is not WIDTHxHEIGHT with at least 200x150 pixels") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "screenshot":
        try:
            size = _parse_size(args.size)
        except ValueError as exc:
            return fail(str(exc))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from console.app import run_screenshot
        return run_screenshot(args.shot_store or args.store, args.out, size, args.shot_lang or args.lang)
    from console.app import run_console
    return run_console(args.store, args.lang)


if __name__ == "__main__":
    sys.exit(main())
