"""Which agency a report belongs to: the agencies a person may import for, each named with its province, and the
one proposed from what the report says (its agency's name and province, the issuer code of its symbol), across the
2025 mergers through the agencies' successors.

Names are compared folded (cchc.text.fold: no diacritics, no case) with the usual abbreviations written out ("Sở
KH&CN" is "Sở Khoa học và Công nghệ") and the province left out ("Sở Tư pháp tỉnh Lai Châu" is "Sở Tư pháp" of Lai
Châu). A report of 2023 goes to the agency that existed in 2023; when that agency has since merged into another, the
proposal says so, and when the person may import only for its successor, the successor is proposed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cchc.agencies.models import Agency, Province
from cchc.agencies.scoping import can, home_agency, visible_agencies
from cchc.text import fold

from .. import submissions

_ABBREVIATIONS = {
    "kh&cn": "khoa hoc va cong nghe", "khcn": "khoa hoc va cong nghe",
    "tn&mt": "tai nguyen va moi truong", "tnmt": "tai nguyen va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon", "nnptnt": "nong nghiep va phat trien nong thon",
    "nn&mt": "nong nghiep va moi truong", "gd&dt": "giao duc va dao tao", "gddt": "giao duc va dao tao",
    "ldtb&xh": "lao dong thuong binh va xa hoi", "ldtbxh": "lao dong thuong binh va xa hoi",
    "vhtt&dl": "van hoa the thao va du lich", "vh,tt&dl": "van hoa the thao va du lich",
    "vhttdl": "van hoa the thao va du lich", "tt&tt": "thong tin va truyen thong", "tttt": "thong tin va truyen thong",
    "kh&dt": "ke hoach va dau tu", "khdt": "ke hoach va dau tu", "gtvt": "giao thong van tai",
    "ubnd": "uy ban nhan dan", "tp": "thanh pho", "tp.": "thanh pho",
}  # fmt: skip
_PUNCTUATION = re.compile(r"[,.;:()\-–—/]+")
_PLACE_WORDS = re.compile(r"\s+(?:tinh|thanh pho)(?:\s+truc\s+thuoc\s+trung\s+uong)?\s*$")
MAX_PREDECESSOR_DEPTH = 3


def _words(text: str) -> str:
    folded = fold(text)
    words = [_ABBREVIATIONS.get(word, word) for word in folded.split()]
    return " ".join(_PUNCTUATION.sub(" ", " ".join(words)).replace("&", " va ").split())


def province_key(name: str | None) -> str:
    return _words(name or "")


def agency_key(name: str | None, province: str | None = None) -> str:
    """An agency's name as compared: folded, abbreviations written out, the province's name left out."""
    key = _words(name or "")
    place = province_key(province)
    if place and key.endswith(" " + place):
        key = _PLACE_WORDS.sub("", key[: -len(place) - 1])
    return key


def agency_label(agency: Agency) -> str:
    """How a picker names an agency: its name and its province ("Sở Khoa học và Công nghệ – Ninh Thuận"), and the
    day it stopped existing when it merged into another."""
    label = agency.name
    if agency.province_id:
        label = f"{label} – {agency.province.name}"
    if agency.valid_to:
        label += " " + _("(đến %(day)s)") % {"day": f"{agency.valid_to:%d/%m/%Y}"}
    return label


def import_agencies(user) -> list[Agency]:
    """The agencies a user may import reports for (submissions.may_import_for): their own, with the right to edit
    reports, and the members of the aggregators they act for; sorted by name, then province."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: dict[int, Agency] = {}
    visible = visible_agencies(user)
    for agency in visible.filter(memberships__user=user).select_related("province").distinct():
        if can(user, "report.edit", agency):
            found[agency.pk] = agency
    for aggregator in submissions.aggregator_agencies(user).order_by("name", "pk")[:50]:
        for member in submissions.members_of(aggregator).filter(pk__in=visible.values("pk")):
            found.setdefault(member.pk, member)
    return sorted(found.values(), key=lambda a: (a.name, a.province.name if a.province else "", a.pk))


