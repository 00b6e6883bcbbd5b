"""A document's metadata from the layout Nghị định 30/2020/NĐ-CP (Điều 8-16, Phụ lục I) prescribes.

Header (first page): parent authority and issuing agency (upper case, left), "Số: 136/BC-SKHCN", the quốc hiệu and motto
(right), "<place>, ngày dd tháng mm năm yyyy"; then the document type (BÁO CÁO) and the excerpt (trích yếu).
End: the signature block (authority form "KT. GIÁM ĐỐC", position "PHÓ GIÁM ĐỐC", the signer's name) and "Nơi nhận:"
with one recipient per line ("- Sở Nội vụ;" ... "- Lưu: VT, VP.").

Each field is read from its own place in that layout; a part the file lacks (a header lost in conversion, a missing
signature) gives null, never a value taken from elsewhere by guessing. Two documented fall-backs read what the
document itself states: the agency from the excerpt ("... của Sở Khoa học và Công nghệ") or the opening sentence
("Sở X báo cáo ..."), and the province from the place of issue when it is a province's name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cchc.documents.references import KIND_WORDS, parse_number_line
from cchc.text import fold

from .vocabulary import PROVINCES

__all__ = ["Metadata", "read_metadata", "split_main_and_appendix"]


@dataclass
class Metadata:
    province: str | None = None
    agency: str | None = None
    document_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    title: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    recipients: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "province": self.province,
            "agency": self.agency,
            "document_type": self.document_type,
            "number": self.number,
            "symbol": self.symbol,
            "date": self.date,
            "title": self.title,
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "signing_authority": self.signing_authority,
            "recipients": list(self.recipients),
        }


_UPPER_CHARS = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_FOLDED_TYPES = {fold(k): v for k, v in KIND_WORDS.items() if v != "Văn bản"}
_FOLDED_TYPES.update({"cong van": "Công văn", "bao cao tom tat": "Báo cáo"})
_DATE_LINE = re.compile(
    r"^(?P<place>[^,\n]{2,60}?)\s*,\s*(?i:ngày|ngay)\s*(?P<d>[0-9]{1,2})?[\s._…/-]*(?i:tháng|thang)\s*"
    r"(?P<m>[0-9]{1,2})?[\s._…/-]*(?i:năm|nam)\s*(?P<y>(?:19|20)[0-9]{2})"
)
_NUMBER_LINE = re.compile(r"^\s*(?i:số|so)\s*:")
_AUTHORITY = re.compile(r"^(?P<form>(?:KT|TM|TL|TUQ|Q|UQ)\s?\.\s*)(?P<rest>.+)$")
_POSITION_WORDS = (
    "giam doc", "chu tich", "truong", "chanh", "bi thu", "thu truong", "tong cuc", "cuc truong", "vien truong",
    "hieu truong", "tong giam doc", "uy vien", "chu nhiem", "truong ban", "truong phong", "giam doc so",
    "chanh van phong", "chanh thanh tra", "pho", "thu ky",
)
_SIGNING_NOTES = re.compile(
    r"^[(\[]?\s*(?:đã\s+ký|da\s+ky|ký\s+tên|ký,|chữ\s+ký|signed|\(?ký|\(?đóng\s+dấu|kèm\s+chữ\s+ký)", re.IGNORECASE
)
_NAME = re.compile(rf"^(?:[{_UPPER_CHARS}][\w'’]*\.?\s+){{1,5}}[{_UPPER_CHARS}][\w'’]*$")
_BODY_START = re.compile(
    r"^(?:căn\s+cứ|thực\s+hiện|theo|kính\s+gửi|triển\s+khai|nhằm|để|trên\s+cơ\s+sở|ngày\s+\d|phần|thi\s+hành|"
    r"tiếp\s+theo|qua|sau\s+khi|nhận\s+được|[IVX]+[.)/]\s|1[.)]\s)",
    re.IGNORECASE,
)
_RULE_LINE = re.compile(r"^[-_=–—.*\s]{3,}$")
_APPENDIX = re.compile(r"^(?i:phụ\s+lục|phu\s+luc)(?:\s+(?:[0-9]+|[IVXLC]+|số\s+[0-9]+))?\s*[:.]?\s*$")
_APPENDIX_OF = re.compile(r"^\(?\s*(?i:kèm\s+theo|ban\s+hành\s+kèm\s+theo)\s")
_AGENCY_HEAD = (
    r"(?:Sở|Ban|Văn\s+phòng|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân|UBND|Phòng|Cục|Chi\s+cục|Trung\s+tâm|Bộ|"
    r"Thanh\s+tra|Trường|Bệnh\s+viện|Đài|Ban\s+Quản\s+lý|Hội\s+đồng\s+nhân\s+dân|Kho\s+bạc|Viện|Tổng\s+cục|Công\s+an|"
    r"Bộ\s+Chỉ\s+huy|Bảo\s+hiểm\s+xã\s+hội|Cục\s+Thuế|Liên\s+đoàn|Tỉnh\s+đoàn|Hội)"
)
_AGENCY_WORD = rf"(?:[{_UPPER_CHARS}&][\w&]*|và|học|nghệ|vụ|tế|trường|chính|dục|tạo|tư|dân|thông|hội|nông|thôn|xã|"\
    r"binh|"\
    r"lao|động|thương|nghiệp|công|thể|thao|lịch|lý|nhân|tỉnh|thành|phố|quận|huyện|thị|đô|nước|chất|lượng|đo|lường|"\
    r"tiêu|chuẩn|sản|môi|đầu|kế|hoạch|tài|nguyên|truyền|phát|triển|xây|dựng|giao|vận|tải|pháp|ngoại|nội|khoa|"\
    r"cứu|ứng|dụng|tin|quản|hành|phục|cộng|đồng)"
_AGENCY_REPORTS = re.compile(
    rf"(?P<agency>{_AGENCY_HEAD}(?:\s+{_AGENCY_WORD}){{1,10}}?)\s+(?:xin\s+|kính\s+|trân\s+trọng\s+)?báo\s+cáo\b"
)
_AGENCY_OF = re.compile(rf"\b(?:của|tại)\s+(?P<agency>{_AGENCY_HEAD}(?:\s+{_AGENCY_WORD}){{1,10}})\s*$")
_PARENT_PROVINCE = re.compile(
    r"^(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|tinh uy|thanh uy|van phong ubnd)\s+"
    r"(?:tinh|thanh pho|tp\.?)\s+(?P<name>.+)$"
)


def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _province_name(text: str) -> str | None:
    key = fold(text).replace("–", "-")
    key = re.sub(r"^(?:tinh|thanh pho|tp\.?)\s+", "", key).strip(" .,")
    key = re.sub(r"\s*-\s*", " - ", key)
    return PROVINCES.get(key)


def split_main_and_appendix(lines: list[str]) -> int:
    """Index of the first line of the appendix ("Phụ lục 1", "PHỤ LỤC I"), or len(lines)."""
    for i, line in enumerate(lines):
        if i > 5 and _APPENDIX.match(line.strip()):
            return i
        if i > 5 and _APPENDIX_OF.match(line.strip()) and i + 1 < len(lines) and re.search(
            r"(?i:báo\s+cáo|kế\s+hoạch)\s+số", line
        ):
            # "(Kèm theo Báo cáo số .../BC-...)" without a "Phụ lục" line above it: the title line before it starts it.
            return max(i - 1, 0)
    return len(lines)


def _date_value(match: re.Match) -> str:
    year = match.group("y")
    month, day = match.group("m"), match.group("d")
    if not month or not 1 <= int(month) <= 12:
        return year
    if not day or not 1 <= int(day) <= 31:
        return f"{year}-{int(month):02d}"
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return f"{year}-{int(month):02d}"


def _doc_type(line: str) -> str | None:
    stripped = line.strip(" *#:")
    if not stripped or len(stripped) > 40 or not _is_upper_line(stripped):
        return None
    return _FOLDED_TYPES.get(fold(stripped))


def _title_case_from_body(upper: str, body: str) -> str | None:
    """The body's spelling of an upper-case header name ("SỞ KHOA HỌC VÀ CÔNG NGHỆ" -> "Sở Khoa học và Công nghệ")."""
    words = upper.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    for m in re.finditer(pattern, body, re.IGNORECASE):
        found = m.group(0)
        if not _is_upper_line(found):
            return " ".join(found.split())
    return None


