"""app.py as a multiprocessing child reads it: definitions only, no app run, no Streamlit import.

The import worker (ntm_geo/datasets/import_worker.py, a forkserver child) re-reads the parent's
main script -- during a Streamlit run that is app.py -- as ``__mp_main__`` before it starts. When
app.py ran the app at import, every upload's worker imported Streamlit and ran the map page in
bare mode, and a change of app.py that needs a Streamlit run (a page's title) failed every upload.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json, runpy, sys
names = runpy.run_path(sys.argv[1], run_name="__mp_main__")
print(json.dumps({
    "streamlit": "streamlit" in sys.modules,
    "app_pages": "app_pages.common" in sys.modules,
    "main": callable(names.get("main")),
    "pages": [row[0] for row in names["PAGES"]],
}))
"""


def test_app_py_read_as_mp_main_defines_and_runs_nothing():
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(REPO / "app.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "streamlit": False,
        "app_pages": False,
        "main": True,
        "pages": [
            "app_pages/map.py",
            "app_pages/present.py",
            "app_pages/planner.py",
            "app_pages/years.py",
            "app_pages/data.py",
        ],
    }
