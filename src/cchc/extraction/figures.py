"""Figures a report states, under the keys of vocabulary.FIGURE_KEYS, each with the sentence it came from.

Reports state figures in a few sentence shapes, whatever the agency:
- a count before its noun: "đã tiếp nhận 88 hồ sơ", "87 hồ sơ nộp trực tuyến", "472 văn bản đi được ký số";
- a label, a colon and the count: "Số hồ sơ giải quyết quá hạn: 0 hồ sơ";
- a ratio: "8/43 nội dung kế hoạch" (done/total), "48/49 TTHC ... mức độ 4", "07/08 văn bản chỉ đạo";
- a negation stating zero: "không có hồ sơ trễ hạn", "không nhận được ý kiến phản ánh, kiến nghị".
Patterns run per sentence on folded text (no diacritics, lower case) of the same length as the original, so the
number is read from the original characters. For each key the patterns are tried in priority order over the whole
report; the first sentence that matches the best pattern wins. A figure never comes from a sentence that does not
state it: sums are taken only where the issue defines the key as one (online procedures = mức độ 3 + mức độ 4, given
in the same sentence).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .vocabulary import FIGURE_KEYS

__all__ = ["read_figures", "parse_number", "sentences"]


class _FoldTable(dict):
    """str.translate table built on first use: one folded character for each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one character (offsets stay valid)."""
    return text.translate(_FOLD_TABLE)


_NUM = r"(?P<n>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_OF = r"(?:\s*/\s*(?P<of>\d+))?"


def parse_number(text: str) -> int | float | None:
    """ "1.176.355" -> 1176355, "13,6" -> 13.6, "07" -> 7 (Vietnamese: "." groups thousands, "," is decimal)."""
    if not text:
        return None
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"\d+\.\d{1,2}", text):
        pass  # "65.3 điểm": a decimal point in a score
    text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in text else value


@dataclass(frozen=True)
class _Rule:
    key: str
    pattern: re.Pattern
    of_key: str | None = None  # the denominator of "x/y" states this key
    zero: bool = False  # a negation: the figure is 0


def _r(key: str, pattern: str, of_key: str | None = None, zero: bool = False) -> _Rule:
    return _Rule(key, re.compile(pattern), of_key, zero)


_HS = r"(?:bo\s+)?(?:ho\s+so|hs)(?:\s+(?:tthc|thu\s+tuc\s+hanh\s+chinh))?"
_TTHC = r"(?:thu\s+tuc\s+hanh\s+chinh|tthc|thu\s+tuc|dich\s+vu\s+cong)"
_LABEL_GAP = r"[^:\d;]{0,60}?:\s*(?:la\s+)?"
_NO = r"(?:khong|chua)\s+(?:co|nhan\s+duoc|phat\s+sinh|tiep\s+nhan)"

# Order matters: within a key, earlier rules have priority over later ones.
_RULES: list[_Rule] = [
    # Dossiers
    _r("dossiers_received", rf"tong\s+so\s+{_HS}\s+(?:da\s+)?(?:tiep\s+nhan|nhan)[^:\d;]{{0,40}}?(?::|la)\s*{_NUM}"),
    _r("dossiers_received", rf"(?:da\s+)?tiep\s+nhan\s+(?:tong\s+(?:so|cong)\s+)?(?:duoc\s+)?{_NUM}\s+{_HS}"
                            r"(?!\s+(?:nop\s+|tiep\s+nhan\s+)?(?:truc\s+tuyen|qua\s+mang|truc\s+tiep|qua\s+buu))"),
    _r("dossiers_received", rf"so\s+{_HS}\s+(?:da\s+)?tiep\s+nhan{_LABEL_GAP}{_NUM}"),
    _r("dossiers_received", rf"tiep\s+nhan\s+tu\s+[^;]{{0,60}}?\s+co\s+{_NUM}\s+{_HS}"),
    _r("dossiers_carried_over", rf"{_NUM}\s+{_HS}\s+(?:cua\s+|tu\s+)?(?:ky|thang|quy|nam)\s+truoc"),
    _r("dossiers_carried_over", rf"(?:ton|chuyen\s+sang)\s+(?:tu\s+)?(?:ky|thang|quy|nam)\s+truoc[^:\d;]{{0,30}}?"
                                rf"(?::|la)\s*{_NUM}"),
    _r("dossiers_online", rf"{_NUM}{_OF}\s+{_HS}\s+(?:duoc\s+)?(?:nop\s+|tiep\s+nhan\s+|gui\s+)?(?:qua\s+|bang\s+|"
                          r"theo\s+)?(?:hinh\s+thuc\s+)?(?:truc\s+tuyen|qua\s+mang|mang|online)", "dossiers_received"),
    _r("dossiers_online", rf"so\s+{_HS}\s+(?:nop\s+|tiep\s+nhan\s+)?(?:truc\s+tuyen|qua\s+mang){_LABEL_GAP}{_NUM}"),
    _r("dossiers_online", rf"{_NO}\s+{_HS}\s+(?:nop\s+|tiep\s+nhan\s+)?(?:truc\s+tuyen|qua\s+mang)", zero=True),
    _r("dossiers_direct", rf"{_NUM}{_OF}\s+{_HS}\s+(?:duoc\s+)?(?:nop\s+|tiep\s+nhan\s+)?(?:qua\s+|tai\s+)?"
                          r"(?:truc\s+tiep|trung\s+tam\s+(?:phuc\s+vu\s+)?hanh\s+chinh\s+cong|bo\s+phan\s+mot\s+cua)",
       "dossiers_received"),
    _r("dossiers_direct", rf"so\s+{_HS}\s+(?:nop\s+|tiep\s+nhan\s+)?truc\s+tiep{_LABEL_GAP}{_NUM}"),
    _r("dossiers_direct", rf"{_NO}\s+{_HS}\s+(?:nop\s+|tiep\s+nhan\s+)?truc\s+tiep", zero=True),
    _r("dossiers_postal", rf"{_NUM}{_OF}\s+{_HS}\s+(?:duoc\s+)?(?:nop\s+|tiep\s+nhan\s+|gui\s+)?(?:qua\s+)?"
                          r"(?:dich\s+vu\s+)?buu\s+chinh", "dossiers_received"),
    _r("dossiers_postal", rf"{_NO}\s+{_HS}\s+(?:nop\s+|tiep\s+nhan\s+)?(?:truc\s+tiep\s*,?\s*(?:va\s+|hoac\s+)?)?"
                          r"(?:qua\s+)?(?:dich\s+vu\s+)?buu\s+chinh", zero=True),
    _r("dossiers_resolved", rf"(?:da\s+)?giai\s+quyet\s+(?:xong\s+)?(?:duoc\s+)?{_NUM}{_OF}\s+{_HS}"
                            r"(?!\s+(?:dung|truoc|tre|qua\s+han))", "dossiers_received"),
    _r("dossiers_resolved", rf"so\s+{_HS}\s+da\s+giai\s+quyet(?!\s+(?:dung|truoc|tre|qua))"
                            rf"{_LABEL_GAP}{_NUM}"),
    _r("dossiers_on_time", rf"{_NUM}{_OF}\s+{_HS}\s+(?:da\s+)?(?:duoc\s+)?(?:giai\s+quyet\s+)?(?:xong\s+)?"
                           r"(?:truoc\s+(?:han\s+|thoi\s+han\s+)?(?:va\s+)?)?(?:dung\s+(?:han|hen))",
       "dossiers_received"),
    _r("dossiers_on_time", rf"{_NUM}{_OF}\s+{_HS}\s+(?:da\s+)?(?:duoc\s+)?giai\s+quyet\s+(?:truoc\s+han|som\s+han)"
                           r"(?:\s+va\s+dung\s+han)?", "dossiers_received"),
    _r("dossiers_on_time", rf"giai\s+quyet\s+(?:dung\s+han\s+va\s+truoc\s+han|truoc\s+han\s+va\s+dung\s+han|"
                           rf"dung\s+han|dung\s+va\s+truoc\s+han)[^:\d;]{{0,30}}?(?::|la)\s*{_NUM}{_OF}",
       "dossiers_received"),
    _r("dossiers_late", rf"{_NUM}{_OF}\s+{_HS}\s+(?:da\s+)?(?:giai\s+quyet\s+)?(?:bi\s+)?(?:tre\s+(?:han|hen)|"
                        r"qua\s+han|cham\s+(?:tre|han))", "dossiers_received"),
    _r("dossiers_late", rf"so\s+{_HS}\s+(?:giai\s+quyet\s+)?(?:tre\s+(?:han|hen)|qua\s+han){_LABEL_GAP}{_NUM}"),
    _r("dossiers_late", rf"khong\s+(?:co|de|phat\s+sinh)\s+(?:\w+\s+){{0,3}}?{_HS}\s+(?:\w+\s+){{0,3}}?"
                        r"(?:tre\s+(?:han|hen)|qua\s+han|cham\s+tre)", zero=True),
    _r("dossiers_in_progress", rf"{_NUM}{_OF}\s+{_HS}\s+(?:\w+\s+){{0,3}}?dang\s+(?:giai\s+quyet|xu\s+ly)",
       "dossiers_received"),
    _r("dossiers_in_progress", rf"so\s+{_HS}\s+dang\s+(?:trong\s+qua\s+trinh\s+)?(?:giai\s+quyet|xu\s+ly)"
                               rf"{_LABEL_GAP}{_NUM}"),
    _r("dossiers_on_time_rate", r"giai\s+quyet\s+(?:dung\s+han|truoc\s+(?:va\s+)?dung\s+han)[^.;]{0,60}?"
                                r"(?:dat|chiem)\s+(?:ty\s+le\s+)?(?P<n>\d+(?:,\d+)?)\s*%"),
    # Feedback
    _r("feedback_received", rf"(?:tiep\s+nhan|nhan\s+duoc|co)\s+{_NUM}\s+(?:luot\s+|truong\s+hop\s+|y\s+kien\s+)?"
                            r"phan\s+anh"),
    _r("feedback_received", rf"so\s+phan\s+anh[^:\d;]{{0,40}}?(?::|la)\s*{_NUM}"),
    _r("feedback_received", rf"{_NO}\s+(?:\w+\s+){{0,3}}?(?:y\s+kien\s+)?phan\s+anh", zero=True),
    # Procedures
    _r("procedures_total", rf"(?:bo\s+)?(?:tthc|thu\s+tuc\s+hanh\s+chinh)\s+(?:cua\s+[^\d;:]{{0,40}}?)?gom\s+"
                           rf"(?:co\s+)?{_NUM}\s+{_TTHC}"),
    _r("procedures_total", rf"cong\s+bo\s+(?:\w+\s+){{0,4}}?{_NUM}\s+{_TTHC}"),
    _r("procedures_total", rf"{_NUM}\s+{_TTHC}\s+thuoc\s+(?:tham\s+quyen|tham\s+quyen\s+giai\s+quyet)"),
    _r("procedures_total", rf"tong\s+(?:so|cong)\s+(?:co\s+)?{_NUM}\s+{_TTHC}"),
    _r("procedures_total", rf"tong\s+so\s+(?:tthc|thu\s+tuc\s+hanh\s+chinh|thu\s+tuc)[^:\d;]{{0,60}}?"
                           rf"(?::|la)\s*{_NUM}"),
    _r("procedures_total", rf"cong\s+khai\s+(?:\w+\s+){{0,2}}?{_NUM}\s+{_TTHC}"),
    _r("procedures_one_stop", rf"{_NUM}{_OF}\s+{_TTHC}\s+(?:duoc\s+)?(?:thuc\s+hien\s+|giai\s+quyet\s+|tiep\s+nhan\s+)?"
                              r"(?:theo\s+)?(?:co\s+che\s+)?mot\s+cua(?!\s+lien\s+thong)", "procedures_total"),
    _r("procedures_interlinked", rf"(?:theo\s+)?co\s+che\s+mot\s+cua\s+lien\s+thong[^:\d;]{{0,20}}?:\s*{_NUM}"),
    _r("procedures_interlinked", rf"{_NUM}\s+{_TTHC}\s+(?:\w+\s+){{0,3}}?mot\s+cua\s+lien\s+thong"),
    _r("procedures_online_full", rf"{_NUM}{_OF}\s+{_TTHC}\s+(?:(?!muc\s+do)[^;.\d]){{0,80}}?"
                                 r"(?:muc\s+do\s+4|toan\s+trinh)",
       "procedures_total"),
    _r("procedures_online_full", rf"(?:muc\s+do\s+4|toan\s+trinh)[^:\d;]{{0,30}}?(?::|la)\s*{_NUM}{_OF}",
       "procedures_total"),
    _r("procedures_online_partial", rf"{_NUM}{_OF}\s+{_TTHC}\s+(?:(?!muc\s+do)[^;.\d]){{0,80}}?"
                                    r"(?:muc\s+do\s+3|mot\s+phan)",
       "procedures_total"),
    _r("procedures_online", rf"(?:dich\s+vu\s+cong\s+truc\s+tuyen|dvc\s+truc\s+tuyen|dvctt)[^:\d;]{{0,30}}?"
                            rf"(?:la|:)\s*{_NUM}{_OF}\s+{_TTHC}", "procedures_total"),
    _r("procedures_online", rf"{_NUM}{_OF}\s+{_TTHC}\s+(?:duoc\s+)?(?:cung\s+cap\s+)?(?:dich\s+vu\s+cong\s+)?"
                            r"truc\s+tuyen", "procedures_total"),
    # Plans and directives
    _r("plan_tasks_done", rf"(?:hoan\s+thanh|thuc\s+hien)\s+(?:duoc\s+)?{_NUM}/(?P<of>\d+)\s+"
                          r"(?:noi\s+dung|nhiem\s+vu|chi\s+tieu)(?=[^.;]{0,40}ke\s+hoach)", "plan_tasks_total"),
    _r("plan_tasks_done", rf"ke\s+hoach[^.;]{{0,120}}?(?:hoan\s+thanh|thuc\s+hien)\s+(?:duoc\s+)?{_NUM}/(?P<of>\d+)"
                          r"\s+(?:noi\s+dung|nhiem\s+vu|chi\s+tieu)", "plan_tasks_total"),
    _r("plan_tasks_total", rf"ke\s+hoach[^.;]{{0,160}}?\s(?:gom|voi|co)\s+(?:tong\s+so\s+)?{_NUM}\s+"
                           r"(?:noi\s+dung|nhiem\s+vu|nhom\s+nhiem\s+vu)"),
    _r("directives_done", rf"{_NUM}/(?P<of>\d+)\s+(?:van\s+ban|nhiem\s+vu|noi\s+dung)[^.;]{{0,60}}?"
                          r"(?:chi\s+dao|duoc\s+giao|ubnd|chu\s+tich)", "directives_total"),
    _r("directives_total", rf"(?:ubnd|chu\s+tich|uy\s+ban)[^.;]{{0,40}}?giao\s+{_NUM}\s+nhiem\s+vu"),
    # Digital government
    _r("signed_documents", rf"{_NUM}\s+van\s+ban\s+(?:\w+\s+){{0,2}}?(?:duoc\s+|da\s+)?(?:ky\s+so|"
                           r"ky\s+bang\s+chu\s+ky\s+so|su\s+dung\s+chu\s+ky\s+so)"),
    _r("signed_documents", rf"(?:ky\s+so|chu\s+ky\s+so)[^:\d;]{{0,40}}?(?::|la)\s*{_NUM}\s+van\s+ban"),
    _r("website_visits", rf"(?:luot\s+truy\s+cap|so\s+luong\s+truy\s+cap)[^:\d;]{{0,60}}?(?::|la)\s*{_NUM}"),
    # Public finance
    _r("revenue_collected", rf"thu\s+(?:phi|ngan\s+sach|le\s+phi)[^:;]{{0,60}}?:\s*{_NUM}\s*/\s*(?P<of>\d+(?:,\d+)?)"
                            r"\s*\(?(?:trieu|tr\.?)", "revenue_plan"),
    # Indices
    _r("pii_score", rf"(?:pii|doi\s+moi\s+sang\s+tao\s+cap\s+(?:dia\s+phuong|tinh))[^.;]{{0,80}}?"
                    rf"(?:dat|voi|duoc)\s+{_NUM}\s*diem"),
    _r("pii_rank", r"(?:pii|doi\s+moi\s+sang\s+tao\s+cap\s+(?:dia\s+phuong|tinh))[^.;]{0,120}?"
                   r"(?:xep\s+(?:thu|hang)|dung\s+thu|hang)\s+(?:thu\s+)?(?P<n>\d{1,2})(?!\d)"),
    _r("papi_score", rf"papi[^.;]{{0,80}}?(?:dat|voi|duoc)\s+{_NUM}\s*diem"),
    _r("papi_rank", r"papi[^.;]{0,120}?(?:xep\s+(?:thu|hang)|dung\s+thu)\s+(?:thu\s+)?(?P<n>\d{1,2})(?!\d)"),
    _r("par_index_score", rf"(?:par\s+index|chi\s+so\s+(?:cai\s+cach\s+hanh\s+chinh|cchc))[^.;]{{0,80}}?"
                          rf"(?:dat|voi|duoc)\s+{_NUM}\s*(?:diem|%)"),
    _r("par_index_rank", r"(?:par\s+index|chi\s+so\s+(?:cai\s+cach\s+hanh\s+chinh|cchc))[^.;]{0,120}?"
                         r"(?:xep\s+(?:thu|hang)|dung\s+thu)\s+(?:thu\s+)?(?P<n>\d{1,2})(?!\d)"),
    _r("sipas_score", rf"sipas[^.;]{{0,80}}?(?:dat|voi)\s+{_NUM}\s*%"),
    _r("pci_score", rf"pci[^.;]{{0,80}}?(?:dat|voi|duoc)\s+{_NUM}\s*diem"),
    _r("pci_rank", r"pci[^.;]{0,120}?(?:xep\s+(?:thu|hang)|dung\s+thu)\s+(?:thu\s+)?(?P<n>\d{1,2})(?!\d)"),
]

# A cheap test before the rules of a key family run on a sentence (the rules all contain one of these words).
_NEEDS: dict[str, re.Pattern] = {
    "dossiers": re.compile(r"ho\s+so|\bhs\b"),
    "procedures": re.compile(r"thu\s+tuc|tthc|dich\s+vu\s+cong|dvc"),
    "feedback": re.compile(r"phan\s+anh"),
    "plan": re.compile(r"ke\s+hoach"),
    "directives": re.compile(r"giao|chi\s+dao"),
    "signed": re.compile(r"ky\s+so"),
    "website": re.compile(r"truy\s+cap"),
    "revenue": re.compile(r"thu\s"),
    "pii": re.compile(r"pii|doi\s+moi\s+sang\s+tao"),
    "papi": re.compile(r"papi"),
    "par": re.compile(r"par\s+index|chi\s+so"),
    "sipas": re.compile(r"sipas"),
    "pci": re.compile(r"pci"),
}

_LEVELS = re.compile(
    rf"(?<![\d/])(?<!muc\sdo\s){_NUM}(?:/\d+)?\s+(?:(?!muc\s+do)[^;:\d]){{0,80}}?(?:muc\s+do\s+(?P<level>[34])|(?P<full>toan\s+trinh)|"
    r"(?P<partial>mot\s+phan))(?!\d|,\d)"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ\"“(*+-])|(?<=;)\s+(?=[-+*•])|\s*\n\s*")


def sentences(paragraph: str) -> list[str]:
    parts = (re.sub(r"^[-+*•–]\s+", "", s.strip()) for s in _SENTENCE_SPLIT.split(paragraph) if s and s.strip())
    return [p for p in parts if p]


def _levels(folded: str) -> tuple[int | None, int | None]:
    """(level 3 or partial, level 4 or full) counts stated in one sentence."""
    partial = full = None
    for m in _LEVELS.finditer(folded):
        value = parse_number(m.group("n"))
        if not isinstance(value, int):
            continue
        if (m.group("level") == "4" or m.group("full")) and full is None:
            full = value
        elif (m.group("level") == "3" or m.group("partial")) and partial is None:
            partial = value
    return partial, full


def read_figures(paragraphs: list[str]) -> tuple[dict, dict]:
    """(figures, figure_sources) from the body paragraphs, in document order."""
    units: list[tuple[str, str]] = []
    for para in paragraphs:
        for sentence in sentences(para):
            units.append((sentence, _fold_same_length(sentence)))

    figures: dict[str, int | float] = {}
    sources: dict[str, str] = {}
    rank: dict[str, int] = {}

    def put(key: str, value, sentence: str, priority: int) -> None:
        if value is None:
            return
        if key in figures and rank[key] <= priority:
            return
        figures[key] = value
        sources[key] = sentence
        rank[key] = priority

    # Online procedures: "05 dịch vụ công mức độ 3, 02 dịch vụ công mức độ 4" -> online 7, full 2.
    for sentence, folded in units:
        if not re.search(r"muc\s+do\s+[34]|toan\s+trinh|mot\s+phan", folded):
            continue
        if not re.search(r"thu\s+tuc|tthc|dich\s+vu\s+cong|dvc", folded):
            continue
        partial, full = _levels(folded)
        if partial is None and full is None:
            continue
        if "procedures_online" not in figures:
            put("procedures_online", (partial or 0) + (full or 0), sentence, -1)
        if full is not None and "procedures_online_full" not in figures:
            put("procedures_online_full", full, sentence, -1)
        if partial is not None and "procedures_online_partial" not in figures:
            put("procedures_online_partial", partial, sentence, -1)
        break

    for priority, rule in enumerate(_RULES):
        if rule.key in figures and rank[rule.key] < priority:
            continue
        needs = _NEEDS.get(rule.key.split("_", 1)[0])
        for sentence, folded in units:
            if needs is not None and not needs.search(folded):
                continue
            m = rule.pattern.search(folded)
            if not m:
                continue
            if rule.zero:
                put(rule.key, 0, sentence, priority)
            else:
                put(rule.key, parse_number(sentence[m.start("n"):m.end("n")]), sentence, priority)
                if rule.of_key and m.groupdict().get("of"):
                    put(rule.of_key, parse_number(sentence[m.start("of"):m.end("of")]), sentence, len(_RULES) + 1)
            break

    # dossiers_resolved = on time + late when one sentence states both and no resolved count is written.
    if "dossiers_resolved" not in figures and "dossiers_on_time" in figures and "dossiers_late" in figures:
        if sources["dossiers_on_time"] == sources["dossiers_late"]:
            put("dossiers_resolved", figures["dossiers_on_time"] + figures["dossiers_late"],
                sources["dossiers_on_time"], len(_RULES) + 2)
    ordered = {k: figures[k] for k in sorted(figures, key=_key_order)}
    return ordered, {k: sources[k] for k in ordered}


_KEY_ORDER = {key: index for index, key in enumerate(FIGURE_KEYS)}


def _key_order(key: str) -> int:
    return _KEY_ORDER.get(key, len(_KEY_ORDER))