def _strip_province(name: str, province: str | None) -> str:
    if province and fold(name).endswith(" " + fold(province)):
        return name[: len(name) - len(province)].rstrip(" ,")
    if province:
        m = re.search(r"\s+(?:tỉnh|thành\s+phố)\s+" + re.escape(province) + r"$", name)
        if m:
            return name[: m.start()]
    return name


def _signature(lines: list[str], md: Metadata) -> int | None:
    """Fill the signer fields from the last position line of the main part; return its index."""
    # The block closes the main part: look at its last lines only, so an upper-case table title in the body
    # ("TĂNG TRƯỞNG ...") is never taken for a position.
    for i in range(len(lines) - 1, max(-1, len(lines) - 31), -1):
        line = lines[i].strip()
        if not line or len(line) > 70 or not _is_upper_line(line):
            continue
        if re.match(r"^(?:[IVXLC]+|[0-9]+)[.)/]", line) or "NƠI NHẬN" in line:
            continue
        authority = _AUTHORITY.match(line)
        words = fold(line)
        if not authority and not any(re.search(rf"(?<!\w){w}(?!\w)", words) for w in _POSITION_WORDS):
            continue
        if authority:
            form_rest = authority.group("rest")
            # "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" on one line (PDF): split at the deputy's title.
            split = re.search(r"\s(PHÓ|THỨ|Q\.)\s", form_rest)
            if split:
                md.signing_authority = (authority.group("form").replace(" ", "") + " "
                                        + form_rest[: split.start()].strip()).replace(". ", ". ").strip()
                md.signer_title = form_rest[split.start():].strip()
            else:
                # The form line with no position line under it: the signer holds the position named.
                md.signing_authority = None
                md.signer_title = line
        else:
            md.signer_title = line
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and _AUTHORITY.match(lines[j].strip()) and _is_upper_line(lines[j].strip()):
                md.signing_authority = " ".join(lines[j].split())
        for k in range(i + 1, min(i + 8, len(lines))):
            cand = lines[k].strip().strip("*").strip()
            if not cand or _SIGNING_NOTES.match(cand) or len(cand) < 4 or _RULE_LINE.match(cand):
                continue
            if _NAME.match(cand) and len(cand) <= 50:
                md.signer_name = cand
            break
        md.signer_title = " ".join(md.signer_title.split()) if md.signer_title else None
        return i
    return None


