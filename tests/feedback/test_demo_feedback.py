"""The demo feedback, indices and staff: a second build creates nothing, and the blocks read them."""

from __future__ import annotations


def test_build_feedback_is_idempotent_and_feeds_the_blocks(agency, procedure):
    from cchc.demo.data import Summary
    from cchc.demo.feedback import build_feedback
    from cchc.feedback.models import Feedback
    from cchc.feedback.services import period_counts
    from cchc.indicators.services import staff_for, value_for
    from cchc.statistics.periods import quarter, year

    first = Summary()
    build_feedback({"SKHCN": agency}, first)
    assert first.created == {"phản ánh, kiến nghị": 6, "kết quả chỉ số": 7, "số liệu biên chế": 1}
    second = Summary()
    build_feedback({"SKHCN": agency}, second)
    assert second.created == {}
    assert Feedback.objects.count() == 6
    assert Feedback.objects.filter(procedure=procedure).count() == 1

    assert period_counts(quarter(2023, 1), [agency]).empty  # as the Q1/2023 sample: no feedback
    in_2024 = period_counts(year(2024), [agency])
    assert (in_2024.received, in_2024.handled, in_2024.handled_late) == (2, 2, 1)
    assert period_counts(quarter(2026, 1), [agency]).pending == 1
    assert value_for("PII", agency.province, 2024).rank == 31
    assert staff_for(agency, 2023).present == 32
