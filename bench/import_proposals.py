"""How often the upload page proposes the right agency and period for a report, on every report of our corpus in each
of its formats (.docx, .pdf, .txt), against a desk where every corpus agency's name exists in every corpus province
(so "Sở Khoa học và Công nghệ" is there ten times, told apart only by the province).

    .venv/bin/python bench/import_proposals.py

Prints each miss, then one line: right agency proposals, right periods, out of how many files. The expected agency
and province are the corpus expectations (tests/corpus/expected); the expected periods are the corpus README's.
Runs on a throw-away test database (the SQLite file under CCHC_DATA_DIR, or DATABASE_URL's test database).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

# The period each corpus report covers (tests/corpus/README.md).
PERIODS = {
    "bariavungtau-skhcn-2023-q1-cchc": "2023-Q1",
    "binhdinh-stnmt-2021-cchc-papi": "2021",
    "caobang-skhcn-2023-q1-moi-truong-kinh-doanh": "2023-Q1",
    "hagiang-skhcn-2022-moi-truong-kinh-doanh": "2022-H1",
    "kontum-snv-2020-cchc-nam": "2020",
    "laichau-stp-2019-q3-cchc": "2019-Q3",
    "langson-skhcn-2023-q3-moi-truong-kinh-doanh": "2023-Q3",
    "ninhthuan-skhcn-2023-6t-cchc": "2023-H1",
    "phuyen-skhcn-2023-cchc-nam": "2023",
    "thanhhoa-sct-2025-9t-cchc": "2025-9M",
}


def main() -> int:
    import django

    django.setup()
    from django.test.utils import setup_databases, teardown_databases

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        return measure()
    finally:
        teardown_databases(databases, verbosity=0)


def measure() -> int:
    from cchc.agencies.models import Agency, Province
    from cchc.aggregation.importing import propose_agency, propose_period, report_date
    from cchc.aggregation.importing.staging import read_report

    expected = {}
    for path in sorted((ROOT / "tests" / "corpus" / "expected").glob("*.json")):
        expected[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    provinces = sorted({report["metadata"]["province"] for report in expected.values()})
    names = sorted({report["metadata"]["agency"] for report in expected.values()})
    desk = []
    for i, province_name in enumerate(provinces):
        province = Province.objects.create(code=f"P{i:02d}", name=province_name)
        desk += [Agency.objects.create(province=province, code=f"A{j}", name=name) for j, name in enumerate(names)]
    agencies_right = periods_right = files = 0
    for name, report in expected.items():
        metadata = report["metadata"]
        for ext in ("docx", "pdf", "txt"):
            path = ROOT / f"{report['source']}.{ext}"
            extracted, text = read_report(path.read_bytes(), path.name)
            read = extracted["metadata"]
            proposal = propose_agency(read, desk, report_date(read))
            guess = propose_period(read, text)
            agency = proposal.agency
            agency_ok = bool(
                agency and agency.name == metadata["agency"] and agency.province.name == metadata["province"]
            )
            period_ok = guess is not None and guess.period.key == PERIODS[name]
            files += 1
            agencies_right += agency_ok
            periods_right += period_ok
            if not (agency_ok and period_ok):
                found = f"{agency.name} – {agency.province.name}" if agency else proposal.reason
                print(f"{path.name}: agency {found}; period {guess.period.key if guess else None}")
    print(f"agency proposals right: {agencies_right}/{files}; periods right: {periods_right}/{files} "
          f"(desk of {len(desk)} agencies)")  # fmt: skip
    return 0 if agencies_right == periods_right == files else 1


if __name__ == "__main__":
    raise SystemExit(main())
