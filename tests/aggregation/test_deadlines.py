"""Deadlines per reporting group, kind of report and period: which one applies to a member, the rules of a valid
deadline (Vietnamese messages), the defaults with their basis, who may set them, and the audit of every change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from cchc.aggregation import deadlines
from cchc.aggregation.deadlines import deadline_for, install_defaults, save_deadline
from cchc.aggregation.models import AggregationGroup, DeadlineRule, ReportingRegime
from cchc.audit.models import AuditEntry
from cchc.statistics.periods import parse_period

pytestmark = pytest.mark.django_db

D = dt.date
Q1 = parse_period("2023-Q1")  # cut-off Tuesday 14/03/2023


def _regime(aggregator, **fields) -> ReportingRegime:
    fields.setdefault("period_kind", "quarter")
    fields.setdefault("name", "")
    return ReportingRegime(aggregator=aggregator, **fields)


def _message(exc: ValidationError, field: str) -> str:
    return " ".join(exc.message_dict[field])


def test_the_most_specific_deadline_applies_to_each_member(home_affairs, agency, justice, finance):
    """Period override over the kind's rule, a group's over all members', the earliest among a member's groups."""
    group = AggregationGroup.objects.create(aggregator=home_affairs, name="Khối kinh tế")
    group.members.set([justice, finance])
    strict = AggregationGroup.objects.create(aggregator=home_affairs, name="Khối nội chính")
    strict.members.set([justice])
    save_deadline(_regime(home_affairs, rule=DeadlineRule.WORKING_DAYS, days=2), None)  # all: 16/03
    save_deadline(_regime(home_affairs, group=group, rule=DeadlineRule.WORKING_DAYS, days=5), None)  # 21/03
    save_deadline(_regime(home_affairs, group=strict, rule=DeadlineRule.WORKING_DAYS, days=4), None)  # 20/03
    assert deadline_for(home_affairs, Q1, agency) == D(2023, 3, 16)  # in no group
    assert deadline_for(home_affairs, Q1, finance) == D(2023, 3, 21)
    assert deadline_for(home_affairs, Q1, justice) == D(2023, 3, 20)  # two groups: the earlier one

    # One quarter of its own, for everyone: it wins over the groups' general rule, other quarters keep theirs.
    save_deadline(_regime(home_affairs, period_key="2023-Q1", rule=DeadlineRule.FIXED_DATE, due_date=D(2023, 3, 24)),
                  None)  # fmt: skip
    assert {deadline_for(home_affairs, Q1, m) for m in (agency, justice, finance)} == {D(2023, 3, 24)}
    assert deadline_for(home_affairs, parse_period("2023-Q2"), finance) == D(2023, 6, 21)  # 14/06 + 5 working days
    # A group's own override beats the override for all.
    save_deadline(_regime(home_affairs, group=group, period_key="2023-Q1", rule=DeadlineRule.DAY_OF_NEXT_MONTH,
                          days=5), None)  # fmt: skip
    assert deadline_for(home_affairs, Q1, finance) == D(2023, 4, 5)
    assert deadline_for(home_affairs, Q1, agency) == D(2023, 3, 24)


def test_a_deadline_is_for_one_kind_of_report_and_one_kind_of_period(home_affairs, agency):
    save_deadline(_regime(home_affairs, report_kind="focal", rule=DeadlineRule.WORKING_DAYS, days=1), None)
    assert deadline_for(home_affairs, Q1, agency, "focal") == D(2023, 3, 15)
    assert deadline_for(home_affairs, Q1, agency) is None  # the CCHC report has none
    assert deadline_for(home_affairs, parse_period("2023-H1"), agency, "focal") is None
    assert deadline_for(home_affairs, parse_period("2023-01-01..2023-03-31"), agency, "focal") is None  # a range
    assert deadline_for(None, Q1, agency) is None


def test_the_annual_report_of_2024_may_be_due_before_its_cut_off(home_affairs, agency):
    """ "Báo cáo năm 2024: hạn 05/12/2024" — before the year's cut-off (14/12/2024): provinces ask for it early."""
    regime = save_deadline(_regime(home_affairs, period_kind="year", period_key="2024", rule=DeadlineRule.FIXED_DATE,
                                   due_date=D(2024, 12, 5)), None)  # fmt: skip
    assert regime.name == "Báo cáo cải cách hành chính – năm 2024"
    assert deadline_for(home_affairs, parse_period("2024"), agency) == D(2024, 12, 5)
    assert deadline_for(home_affairs, parse_period("2025"), agency) is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"period_key": "2024", "period_kind": "quarter"}, "period_key", "«2024» là kỳ năm, không phải kỳ quý"),
        ({"period_key": "2024-Q3", "period_kind": "year"}, "period_key", "là kỳ quý, không phải kỳ năm"),
        ({"period_key": "quý 5"}, "period_key", "Không hiểu kỳ báo cáo"),
        ({"period_key": "2024-Q5"}, "period_key", "Quý không hợp lệ"),
        ({"period_key": "2024-01-01..2024-03-31"}, "period_key", "không cho một khoảng ngày"),
        ({"rule": DeadlineRule.FIXED_DATE, "due_date": D(2024, 3, 20)}, "period_key", "phải ghi kỳ áp dụng"),
        ({"rule": DeadlineRule.FIXED_DATE, "period_key": "2024-Q1"}, "due_date", "Chọn ngày hạn gửi"),
        ({"rule": DeadlineRule.FIXED_DATE, "period_key": "2024-Q1", "due_date": D(2023, 12, 1)}, "due_date",
         "Hạn gửi 01/12/2023 trước ngày bắt đầu kỳ (15/12/2023)"),
        ({"rule": DeadlineRule.FIXED_DATE, "period_key": "2024-Q1", "due_date": D(2025, 6, 1)}, "due_date",
         "quá xa sau ngày cuối kỳ (14/03/2024)"),
        ({"rule": DeadlineRule.WORKING_DAYS, "days": 61}, "days", "từ 0 đến 60"),
        ({"rule": DeadlineRule.DAY_OF_NEXT_MONTH, "days": 0}, "days", "từ 1 đến 31"),
        ({"rule": DeadlineRule.DAY_OF_NEXT_MONTH, "days": 32}, "days", "từ 1 đến 31"),
        ({"rule": "tomorrow"}, "rule", "Cách tính hạn không hợp lệ"),
        ({"period_kind": "decade"}, "period_kind", "Loại kỳ không hợp lệ"),
        ({"report_kind": "poem"}, "report_kind", "Loại báo cáo không hợp lệ"),
        ({"remind_before_days": 31}, "remind_before_days", "tối đa 30 ngày"),
        ({"remind_after_days": 91}, "remind_after_days", "tối đa 90 ngày"),
    ],
)  # fmt: skip
def test_a_bad_deadline_is_refused_with_a_vietnamese_message(home_affairs, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        save_deadline(_regime(home_affairs, **fields), None)
    assert message in _message(caught.value, field)
    assert not ReportingRegime.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="reportingregime").exists()