def _recipients(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        m = re.match(r"^\s*(?i:nơi\s+nhận|noi\s+nhan)\s*:?\s*(?P<rest>.*)$", line)
        if not m:
            continue
        items: list[str] = []
        candidates = [m.group("rest")] if m.group("rest").strip() else []
        candidates += lines[i + 1:]
        for cand in candidates:
            cand = cand.strip()
            if not cand:
                continue
            parts = [p for p in re.split(r"(?:^|\s)[-–•+]\s+", cand) if p.strip()]
            if not re.match(r"^[-–•+]\s*", cand):
                if items and not _is_upper_line(cand) and len(cand) < 80 and not _AUTHORITY.match(cand):
                    items[-1] = f"{items[-1]} {cand}"  # a recipient wrapped over two lines
                    continue
                break
            for part in parts:
                value = part.strip().rstrip(";.,").strip()
                if value:
                    items.append(value)
            if re.match(r"^[-–•+]\s*(?i:lưu|luu)\b", cand):
                break
        return items
    return []


def read_metadata(lines: list[str], body_text: str) -> tuple[Metadata, int]:
    """Metadata from the paragraph lines of the main part (appendix excluded); also the index where the body starts
    (after the title), for the outline reader."""
    md = Metadata()
    head_limit = min(len(lines), 40)
    type_index = None
    for i in range(head_limit):
        kind = _doc_type(lines[i])
        if kind:
            md.document_type = kind
            type_index = i
            break

    header = lines[: type_index if type_index is not None else min(head_limit, 12)]
    upper_names: list[str] = []
    place = None
    for line in header:
        s = _left_column(line.strip().strip("*").strip())
        if not s:
            continue
        fs = fold(s)
        if _NUMBER_LINE.match(s):
            parsed = parse_number_line(s)
            if parsed:
                md.number, md.symbol = parsed
            continue
        dm = _DATE_LINE.match(s)
        if dm:
            md.date = _date_value(dm)
            place = dm.group("place").strip()
            continue
        if _QUOC_HIEU_RE.search(fs) or fs.startswith("doc lap") or _RULE_LINE.match(s):
            continue
        if _is_upper_line(s) and len(s) <= 90 and not fs.startswith(("v/v", "ve viec")):
            upper_names.append(" ".join(s.split()))
    body_start = (type_index + 1) if type_index is not None else 0
    # The number and date may also stand after the type in some layouts (converted files); look a little further.
    if md.date is None:
        for line in lines[: head_limit]:
            dm = _DATE_LINE.match(line.strip().strip("*").strip())
            if dm:
                md.date = _date_value(dm)
                place = dm.group("place").strip()
                break
    if md.symbol is None:
        for line in lines[: head_limit]:
            if _NUMBER_LINE.match(line.strip()):
                parsed = parse_number_line(line)
                if parsed:
                    md.number, md.symbol = parsed
                break

    title_lines: list[str] = []
    if type_index is not None:
        j = type_index + 1
        while j < len(lines) and len(title_lines) < 4:
            s = lines[j].strip()
            if not s:
                j += 1
                continue
            if _RULE_LINE.match(s):
                j += 1
                break
            if _BODY_START.match(s) or len(s) > 350 or (title_lines and s.endswith((":", "."))):
                break
            if _DATE_LINE.match(s) or _NUMBER_LINE.match(s):
                break
            title_lines.append(s)
            j += 1
            if s.endswith((".", ":")):
                break
        body_start = j
    if title_lines:
        md.title = " ".join(" ".join(title_lines).split()).rstrip(" .:")

    # Parent authority and agency: the upper-case lines of the left header column.
    names = [n for n in upper_names if len(re.sub(r"[^\w]", "", n)) >= 3]
    agency_upper = names[-1] if names else None
    parent = names[0] if len(names) >= 2 else None
    if parent:
        pm = _PARENT_PROVINCE.match(fold(parent))
        if pm:
            md.province = _province_name(pm.group("name"))
    if md.province is None and agency_upper:
        m = re.search(r"(?:tinh|thanh pho)\s+(?P<name>[a-z -]+)$", fold(agency_upper))
        if m:
            md.province = _province_name(m.group("name"))
    if md.province is None and place:
        md.province = _province_name(place)

    if agency_upper:
        md.agency = _title_case_from_body(agency_upper, body_text) or agency_upper
    else:
        opening = " ".join(lines[body_start: body_start + 6])
        m = _AGENCY_REPORTS.search(opening)
        if m:
            md.agency = " ".join(m.group("agency").split())
        elif md.title:
            m = _AGENCY_OF.search(md.title)
            if m:
                md.agency = " ".join(m.group("agency").split())
    if md.agency:
        md.agency = _strip_province(md.agency, md.province)

    _signature(lines, md)
    md.recipients = _recipients(lines)
    return md, body_start


# The national name, whole or as the pieces a narrow header cell wraps it into.
_QUOC_HIEU_RE = re.compile(
    r"cong hoa xa hoi chu nghia|xa hoi chu nghia viet nam|^cong hoa xa hoi chu$|^(?:chu )?nghia viet nam$"
)
# A PDF laid out in two columns (pdftotext -layout) puts the left header cell and the national name on one line,
# either apart by a run of spaces or, when the right cell wraps, glued: "SỞ KHOA HỌC VÀ CÔNG NGHỆ NGHĨA VIỆT NAM".
_COLUMN_GAP = re.compile(r"\s{3,}")
_NATIONAL_TAIL = re.compile(r"\s+(?:CỘNG\s+HÒA\s+)?(?:XÃ\s+HỘI\s+)?(?:CHỦ\s+)?NGHĨA\s+VIỆT\s+NAM\s*$")


def _left_column(line: str) -> str:
    parts = [part for part in _COLUMN_GAP.split(line) if part.strip()]
    if len(parts) > 1:
        left = [part for part in parts if not _QUOC_HIEU_RE.search(fold(part)) and not fold(part).startswith("doc lap")]
        line = left[0] if left else parts[0]
    if fold(line).startswith("cong hoa"):
        return line  # the national name itself: the caller skips it
    return _NATIONAL_TAIL.sub("", line).strip()
