"""bench/pages_bench.py's driver against a tiny demo: it logs in both users, finds its pages and every one answers.

The benchmark itself is not part of the test run; this keeps it working (about 40 s: a small demo, 1 s per page).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cchc.web import serving

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import pages_bench  # noqa: E402


@pytest.mark.slow
def test_every_benchmarked_page_answers_200(tmp_path: Path):
    env = pages_bench.server_env(tmp_path, database_url=None)
    pages_bench.build_data(env, 300, demo_args=["--scale", "0", "--years", "1"], quiet=True)
    server = "gunicorn" if serving.gunicorn_available() else "waitress"
    process, port = pages_bench.start_server(env, server, workers=2 if server == "gunicorn" else None)
    try:
        runs = pages_bench.bench_pages(port, [1], duration=1.0, search="Nguyễn")
    finally:
        process.terminate()
        process.wait(timeout=60)
    names = [run.page for run in runs]
    assert len(names) == 9 and names[0].startswith("bare") and "province roll-up /tong-hop/" in names
    for run in runs:
        assert run.latencies, run.page
        assert run.all_ok, (run.page, run.statuses, run.errors)
    rows = pages_bench.table(runs)
    assert rows[0]["ratio_to_bare"] == 1.0
    assert all(0 < row["ratio_to_bare"] for row in rows)
