"""Score sheets: proposals from cchc's records, the self-assessment, the lock, the two appraisal rounds with the
explanation between them, totals within caps, stale forms refused, every step audited and told in the timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.audit.service import history
from cchc.parindex import proposals, scores, sheets
from cchc.parindex.models import Basis, ItemScore, Phase
from cchc.parindex.presenter import read_sheet
from cchc.parindex.scoring import compute
from cchc.parindex.timeline import sheet_entries
from cchc.parindex.workflow import Move, MovePermissionDenied, TransitionError

D = Decimal


def fill(sheet, actor, score_of, **points):
    """Self-assess the sheet's scored items (1.1, 1.2, 2.1) with notes so the lock accepts them."""
    for code, value in points.items():
        code = code.replace("_", ".")
        row = score_of(sheet, code)
        reason = "Theo hồ sơ lưu" if row.proposed_points is not None and D(value) != row.proposed_points else ""
        scores.save_self(row, actor, points=D(value), note="Có biên bản kèm theo", override_reason=reason)


def test_cchc_proposes_from_its_records_with_the_figures_and_sources(sheet, score_of):
    assert proposals.refresh(sheet) == 2
    plan = score_of(sheet, "1.1")
    assert plan.proposed_points == D("2.00")
    assert plan.proposal["explanation"] == "Kế hoạch CCHC năm 2023 ban hành ngày 30/12/2022."
    assert plan.proposal["sources"][0]["label"] == "Kế hoạch số 64/KH-SKHCN ngày 30/12/2022"
    assert "đúng hạn 31/12/2022" in plan.proposal["reason"]
    ratio = score_of(sheet, "2.1")
    assert ratio.proposed_points == D("3.00")  # 97,9 % reaches the 95 % tier
    assert score_of(sheet, "1.2").proposed_points is None
    assert proposals.refresh(sheet) == 0  # nothing changed, nothing recomputed


def test_an_accepted_proposal_follows_new_data_until_the_lock_then_is_frozen(sheet, measured, score_of,
                                                                              province_world):  # fmt: skip
    officer = province_world["users"]["officer"]
    proposals.refresh(sheet)
    scores.save_self(score_of(sheet, "1.1"), officer, points=None, accept=True)
    scores.save_self(score_of(sheet, "2.1"), officer, points=D("3"), note="")
    assert score_of(sheet, "1.1").basis == Basis.ACCEPTED and score_of(sheet, "2.1").basis == Basis.ACCEPTED
    measured["plan"], measured["ratio"], measured["version"] = dt.date(2023, 1, 5), D("1"), "v2"
    assert proposals.refresh(sheet) == 2
    plan = score_of(sheet, "1.1")
    assert plan.proposed_points == D("1.00") and plan.self_points == D("1.00")  # late: 1 point, and followed
    assert score_of(sheet, "2.1").self_points == D("4.00")
    assert "cchc tính lại đề xuất điểm của 2 tiêu chí" in history(sheet).first().summary
    fill(sheet, officer, score_of, **{"1_1": "1", "1_2": "1", "2_1": "4"})
    assert score_of(sheet, "1.1").basis == Basis.ACCEPTED
    sheets.move(sheet, officer, Move.LOCK_SELF)
    measured["plan"], measured["version"] = dt.date(2022, 12, 1), "v3"
    sheet.refresh_from_db()
    assert proposals.refresh(sheet) == 0
    assert score_of(sheet, "1.1").proposed_points == D("1.00")


def test_an_override_needs_a_reason_and_stays_when_the_data_changes(sheet, measured, score_of, province_world):
    officer = province_world["users"]["officer"]
    proposals.refresh(sheet)
    row = score_of(sheet, "2.1")
    with pytest.raises(ValidationError) as caught:
        scores.save_self(row, officer, points=D("4"))
    assert "vui lòng ghi lý do" in caught.value.message_dict["override_reason"][0]
    scores.save_self(row, officer, points=D("4"), override_reason="Tính cả hồ sơ liên thông giải quyết đúng hạn")
    assert score_of(sheet, "2.1").basis == Basis.OVERRIDDEN
    measured["ratio"], measured["version"] = D("0.5"), "v2"
    proposals.refresh(sheet)
    row = score_of(sheet, "2.1")
    assert row.proposed_points == D("0.00") and row.self_points == D("4.00")