def upload_desk(user, chosen: Agency | None = None) -> Agency | None:
    """The agency on whose desk a user's upload sits (its job, a report whose agency was not recognised): the agency
    chosen when the user edits its reports, else the aggregator the user acts for, else the user's own agency."""
    if chosen is not None and can(user, "report.edit", chosen):
        return chosen
    if chosen is not None and (aggregator := submissions.acting_aggregator(user, chosen)) is not None:
        return aggregator
    aggregator = submissions.aggregator_agencies(user).filter(memberships__user=user).order_by("pk").first()
    return aggregator or home_agency(user) or chosen


def _valid_on(agency: Agency, day: dt.date | None) -> bool:
    if day is None:
        return agency.valid_to is None
    return (agency.valid_from is None or agency.valid_from <= day) and (
        agency.valid_to is None or day <= agency.valid_to
    )


@dataclass
class AgencyProposal:
    agency: Agency | None  # the agency to preselect (one the person may import for), None when nothing fits
    named: Agency | None  # the agency the report names, when cchc knows it (may be a predecessor of `agency`)
    read_name: str
    read_province: str
    reason: str

    @property
    def successor(self) -> Agency | None:
        """Who the proposed agency became after a merger (shown beside the proposal)."""
        agency = self.agency
        return agency.successor if agency is not None and agency.successor_id else None


def _issuer_code(symbol: str | None) -> str:
    """ "BC-SKHCN" -> "skhcn": the issuing agency's part of a symbol (its last part)."""
    parts = [part for part in re.split(r"[-/]", fold(symbol or "")) if part]
    return parts[-1].replace(" ", "") if len(parts) >= 2 else ""


def _pool(candidates: list[Agency]) -> dict[int, Agency]:
    """The candidates, the agencies that merged into them (a few generations back) and their successors."""
    pool = {agency.pk: agency for agency in candidates}
    frontier = [agency.pk for agency in candidates]
    for _depth in range(MAX_PREDECESSOR_DEPTH):
        if not frontier:
            break
        older = list(Agency.objects.filter(successor_id__in=frontier).exclude(pk__in=pool)
                     .select_related("province", "successor__province"))  # fmt: skip
        pool.update((agency.pk, agency) for agency in older)
        frontier = [agency.pk for agency in older]
    successors = [a.successor_id for a in pool.values() if a.successor_id and a.successor_id not in pool]
    if successors:
        pool.update((a.pk, a) for a in Agency.objects.filter(pk__in=successors).select_related("province"))
    return pool


def _merged_provinces(province: str) -> set[int]:
    """The provinces a province of that name became (its successors, a few generations on): a report that names
    Quảng Bình may belong to an agency of Quảng Trị when cchc only knows the merged province's agencies."""
    if not province:
        return set()
    found: set[int] = set()
    current = [p for p in Province.objects.exclude(successor=None).only("pk", "name", "successor_id")
               if province_key(p.name) == province]  # fmt: skip
    for _depth in range(MAX_PREDECESSOR_DEPTH):
        ids = {p.successor_id for p in current if p.successor_id and p.successor_id not in found}
        if not ids:
            break
        found |= ids
        current = list(Province.objects.filter(pk__in=ids).only("pk", "successor_id"))
    return found


def _score(agency: Agency, name: str, province: str, code: str, day: dt.date | None,
           merged_into: set[int] = frozenset()) -> int | None:  # fmt: skip
    """How well `agency` fits what the report says (None: it does not)."""
    own_province = province_key(agency.province.name) if agency.province_id else ""
    score = 0
    if province and own_province and province != own_province:
        if agency.province_id not in merged_into:
            return None
        score -= 2  # the agency of the province the report's province merged into: second best
    key = agency_key(agency.name, agency.province.name if agency.province_id else None)
    if name:
        if key == name:
            score += 4
        elif code and fold(agency.code).replace("-", "").startswith(code):
            score += 1  # the name differs (an older name, a typo) but the symbol is the agency's own
        else:
            return None
    if code and fold(agency.code).replace(" ", "").split("-")[0] == code:
        score += 2
    elif not name:
        return None
    if province and own_province == province:
        score += 3
    score += 1 if _valid_on(agency, day) else -2
    return score


