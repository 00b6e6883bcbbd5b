"""The interface P1's parindex app calls (PAR.md): REGISTRY, measure(), the Measurement it returns, the wording of
figures, and the README that documents every evaluator for wiring the default framework."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.parindex import evidence
from cchc.parindex.evidence import REGISTRY, Evaluator, Measurement, ParamError, SourceRef, base, measure

README = Path(evidence.__file__).with_name("README.md")
EXPECTED = {
    "plan_issued_by": "date",
    "plan_completion": "ratio",
    "reports_sent_on_time": "ratio",
    "cchc_documents_issued": "count",
    "procedures_published_share": "ratio",
    "procedures_one_stop_share": "ratio",
    "procedures_online_share": "ratio",
    "dossiers_on_time_share": "ratio",
    "dossiers_online_share": "ratio",
    "dossiers_digitised_share": "ratio",
    "late_dossiers_apologised_share": "ratio",
    "feedback_on_time_share": "ratio",
}


def test_the_registry_holds_every_evaluator_with_its_kind_label_and_json_parameters():
    assert {name: e.kind for name, e in REGISTRY.items()} == EXPECTED
    for name, e in REGISTRY.items():
        assert isinstance(e, Evaluator) and e.name == name
        assert e.label and unicodedata.is_normalized("NFC", e.label) and isinstance(e.label, str)
        assert json.loads(json.dumps(e.params)) == e.params
        assert e.measure.__doc__, name


@pytest.mark.django_db
def test_an_unknown_name_measures_nothing(agency):
    assert measure("khong_co", agency, 2023) is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_evaluator_answers_on_an_empty_database_with_no_value_and_says_why(name, agency):
    m = measure(name, agency, 2023)
    assert isinstance(m, Measurement) and m.kind == EXPECTED[name]
    assert m.value is None and m.explanation.startswith("Chưa có dữ liệu")
    assert unicodedata.is_normalized("NFC", m.explanation) and m.explanation.endswith(".")
    assert all(isinstance(s, SourceRef) for s in m.sources)
    # The registered function takes partial parameters too, and refuses a misspelt one.
    assert REGISTRY[name].measure(agency, 2023, {}) == m
    with pytest.raises(ParamError):
        measure(name, agency, 2023, {"khong_co": 1})
    with pytest.raises(ParamError):
        measure(name, agency, 1800)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, e in REGISTRY.items() if "period_mode" in e.params])
def test_a_period_mode_outside_nd09_and_calendar_is_refused(name, agency):
    with pytest.raises(ParamError):
        measure(name, agency, 2023, {"period_mode": "quy"})


@pytest.mark.parametrize(
    ("part", "whole", "ratio", "shown"),
    [
        (979, 1000, "0.979", "97,9 %"),
        (4, 4, "1", "100 %"),
        (0, 7, "0", "0 %"),
        (9999, 10000, "0.9999", "99,9 %"),  # never "100 %" short of the whole
        (1, 100000, "0.00001", "0,1 %"),  # never "0 %" when there is something
        (2, 3, "0.666666", "66,7 %"),  # cut downwards: never over a threshold it does not reach
    ],
)
def test_ratios_and_their_vietnamese_percentages(part, whole, ratio, shown):
    value = base.ratio(part, whole)
    assert value == Decimal(ratio) and base.percent(value) == shown
    assert base.ratio(0, 0) is None


def test_counts_and_days_are_written_the_vietnamese_way():
    assert base.fraction(173623, 192087) == "173.623/192.087" and base.fraction(4, 4) == "4/4"
    assert base.day(dt.date(2023, 6, 30)) == "30/6/2023" and base.day(dt.date(2023, 1, 5)) == "05/01/2023"


@pytest.mark.parametrize(
    ("spec", "day"),
    [
        ("12-31 of year-1", dt.date(2022, 12, 31)),
        ("01-15 of year+1", dt.date(2024, 1, 15)),
        ("06-30 of year", dt.date(2023, 6, 30)),
        ("06-30", dt.date(2023, 6, 30)),
        ("2022-12-30", dt.date(2022, 12, 30)),
    ],
)
def test_days_relative_to_the_framework_year(spec, day):
    assert base.day_in_year(spec, 2023, name="deadline") == day


def test_the_readme_documents_every_evaluator_and_its_parameters():
    text = README.read_text(encoding="utf-8")
    for name, e in REGISTRY.items():
        assert f"### `{name}`" in text, name
        assert e.label in text, name
        for param in e.params:
            assert f"`{param}`" in text, (name, param)