def test_points_must_be_within_the_maximum(sheet, score_of, province_world):
    with pytest.raises(ValidationError, match="từ 0 đến 1"):
        scores.save_self(score_of(sheet, "1.2"), province_world["users"]["officer"], points=D("1.5"))


def test_the_lock_lists_items_not_scored_and_items_without_evidence_or_explanation(sheet, score_of, province_world):
    officer = province_world["users"]["officer"]
    scores.save_self(score_of(sheet, "1.2"), officer, points=D("1"))
    with pytest.raises(TransitionError) as caught:
        sheets.move(sheet, officer, Move.LOCK_SELF)
    message = str(caught.value)
    assert "Chưa tự chấm các mục: 1.1, 2.1." in message
    assert "chưa có tài liệu kiểm chứng và chưa giải trình: 1.2." in message
    scores.add_evidence(score_of(sheet, "1.2"), officer, kind="link", title="Biên bản kiểm tra",
                        url="https://vi-du.gov.vn/bien-ban.pdf")  # fmt: skip
    fill(sheet, officer, score_of, **{"1_1": "2", "2_1": "3"})
    locked = sheets.move(sheet, officer, Move.LOCK_SELF)
    assert locked.phase == Phase.SELF_LOCKED and locked.self_locked_at is not None
    with pytest.raises(TransitionError, match="Không thể tự chấm điểm"):
        scores.save_self(score_of(sheet, "1.2"), officer, points=D("0"))


def test_who_may_make_each_move(sheet, score_of, province_world):
    users = province_world["users"]
    with pytest.raises(MovePermissionDenied):
        sheets.move(sheet, users["viewer"], Move.LOCK_SELF)
    with pytest.raises(MovePermissionDenied, match="Sở Nội vụ"):
        sheets.move(sheet, users["officer"], Move.START_ROUND1)
    with pytest.raises(TransitionError, match="Đang tự chấm"):
        sheets.move(sheet, users["lead"], Move.START_ROUND1)
    with pytest.raises(MovePermissionDenied):
        sheets.move(sheet, users["lead"], Move.AUTO_LOCK_SELF)
    fill(sheet, users["officer"], score_of, **{"1_1": "2", "1_2": "1", "2_1": "3"})
    sheets.move(sheet, users["officer"], Move.LOCK_SELF)
    with pytest.raises(TransitionError, match="lý do"):
        sheets.move(sheet, users["lead"], Move.REOPEN_SELF)
    assert sheets.move(sheet, users["lead"], Move.REOPEN_SELF, reason="Thiếu tài liệu").phase == Phase.DRAFTING


