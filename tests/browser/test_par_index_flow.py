"""End to end in headless Chromium, the PAR Index year of the Sở KH&CN: its officer opens the 2023 sheet, sees which
items cchc proposed and from what (the plan's date and its document), takes a proposal, attaches an uploaded file to
another item and locks the self-assessment; the Sở Nội vụ starts round 1, lowers that item and closes the round; the
officer explains it; round 2 accepts the explanation and closes; the ranking shows both departments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

PASSWORD = "mat-khau-thu-nghiem"
D = Decimal

pytestmark = [pytest.mark.browser]


@pytest.fixture
def par_year(transactional_db, monkeypatch):
    """Quảng Trị's 2023 framework: 1 (3) = 1.1 plan issued on time (2, cchc proposes from the plan) + 1.2 inspection
    (1, by hand); 2 (4) = 2.1 dossiers on time (4, tiers, cchc proposes); 8 survey (3). The Sở Tư pháp's sheet is
    already locked at 7 points, 4 of them in field 2."""
    from django.contrib.auth import get_user_model

    from cchc.agencies.models import Agency, Membership, Province
    from cchc.parindex import evidence, scores, sheets
    from cchc.parindex.models import Framework, Item, RuleKind, Section, Tier
    from cchc.parindex.workflow import Move

    def plan(agency, year, params):
        return evidence.Measurement(
            kind="date", value=dt.date(2022, 12, 23), deadline=dt.date(2022, 12, 31),
            figures=(("Ngày ban hành", "23/12/2022"), ("Hạn", "31/12/2022")),
            sources=(evidence.SourceRef("Kế hoạch số 151/KH-SKHCN ngày 23/12/2022"),),
            explanation="Kế hoạch CCHC năm 2023 ban hành ngày 23/12/2022, trước hạn 31/12/2022.",
        )  # fmt: skip

    def ratio(agency, year, params):
        return evidence.Measurement(kind="ratio", value=D("0.979"), figures=(("Tỷ lệ đúng hạn", "97,9 %"),),
                                    sources=(evidence.SourceRef("Biểu 06, 15/12/2022 - 14/12/2023"),))  # fmt: skip

    monkeypatch.setitem(evidence.REGISTRY, "browser_plan",
                        evidence.Evaluator("browser_plan", "Kế hoạch ban hành đúng hạn", "date", {}, plan))
    monkeypatch.setitem(evidence.REGISTRY, "browser_ratio",
                        evidence.Evaluator("browser_ratio", "Tỷ lệ hồ sơ đúng hạn", "ratio", {}, ratio))
    monkeypatch.setattr(evidence, "data_version", lambda agency, year: "1")

    province = Province.objects.create(code="H45", name="Quảng Trị")
    home = Agency.objects.create(province=province, code="SNV", name="Sở Nội vụ")
    science = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ")
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    users = get_user_model().objects
    people = {}
    for username, agency, role, name in (("skhcn.chuyenvien", science, "officer", "Hà"),
                                         ("snv.tonghop", home, "aggregator", "Thắng"),
                                         ("stp.chuyenvien", justice, "officer", "Mai")):  # fmt: skip
        people[username] = users.create_user(username=username, password=PASSWORD, first_name=name)
        Membership.objects.create(user=people[username], agency=agency, role=role)
    framework = Framework.objects.create(province=province, year=2023, name="Bộ tiêu chí các sở, ban, ngành năm 2023")

    def item(code, title, maximum, parent=None, **extra):
        return Item.objects.create(framework=framework, parent=parent, code=code, title=title, max_points=D(maximum),
                                   order=int(code.split(".")[-1]) if code[-1].isdigit() else 9,
                                   section=parent.section if parent else extra.pop("section", Section.SCORED),
                                   **extra)  # fmt: skip

    one = item("1", "Công tác chỉ đạo, điều hành", "3")
    item("1.1", "Ban hành kế hoạch CCHC năm đúng hạn", "2", one, rule=RuleKind.DEADLINE,
         rule_params={"late_points": "1"}, evaluator="browser_plan")  # fmt: skip
    item("1.2", "Kiểm tra công tác CCHC", "1", one, evidence_required="Biên bản kiểm tra.")
    two = item("2", "Cải cách thủ tục hành chính", "4")
    item("2.1", "Hồ sơ giải quyết đúng hạn", "4", two, rule=RuleKind.TIERS, evaluator="browser_ratio",
         rule_params={"tiers": [["1", "4"], ["0.95", "3"], ["0.8", "2"]]})  # fmt: skip
    survey = item("8", "Sự hài lòng của người dân", "3", section=Section.SURVEY)
    item("8.1", "Kết quả điều tra", "3", survey)
    for order, (name, threshold) in enumerate((("Tốt", 85), ("Khá", 70), ("Trung bình", 50), ("Yếu", 0)), 1):
        Tier.objects.create(framework=framework, name=name, min_index=D(threshold), order=order)
    other = sheets.open_sheet(framework, justice, people["stp.chuyenvien"])
    for code, points in (("1.1", "2"), ("1.2", "1"), ("2.1", "4")):
        row = other.scores.select_related("item", "sheet", "sheet__framework").get(item__code=code)
        scores.save_self(row, people["stp.chuyenvien"], points=D(points), note="Hồ sơ lưu tại Văn phòng Sở",
                         override_reason="Theo số liệu của Sở")  # fmt: skip
    sheets.move(other, people["stp.chuyenvien"], Move.LOCK_SELF)
    sheet = sheets.open_sheet(framework, science, people["skhcn.chuyenvien"])
    return {"framework": framework, "sheet": sheet}


def _login(page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def _move(page, move: str) -> None:
    page.locator(f"button[data-move={move}]").click()
    page.wait_for_load_state()


def _open_item(page, code: str) -> None:
    page.locator(f"#score-table tr[data-code='{code}'] a").click()
    page.wait_for_selector("#item-facts")


def test_the_par_index_year_from_proposal_to_round_two_and_the_ranking(browser, live_server, par_year, tmp_path):
    sheet = par_year["sheet"]
    officer = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    officer.set_default_timeout(15_000)
    _login(officer, "skhcn.chuyenvien")

    # The officer finds the sheet from the menu and sees what cchc proposed and from what.
    officer.goto("/")
    officer.locator("nav a", has_text="Chỉ số CCHC").click()
    officer.locator("#own-sheets a").first.click()
    expect(officer.locator("#score-table tr[data-code='1.1']")).to_have_attribute("data-proposed", "1")
    expect(officer.locator("#score-table tr[data-code='2.1'] [data-cell=proposed]")).to_have_text("3")
    expect(officer.locator("#score-table tr[data-code='1.2'] [data-cell=proposed]")).to_have_text("")
    expect(officer.locator("#proposal-note")).to_contain_text("cchc đề xuất điểm cho 2 tiêu chí")
    _open_item(officer, "1.1")
    expect(officer.locator("#proposed-points")).to_have_text("2 điểm")
    expect(officer.locator("#proposal-explanation")).to_contain_text("ban hành ngày 23/12/2022, trước hạn 31/12/2022")
    expect(officer.locator("#proposal-sources")).to_contain_text("Kế hoạch số 151/KH-SKHCN ngày 23/12/2022")
    officer.check("#self-form input[name=accept]")
    officer.fill("#self-form textarea[name=note]", "Kế hoạch lưu trên cchc.")
    officer.locator("#self-form button[type=submit]").click()
    expect(officer.locator("#item-scores [data-cell=self]")).to_have_text("2")
    officer.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _open_item(officer, "2.1")
    officer.check("#self-form input[name=accept]")
    officer.fill("#self-form textarea[name=note]", "Số liệu Biểu 06 trên cchc.")
    officer.locator("#self-form button[type=submit]").click()
    expect(officer.locator("#item-scores [data-cell=self]")).to_have_text("3")

    # Evidence for an item cchc cannot measure: an uploaded file.
    officer.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _open_item(officer, "1.2")
    minutes = tmp_path / "bien-ban-kiem-tra.pdf"
    minutes.write_bytes(b"%PDF-1.4 bien ban kiem tra cong tac CCHC")
    officer.check("#evidence-form input[name=kind][value=file]")
    officer.fill("#evidence-form input[name=title]", "Biên bản kiểm tra CCHC năm 2023")
    officer.set_input_files("#evidence-form input[name=file]", str(minutes))
    officer.locator("#evidence-form button[type=submit]").click()
    expect(officer.locator("#evidence-list")).to_contain_text("Biên bản kiểm tra CCHC năm 2023")
    officer.fill("#self-form input[name=points]", "1")
    officer.locator("#self-form button[type=submit]").click()
    expect(officer.locator("#item-scores [data-cell=self]")).to_have_text("1")
    officer.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    expect(officer.locator("#score-table tr[data-code='1.2'] [data-cell=evidence]")).to_have_text("1")
    _move(officer, "lock_self")
    expect(officer.locator("#sheet-phase")).to_have_text("Đã khóa tự chấm, chờ thẩm định")
    expect(officer.locator("#sheet-totals [data-total=self]")).to_have_text("6")

    # The Sở Nội vụ appraises: lowers 1.2, enters the survey, closes round 1.
    lead = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    lead.set_default_timeout(15_000)
    _login(lead, "snv.tonghop")
    lead.goto("/chi-so-cchc/")
    lead.locator("#appraised-sheets tr[data-agency=SKHCN] a").click()
    _move(lead, "start_round1")
    expect(lead.locator("#sheet-phase")).to_have_text("Thẩm định lần 1")
    _open_item(lead, "1.2")
    expect(lead.locator("#evidence-list")).to_contain_text("Biên bản kiểm tra CCHC năm 2023")
    lead.fill("#appraise-form input[name=points]", "0.5")
    lead.fill("#appraise-form textarea[name=note]", "Biên bản chưa có kết luận xử lý sau kiểm tra.")
    lead.locator("#appraise-form button[type=submit]").click()
    expect(lead.locator("#item-scores [data-cell=round1]")).to_have_text("0,5")
    lead.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _open_item(lead, "8.1")
    lead.fill("#appraise-form input[name=points]", "2.5")
    lead.locator("#appraise-form button[type=submit]").click()
    lead.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _move(lead, "close_round1")
    expect(lead.locator("#sheet-phase")).to_have_text("Giải trình")

    # The officer explains the lowered item and ends the explanation.
    officer.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    expect(officer.locator("#score-table tr[data-code='1.2']")).to_have_attribute("data-lowered", "1")
    _open_item(officer, "1.2")
    officer.fill("#explain-form textarea[name=text]", "Thông báo kết luận kiểm tra số 21/TB-SKHCN đã gửi các phòng.")
    officer.locator("#explain-form button[type=submit]").click()
    expect(officer.locator("#explanation-text")).to_contain_text("21/TB-SKHCN")
    officer.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _move(officer, "finish_explanation")
    expect(officer.locator("#sheet-phase")).to_have_text("Thẩm định lần 2")

    # Round 2 accepts the explanation and closes; the ranking shows both departments.
    lead.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _open_item(lead, "1.2")
    expect(lead.locator("#explanation-text")).to_contain_text("21/TB-SKHCN")
    lead.fill("#appraise-form input[name=points]", "1")
    lead.fill("#appraise-form textarea[name=note]", "Chấp nhận giải trình.")
    lead.locator("#appraise-form button[type=submit]").click()
    expect(lead.locator("#item-scores [data-cell=round2]")).to_have_text("1")
    lead.goto(f"/chi-so-cchc/bang-diem/{sheet.pk}/")
    _move(lead, "close_round2")
    expect(lead.locator("#sheet-phase")).to_have_text("Chờ Hội đồng thẩm định")
    expect(lead.locator("#sheet-totals [data-total=round2]")).to_have_text("8,5")
    timeline = lead.locator("#sheet-timeline")
    for step in ("Kết thúc thẩm định lần 2, trình Hội đồng", "Giải trình mục 1.2", "Thẩm định lần 1 mục 1.2: 0,5 điểm",
                 "Khóa tự chấm, gửi thẩm định", "Bổ sung tài liệu kiểm chứng mục 1.2"):  # fmt: skip
        expect(timeline).to_contain_text(step)

    lead.goto(f"/chi-so-cchc/bo-tieu-chi/{par_year['framework'].pk}/xep-hang/")
    science = lead.locator("#ranking-table tr[data-agency=SKHCN]")
    justice = lead.locator("#ranking-table tr[data-agency=STP]")
    expect(science).to_have_attribute("data-rank", "1")
    expect(science.locator("[data-cell=points]")).to_have_text("8,5")
    expect(science).to_contain_text("Tốt")  # 8,5 of 10: 85 %
    expect(justice).to_have_attribute("data-rank", "2")
    expect(justice.locator("[data-cell=points]")).to_have_text("7")
    lead.locator("#ranking-table th a[data-sort='2']").click()
    expect(lead.locator("#ranking-table tbody tr").first).to_have_attribute("data-agency", "STP")  # 4 > 3 in field 2
    expect(lead.locator("#ranking-table tr[data-agency=STP]")).to_have_attribute("data-rank", "2")
