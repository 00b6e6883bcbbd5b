"""bench/worklist_bench.py and bench/export_bench.py against a tiny demo: the steps are made, every page answers
200 with rows, and the export prints its figures and a last JSON line. The benchmarks are not part of the test run;
this keeps them working (tens of seconds)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.web import serving

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import pages_bench  # noqa: E402
import worklist_bench  # noqa: E402


@pytest.mark.slow
def test_the_worklist_bench_drives_its_pages_and_the_export_bench_measures(tmp_path: Path):
    env = pages_bench.server_env(tmp_path, database_url=None)
    pages_bench.build_data(env, 400, demo_args=["--scale", "0", "--years", "1"], quiet=True)
    worklist_bench.make_steps(env)
    worklist_bench.make_steps(env)  # a second time keeps the steps
    server = "gunicorn" if serving.gunicorn_available() else "waitress"
    process, port = pages_bench.start_server(env, server, workers=2 if server == "gunicorn" else None)
    try:
        runs = worklist_bench.bench(port, [1], duration=1.0)
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert [run.page for run in runs] == [page.name for page in worklist_bench.pages()]
    for run in runs:
        assert run.latencies and run.all_ok, (run.page, run.statuses, run.errors)

    out = subprocess.run([sys.executable, str(ROOT / "bench" / "export_bench.py"), "--sizes", "50,200"], env=env,
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    assert result["bench"] == "export" and [r["rows"] for r in result["results"]] == [50, 200]
    assert all(r["rows_per_s"] > 0 and r["rss_peak_mib"] > 0 for r in result["results"])