def test_the_whole_year_appraisal_explanation_round_two_and_the_council(sheet, score_of, province_world):
    users = province_world["users"]
    officer, lead, justice = users["officer"], users["lead"], users["justice"]
    proposals.refresh(sheet)
    fill(sheet, officer, score_of, **{"1_1": "2", "1_2": "1", "2_1": "3", "T_1": "1", "T_2": "1", "TR_1": "0"})
    sheets.move(sheet, officer, Move.LOCK_SELF)
    sheets.move(sheet, lead, Move.START_ROUND1)
    # The Sở Nội vụ scores its items (and the survey); the Sở Tư pháp only the item of its field.
    with pytest.raises(PermissionDenied):
        scores.appraise(score_of(sheet, "2.1"), lead, points=D("3"))
    with pytest.raises(PermissionDenied):
        scores.appraise(score_of(sheet, "1.2"), justice, points=D("1"))
    with pytest.raises(ValidationError, match="vui lòng ghi ý kiến"):
        scores.appraise(score_of(sheet, "1.2"), lead, points=D("0.5"))
    scores.appraise(score_of(sheet, "1.2"), lead, points=D("0.5"), note="Chưa kiểm tra đủ đơn vị")
    scores.appraise(score_of(sheet, "8.1"), lead, points=D("2.5"))
    scores.appraise(score_of(sheet, "2.1"), justice, points=D("3"))
    sheets.move(sheet, lead, Move.CLOSE_ROUND1)
    sheet.refresh_from_db()
    assert sheet.phase == Phase.EXPLANATION and sheet.explanation_until > dt.date.today()
    # The agency explains the lowered item only, and may add evidence to it.
    with pytest.raises(ValidationError, match="chấm thấp hơn"):
        scores.explain(score_of(sheet, "2.1"), officer, text="Không cần")
    scores.explain(score_of(sheet, "1.2"), officer, text="Đã kiểm tra bổ sung 02 đơn vị trong tháng 12")
    evidence = scores.add_evidence(score_of(sheet, "1.2"), officer, kind="link", title="Thông báo kết luận",
                                   url="https://vi-du.gov.vn/ket-luan.pdf")  # fmt: skip
    assert evidence.stage == "explanation"
    with pytest.raises(ValidationError):
        scores.add_evidence(score_of(sheet, "2.1"), officer, kind="link", title="Thêm", url="https://vi-du.gov.vn/x")
    sheets.move(sheet, officer, Move.FINISH_EXPLANATION)
    scores.appraise(score_of(sheet, "1.2"), lead, points=D("1"), note="Chấp nhận giải trình")
    sheets.move(sheet, lead, Move.CLOSE_ROUND2)
    final = sheets.move(sheet, lead, Move.PUBLISH, decision="Quyết định số 456/QĐ-UBND ngày 20/3/2024")
    assert final.phase == Phase.FINAL
    totals = compute(final)
    # 2 + 1 + 3 (round 2 keeps the others' round 1) + survey 2,5 + bonus 2 capped to 1 - penalty 0 = 9,5 of 10
    assert totals.total("self") == D("7.00")  # no survey in the self-assessment, bonus capped at 1
    assert totals.total("round1") == D("9.00")  # survey 2,5 entered in round 1
    assert totals.points == D("9.50") and totals.result_index == D("95.00") and totals.tier.name == "Tốt"
    timeline = [entry.title for entry in sheet_entries(final)]
    assert timeline[0] == "Ghi nhận kết quả chính thức của Hội đồng"
    for expected in ("Khóa tự chấm, gửi thẩm định", "Bắt đầu thẩm định lần 1", "Thẩm định lần 1 mục 1.2: 0,5 điểm",
                     "Giải trình mục 1.2", "Bổ sung tài liệu kiểm chứng mục 1.2: Thông báo kết luận",
                     "Kết thúc thẩm định lần 2, trình Hội đồng"):  # fmt: skip
        assert expected in timeline
    changed = next(e for e in sheet_entries(final) if e.title == "Thẩm định lần 1 mục 1.2: 0,5 điểm")
    assert ("Điểm thẩm định lần 1", "—", "0,5") in [(row.label, row.old, row.new) for row in changed.changes]


def test_a_stale_form_is_refused_with_who_saved_and_nothing_is_overwritten(sheet, score_of, province_world):
    users = province_world["users"]
    row = score_of(sheet, "1.2")
    opened_at = row.version
    scores.save_self(row, users["officer2"], points=D("1"), note="Bản của chuyên viên thứ hai")
    with pytest.raises(scores.StaleEdit, match="vừa được skhcn.chuyenvien2 cập nhật") as caught:
        scores.save_self(score_of(sheet, "1.2"), users["officer"], points=D("0"), note="Bản cũ", version=opened_at)
    assert "tải lại trang" in caught.value.messages[0]
    fresh = score_of(sheet, "1.2")
    assert fresh.self_points == D("1.00") and fresh.self_note == "Bản của chuyên viên thứ hai"
    scores.save_self(fresh, users["officer"], points=D("0.5"), note="Sau khi tải lại", version=fresh.version)
    assert score_of(sheet, "1.2").self_points == D("0.50")


def test_assigned_items_are_prepared_by_their_officer_and_the_heads(sheet, score_of, province_world):
    users = province_world["users"]
    with pytest.raises(PermissionDenied):
        scores.assign(sheet, users["officer"], {score_of(sheet, "1.2").pk: users["officer2"]})
    with pytest.raises(ValidationError, match="không thuộc"):
        scores.assign(sheet, users["admin"], {score_of(sheet, "1.2").pk: users["justice"]})
    assert scores.assign(sheet, users["admin"], {score_of(sheet, "1.2").pk: users["officer2"]}) == 1
    with pytest.raises(PermissionDenied, match="giao cho người khác"):
        scores.save_self(score_of(sheet, "1.2"), users["officer"], points=D("1"))
    scores.save_self(score_of(sheet, "1.2"), users["officer2"], points=D("1"))
    scores.save_self(score_of(sheet, "1.2"), users["leader"], points=D("0.5"))
    assert "Giao mục 1.2 cho skhcn.chuyenvien2" in [e.summary for e in history(sheet)]


