"""What the plugin does, apart from its widgets (tested in QGIS's Python without a QGIS window)."""

import json
import os
import subprocess
from pathlib import Path

CONFIG = Path(__file__).with_name("config.json")


class GridWatchError(Exception):
    pass


def gridwatch_command():
    """The command that runs GridWatch (recorded by `gridwatch qgis-plugin install`)."""
    if CONFIG.exists():
        return json.loads(CONFIG.read_text(encoding="utf-8"))["command"]
    return ["gridwatch"]


class PlannerCore:
    def __init__(self, store, command=None):
        self.store = str(Path(store).resolve())
        self.command = command or gridwatch_command()
        self.user = None  # the planner's GridWatch account: drafts and publishing are done as them
        self._password = None

    def sign_in_as(self, user, password):
        """Remember whose account the commands that change the store run as (kept in memory only,
        passed to GridWatch in its environment, never on a command line)."""
        self.user, self._password = user, password

    @property
    def signed_in(self):
        return bool(self.user and self._password)

    def _run(self, *args, check=True):
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        if self.signed_in:
            env["GRIDWATCH_USER"], env["GRIDWATCH_PASSWORD"] = self.user, self._password
        r = subprocess.run(list(self.command) + list(args), capture_output=True, text=True, env=env, timeout=600)
        if check and r.returncode not in (0, 1):
            raise GridWatchError((r.stderr or r.stdout).strip() or f"gridwatch {' '.join(args)} failed")
        return r

    def draft_id(self):
        """The latest draft grid set of the store, started from the set in force if there is none."""
        sets = json.loads(self._run("grids", "list", "--store", self.store, "--json").stdout)
        drafts = [s["id"] for s in sets if s["status"] == "draft"]
        if drafts:
            return max(drafts)
        self._run("grids", "draft", "--store", self.store, "--name", "QGIS draft")
        return self.draft_id()

    def draft_file(self, draft_id):
        p = Path(self.store)
        return str(p.with_name(f"{p.stem}.draft-{draft_id}.gpkg"))

    def export_draft(self):
        """Write the draft to a GeoPackage of its own beside the store: the layer planners edit."""
        did = self.draft_id()
        out = self.draft_file(did)
        if not Path(out).exists():
            r = self._run("grids", "export", "--store", self.store, "--set", str(did), "--out", out)
            if r.returncode != 0:
                raise GridWatchError(r.stderr.strip())
        return out

    def validate(self, draft_file):
        """GridWatch's validation of the edited draft, against the store's district."""
        r = self._run("grids", "validate", draft_file, "--store", self.store, "--json")
        try:
            return json.loads(r.stdout)["problems"]
        except (ValueError, KeyError):
            raise GridWatchError((r.stderr or r.stdout).strip()) from None

    def publish(self, draft_file):
        """Import the edited draft into the store and publish it, through GridWatch."""
        r = self._run("grids", "import", draft_file, "--store", self.store)
        if r.returncode != 0:
            raise GridWatchError(r.stderr.strip())
        r = self._run("grids", "publish", "--store", self.store, "--yes")
        if r.returncode != 0:
            raise GridWatchError(r.stderr.strip())
        return r.stdout