def test_a_group_of_another_aggregator_and_a_second_deadline_for_the_same_case_are_refused(
    home_affairs, agency, foreign_agency
):
    theirs = AggregationGroup.objects.create(aggregator=foreign_agency, name="Nhóm của tỉnh khác")
    with pytest.raises(ValidationError) as caught:
        save_deadline(_regime(home_affairs, group=theirs), None)
    assert "không thuộc cơ quan tổng hợp" in _message(caught.value, "group")
    save_deadline(_regime(home_affairs, period_key="2023-q1", rule=DeadlineRule.FIXED_DATE,
                          due_date=D(2023, 3, 20)), None)  # fmt: skip
    assert ReportingRegime.objects.get().period_key == "2023-Q1"  # normalised, so the same quarter is found again
    with pytest.raises(ValidationError) as caught:
        save_deadline(_regime(home_affairs, period_key="2023-Q1", rule=DeadlineRule.WORKING_DAYS, days=2), None)
    assert "Đã có hạn gửi cho cùng nhóm" in " ".join(caught.value.messages)
    # The same case for all members and for one group are two deadlines.
    mine = AggregationGroup.objects.create(aggregator=home_affairs, name="Khối sở")
    save_deadline(_regime(home_affairs, group=mine, period_key="2023-Q1", rule=DeadlineRule.WORKING_DAYS, days=2),
                  None)  # fmt: skip
    assert ReportingRegime.objects.count() == 2