def test_viewers_and_other_agencies_change_nothing(sheet, score_of, province_world):
    users = province_world["users"]
    for who in ("viewer", "justice", "lead", "foreign"):
        with pytest.raises(PermissionDenied):
            scores.save_self(score_of(sheet, "1.2"), users[who], points=D("1"))
        with pytest.raises(PermissionDenied):
            scores.add_evidence(score_of(sheet, "1.2"), users[who], kind="link", title="x", url="https://vi-du.gov.vn")
    assert score_of(sheet, "1.2").self_points is None


def test_the_deadline_locks_the_sheet_by_itself(sheet, tiny, score_of):
    tiny.self_deadline = dt.date(2024, 1, 15)
    tiny.save()
    sheet.refresh_from_db()
    assert sheets.apply_deadlines(sheet, today=dt.date(2024, 1, 15)).phase == Phase.DRAFTING
    locked = sheets.apply_deadlines(sheet, today=dt.date(2024, 1, 16))
    assert locked.phase == Phase.SELF_LOCKED
    entry = history(sheet).first()
    assert entry.actor is None and "hết hạn tự chấm ngày 15/01/2024" in entry.summary


def test_the_explanation_window_closes_by_itself(sheet, score_of, province_world):
    users = province_world["users"]
    fill(sheet, users["officer"], score_of, **{"1_1": "2", "1_2": "1", "2_1": "3"})
    sheets.move(sheet, users["officer"], Move.LOCK_SELF)
    sheets.move(sheet, users["lead"], Move.START_ROUND1)
    sheets.move(sheet, users["lead"], Move.CLOSE_ROUND1, today=dt.date(2024, 3, 1))
    sheet.refresh_from_db()
    assert sheet.explanation_until == dt.date(2024, 3, 8)  # five working days
    assert sheets.apply_all_deadlines(today=dt.date(2024, 3, 8)) == 0
    assert sheets.apply_all_deadlines(today=dt.date(2024, 3, 9)) == 1
    sheet.refresh_from_db()
    assert sheet.phase == Phase.ROUND2


def test_survey_items_are_not_self_assessed(sheet, score_of, province_world):
    with pytest.raises(ValidationError, match="Sở Nội vụ nhập"):
        scores.save_self(score_of(sheet, "8.1"), province_world["users"]["officer"], points=D("2"))


def test_the_sheet_view_counts_evidence_and_explanations(sheet, score_of, province_world):
    officer = province_world["users"]["officer"]
    scores.save_self(score_of(sheet, "1.2"), officer, points=D("1"), note="Kiểm tra lồng ghép với thanh tra")
    scores.add_evidence(score_of(sheet, "1.1"), officer, kind="link", title="Kế hoạch", url="https://vi-du.gov.vn/k")
    view = read_sheet(sheet)
    assert view.row_for(score_of(sheet, "1.1").item_id).evidence_count == 1
    assert view.row_for(sheet.framework.items.get(code="1").pk).evidence_count == 1
    assert [row.item.code for row in view.explanations] == ["1.2"]
    assert ItemScore.objects.filter(sheet=sheet).count() == 7


def test_an_evaluator_refusing_its_parameters_leaves_the_item_to_be_scored_by_hand(sheet, score_of, monkeypatch):
    from cchc.parindex import evidence

    def refuse(agency, year, params):
        raise ValueError("Tham số không dùng được cho «test_ratio»: mau.")

    spec = evidence.REGISTRY["test_ratio"]
    monkeypatch.setitem(
        evidence.REGISTRY, "test_ratio", evidence.Evaluator(spec.name, spec.label, spec.kind, {}, refuse)
    )
    proposals.refresh(sheet)
    row = score_of(sheet, "2.1")
    assert row.proposed_points is None
    assert (
        row.proposal["reason"] == "Tham số đánh giá tự động chưa đúng: Tham số không dùng được cho «test_ratio»: mau."
    )
    assert score_of(sheet, "1.1").proposed_points == D("2.00")
