"""What a report's user is asked to confirm before going on: another report of the same template, agency and period
already exists (creation), or sections are still empty or hold outline prompts nobody answered (submission,
approval). services.py raises the exceptions below unless the caller confirmed; the pages list what was found, with
links, and ask."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Report, ReportSection, ReportTemplate

# A line ending with a colon, possibly a "-" or "+" item in *italics*: "+ Bộ phận Một cửa trong kỳ (nhân sự, nơi làm
# việc, cách tổ chức):". It is a prompt left unanswered when nothing follows it: no next line, or a next item of the
# same rank or higher ("-" is above "+"); text or a deeper item after it is its answer.
_COLON_LINE = re.compile(r"^\s*(?P<bullet>[-+]?)\s*\**[^*\n]*?:\s*\**\s*$")
_BULLET_RANK = {"": 0, "-": 1, "+": 2}


def _rank(line: str) -> int | None:
    """1 for a "-" item, 2 for a "+" item, None for a plain line."""
    stripped = line.lstrip()
    return _BULLET_RANK[stripped[0]] if stripped[:1] in ("-", "+") else None


@dataclass(frozen=True)
class Unfinished:
    """A section still to be written: empty, or with the outline's prompts left unanswered."""

    section: ReportSection
    prompts: list[str]

    @property
    def label(self) -> str:
        return f"{self.section.number} {self.section.heading}".strip()

    @property
    def anchor(self) -> str:
        return f"muc-{self.section.pk}"

    @property
    def problem(self) -> str:
        if not self.prompts:
            return _("chưa có nội dung")
        return _("còn dòng gợi ý chưa viết: %(prompts)s") % {"prompts": "; ".join(f"«{p}»" for p in self.prompts)}


def unanswered_prompts(text: str) -> list[str]:
    """The lines of `text` that end with a colon and have nothing written under them (markup removed). A deeper
    item under a prompt answers it, unless that item is itself an unanswered prompt."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    unanswered = [False] * len(lines)
    for index in range(len(lines) - 1, -1, -1):  # from the end: whether the next line is answered is known
        match = _COLON_LINE.match(lines[index])
        if not match:
            continue
        if index + 1 == len(lines):
            unanswered[index] = True
            continue
        rank, next_rank = _BULLET_RANK[match.group("bullet")], _rank(lines[index + 1])
        if rank and next_rank is not None and (next_rank <= rank or unanswered[index + 1]):
            unanswered[index] = True
    return [line.strip().replace("*", "").strip() for line, empty in zip(lines, unanswered, strict=True) if empty]


def unfinished_sections(report: Report) -> list[Unfinished]:
    """Sections that would print empty or with bare prompts: a section with unanswered prompt lines, and a section
    with no narrative and no computed figures that has no sub-sections (a heading such as "II." with its parts
    below it is not empty)."""
    sections = list(report.sections.order_by("order"))
    found = []
    for index, section in enumerate(sections):
        prompts = unanswered_prompts(section.text)
        if prompts:
            found.append(Unfinished(section, prompts))
            continue
        has_children = index + 1 < len(sections) and sections[index + 1].level > section.level
        if not section.text.strip() and not section.blocks and not has_children:
            found.append(Unfinished(section, []))
    return found


class UnfinishedSections(ValidationError):
    """Submitting or approving a report with sections still to write: the user must confirm."""

    def __init__(self, unfinished: list[Unfinished]) -> None:
        self.unfinished = unfinished
        super().__init__(
            _("Báo cáo còn %(n)s mục chưa viết hoặc còn dòng gợi ý chưa trả lời: %(sections)s.")
            % {"n": len(unfinished), "sections": ", ".join(item.label for item in unfinished)},
            code="unfinished_sections",
        )


def same_reports(agency, template: ReportTemplate, period) -> list[Report]:
    """The agency's reports of this template (by slug: its own copy or the built-in) covering exactly `period`."""
    return list(
        Report.objects.filter(
            agency=agency,
            template__slug=template.slug,
            period_start=period.start,
            period_end=period.end,
        ).order_by("-pk")
    )


class DuplicateReport(ValidationError):
    """A report of the same template, agency and period exists: creating another needs an explicit confirmation."""

    def __init__(self, existing: list[Report]) -> None:
        self.existing = existing
        super().__init__(
            _("Đã có báo cáo %(titles)s cho kỳ này. Vẫn tạo báo cáo mới?")
            % {"titles": ", ".join(f"«{' '.join(r.title.split())}»" for r in existing)},
            code="duplicate_report",
        )
