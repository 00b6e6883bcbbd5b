"""`cchc extract FILE [--format json]`: valid JSON on stdout, exit status 0 / 1 (unreadable) / 2 (missing)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BRVT = "bariavungtau-skhcn-2023-q1-cchc"


@pytest.mark.parametrize("ext", ["docx", "txt", "pdf"])
def test_prints_the_json_object_of_a_report(corpus, ext):
    report = corpus(BRVT)
    out = io.StringIO()
    call_command("extract", str(report.path(ext)), "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["metadata"] == report.expected["metadata"]
    assert result["figures"] == report.expected["figures"]
    assert set(result) == {"metadata", "references", "figures", "figure_sources", "tasks", "sections"}


def test_damaged_file_is_a_command_error_with_status_1(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError) as info:
        call_command("extract", str(bad), stdout=io.StringIO())
    assert info.value.returncode == 1
    assert "docx" in str(info.value)


def test_missing_file_is_status_2(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("extract", str(tmp_path / "none.txt"), stdout=io.StringIO())
    assert info.value.returncode == 2


def test_real_process_exit_codes_and_no_traceback(tmp_path, corpus):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(os.urandom(256))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cchc.settings"}
    sample = corpus("caobang-skhcn-2023-q1-moi-truong-kinh-doanh").path("txt")
    ok = subprocess.run([sys.executable, "-m", "cchc", "extract", str(sample)],
                        capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["metadata"]["province"] == "Cao Bằng"
    failed = subprocess.run([sys.executable, "-m", "cchc", "extract", str(bad)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr and failed.stdout == ""