def _importable(agency: Agency, allowed: dict[int, Agency]) -> Agency | None:
    """`agency` itself when the person may import for it, else the first of its successors they may."""
    seen: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in seen:
        if current.pk in allowed:
            return allowed[current.pk]
        seen.add(current.pk)
        current = current.successor if current.successor_id else None
    return None


def propose_agency(metadata: dict, candidates: list[Agency], day: dt.date | None = None) -> AgencyProposal:
    """The agency among `candidates` the report's metadata names (see the module's docstring)."""
    read_name = (metadata.get("agency") or "").strip()
    read_province = (metadata.get("province") or "").strip()
    name = agency_key(read_name, read_province)
    province = province_key(read_province)
    code = _issuer_code(metadata.get("symbol"))
    allowed = {agency.pk: agency for agency in candidates}
    if not name and not code:
        return AgencyProposal(None, None, read_name, read_province,
                              _("Báo cáo không ghi rõ tên cơ quan: hãy chọn cơ quan báo cáo."))  # fmt: skip
    scored = []
    merged_into = _merged_provinces(province)
    for agency in _pool(candidates).values():
        score = _score(agency, name, province, code, day, merged_into)
        if score is not None:
            scored.append((score, agency))
    scored.sort(key=lambda item: (-item[0], item[1].pk))
    said = " – ".join(part for part in (read_name, read_province) if part) or (metadata.get("symbol") or "")
    if not scored:
        return AgencyProposal(None, None, read_name, read_province,
                              _("Báo cáo ghi «%(said)s», không khớp cơ quan nào bạn được nhập báo cáo: hãy chọn "
                                "cơ quan.") % {"said": said})  # fmt: skip
    best_score, best = scored[0]
    rivals = [agency for score, agency in scored[1:] if score == best_score]
    target = _importable(best, allowed)
    if rivals and any(_importable(rival, allowed) not in (None, target) for rival in rivals):
        return AgencyProposal(None, None, read_name, read_province,
                              _("Báo cáo ghi «%(said)s»: nhiều cơ quan cùng khớp, hãy chọn cơ quan.")
                              % {"said": said})  # fmt: skip
    if target is None:
        return AgencyProposal(None, best, read_name, read_province,
                              _("Báo cáo của %(agency)s, không thuộc các cơ quan bạn được nhập báo cáo: hãy chọn "
                                "cơ quan.") % {"agency": agency_label(best)})  # fmt: skip
    if best.province_id and province and province_key(best.province.name) != province:
        reason = _("Báo cáo của %(said)s; tỉnh này đã hợp nhất vào %(province)s, nên đề xuất %(agency)s.") % {
            "said": said, "province": best.province.name, "agency": agency_label(target)}  # fmt: skip
    elif target.pk != best.pk:
        reason = _("Báo cáo của %(old)s; cơ quan này đã hợp nhất vào %(new)s, nên đề xuất nhập cho %(new)s.") % {
            "old": agency_label(best), "new": agency_label(target)}  # fmt: skip
    else:
        reason = _("Đề xuất theo tên cơ quan và tỉnh ghi trong báo cáo («%(said)s»).") % {"said": said}
        if target.successor_id:
            reason += " " + _("Cơ quan này hoạt động đến %(day)s, nay là %(successor)s.") % {
                "day": f"{target.valid_to:%d/%m/%Y}" if target.valid_to else "—",
                "successor": agency_label(target.successor)}  # fmt: skip
    return AgencyProposal(target, best, read_name, read_province, reason)