def test_only_the_aggregators_own_people_set_its_deadlines_and_every_change_is_audited(
    home_affairs, agency, make_user, viewer
):
    from django.contrib.auth import get_user_model

    aggregator_user = get_user_model().objects.get(username="tonghop")
    member_leader = make_user("lanhdao-so", agency, "leader")
    home_viewer = make_user("xem-snv", home_affairs, "viewer")
    for outsider in (viewer, member_leader, home_viewer):
        with pytest.raises(PermissionDenied):
            save_deadline(_regime(home_affairs, days=2), outsider)
    assert not ReportingRegime.objects.exists()

    regime = save_deadline(_regime(home_affairs, name="  Báo cáo   quý  ", days=2), aggregator_user)
    assert regime.name == "Báo cáo quý"
    created = AuditEntry.objects.get(object_id=str(regime.pk), action=AuditEntry.Action.CREATE)
    assert created.actor == aggregator_user and created.agency_id == home_affairs.pk
    assert created.changes["days"] == 2

    regime.days = 4
    save_deadline(regime, make_user("quantri-snv", home_affairs, "admin"))
    updated = AuditEntry.objects.get(object_id=str(regime.pk), action=AuditEntry.Action.UPDATE)
    assert updated.changes == {"days": [2, 4]}
    save_deadline(regime, aggregator_user)  # nothing changed: no entry
    assert AuditEntry.objects.filter(object_id=str(regime.pk), action=AuditEntry.Action.UPDATE).count() == 1

    with pytest.raises(PermissionDenied):
        deadlines.delete_deadline(regime, member_leader)
    pk = regime.pk
    deadlines.delete_deadline(regime, aggregator_user)
    assert not ReportingRegime.objects.exists()
    deleted = AuditEntry.objects.get(object_id=str(pk), action=AuditEntry.Action.DELETE)
    assert deleted.changes["days"] == 4 and "Xóa hạn gửi" in deleted.summary


def test_the_defaults_follow_the_cut_off_of_decree_09_and_say_they_are_unconfirmed(home_affairs, agency):
    created = install_defaults(home_affairs, None)
    assert sorted(r.period_kind for r in created) == ["half", "nine_months", "quarter", "year"]
    assert all("Nghị định 09/2019/NĐ-CP Điều 12" in r.basis and "chưa đối chiếu" in r.basis for r in created)
    # Cut-off 14/03/2023 + 02 working days; the year 2023: 14/12/2023 (Thursday) + 2 = Monday 18/12/2023.
    assert deadline_for(home_affairs, Q1, agency) == D(2023, 3, 16)
    assert deadline_for(home_affairs, parse_period("2023"), agency) == D(2023, 12, 18)
    # Idempotent, and what the aggregator corrected stays.
    quarter = ReportingRegime.objects.get(period_kind="quarter")
    quarter.days = 5
    save_deadline(quarter, None)
    assert install_defaults(home_affairs, None) == []
    assert ReportingRegime.objects.get(period_kind="quarter").days == 5
    rows = deadlines.deadline_rows(home_affairs, D(2023, 2, 1))
    assert all(row.is_default for row in rows)
    quarter_row = next(row for row in rows if row.regime.period_kind == "quarter")
    assert (quarter_row.example.key, quarter_row.example_day) == ("2023-Q1", D(2023, 3, 21))
    assert quarter_row.rule_text == "05 ngày làm việc sau ngày chốt số liệu"


def test_the_command_creates_the_defaults_once_and_lists_them(home_affairs, capsys):
    call_command("report_deadlines", "--agency", "SNV")
    out = capsys.readouterr().out
    assert "Đã tạo 4 hạn gửi mặc định cho Sở Nội vụ." in out
    assert "- Báo cáo CCHC quý (Mọi cơ quan báo cáo): 02 ngày làm việc sau ngày chốt số liệu" in out
    call_command("report_deadlines", "--agency", "SNV")
    assert "Đã tạo 0 hạn gửi mặc định" in capsys.readouterr().out
    assert ReportingRegime.objects.count() == 4


def test_the_periods_a_deadline_is_shown_for():
    # Under NĐ 09, 20/12/2026 already belongs to 2027 (its Q1, its first half, its year).
    day = D(2026, 12, 20)
    assert [deadlines.current_period(kind, day).key for kind in ("month", "quarter", "half", "nine_months", "year")] \
        == ["2027-01", "2027-Q1", "2027-H1", "2027-9M", "2027"]  # fmt: skip
    assert [p.key for p in deadlines.recent_periods("quarter", D(2026, 11, 20))] == ["2026-Q4", "2026-Q3", "2026-Q2"]
    assert deadlines.current_period("half", D(2026, 6, 20)).key == "2026-H2"
