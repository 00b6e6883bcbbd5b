"""Find references to administrative documents in free Vietnamese text.

The grammar follows how Nghị định 30/2020/NĐ-CP (Điều 8, Phụ lục I and III) builds a document's "số, ký hiệu",
not any particular report's sentences:

    [kind word or abbreviation] [số] NUMBER "/" SYMBOL [, ngày DATE] [của ISSUER] [về việc / v/v / về EXCERPT]

- NUMBER is written as issued ("08", "2550"); legal normative documents put the year in it (`60/2021/NĐ-CP`, number
  "60/2021"); Party documents join number and type with a hyphen (`12-NQ/TU`: number "12", symbol "NQ/TU").
- SYMBOL is a run of upper-case letter groups joined by "-" ("&" inside a group: `SKH&CN`, `BKH&CN`). A group may hold
  one lower-case letter where the official abbreviations do (`TTg`, `TTr`, `CTr`, `QyĐ`, `QĐi`) and digits after
  letters (`QH13`). A type abbreviation first (`KH-`, `QĐ-`) names the kind; no type abbreviation means a công văn
  (`2130/SKHCN-QLĐLCL`: issuing body SKHCN, drafting unit QLĐLCL).
- Laws are usually cited by name and year ("Luật Khoa học và Công nghệ năm 2013"). Such a citation is a reference with
  kind "Luật", number and symbol None, the name in `excerpt` and the year in `year`; a law cited by name without a
  year is not taken (nothing marks where its name ends). "Luật số 29/2013/QH13" is an ordinary reference.
- A kind word with "số" and a bare number ("Quyết định số 24") is a reference without symbol; a kind word with a bare
  number and no "số" ("Đề án 06") is a name, not a reference. A legal kind with number/year and no symbol
  ("Nghị định 105/2006") is a reference with number "105/2006".

Look-alikes are refused by the grammar itself: standards (`TCVN ISO 9001:2015`, `QCVN 01:2022/BKHCN`: the number is
preceded by ":"), ratios and dates (digits after the slash), money and phone numbers (digits after "." or ","), the
document's own number line (`Số: /BC-SKHCN`, `Số: 136 /BC-SKHCCN`), and a bare single-group symbol with no kind word
(`12/KCN` could be an address).

Text pasted from PDF is tolerated: spaces around "/" and "-", a line break after them or between the kind word and
the number, decomposed Unicode (offsets still point into the text as given), `Ð` (U+00D0) for `Đ`, `&amp;` for `&`.

All patterns are compiled once at import; parsing a 30 kB report takes a few milliseconds.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, replace

__all__ = [
    "KIND_ABBREVIATIONS",
    "KIND_WORDS",
    "Reference",
    "find_references",
    "issuer_from_symbol",
    "kind_from_symbol",
    "normalise_symbol",
    "parse_number_line",
    "parse_reference",
]

# Type abbreviations of Nghị định 30/2020 Phụ lục III, the legal kinds and the Party ones (Hướng dẫn 36-HD/VPTW).
KIND_ABBREVIATIONS: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "QĐi": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "KL": "Kết luận",
    "CV": "Công văn",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "VBHN": "Văn bản hợp nhất",
}

# Abbreviations written in running text in place of the kind word ("BC số 2130/...", "QĐ 33/2013/QĐ-UBND").
_TEXT_ABBREVIATIONS: dict[str, str] = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "CV": "Công văn",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "VB": "Công văn",
}

GENERIC = "Văn bản"

# Full kind words, lower-case NFC -> the kind reported. "Văn bản" is generic: the symbol decides, else Công văn.
KIND_WORDS: dict[str, str] = {
    "quyết định": "Quyết định",
    "kế hoạch": "Kế hoạch",
    "báo cáo": "Báo cáo",
    "công văn": "Công văn",
    "văn bản": GENERIC,
    "thông báo": "Thông báo",
    "tờ trình": "Tờ trình",
    "nghị định": "Nghị định",
    "nghị quyết liên tịch": "Nghị quyết liên tịch",
    "nghị quyết": "Nghị quyết",
    "thông tư liên tịch": "Thông tư liên tịch",
    "thông tư": "Thông tư",
    "chỉ thị": "Chỉ thị",
    "bộ luật": "Bộ luật",
    "luật": "Luật",
    "pháp lệnh": "Pháp lệnh",
    "lệnh": "Lệnh",
    "hướng dẫn": "Hướng dẫn",
    "chương trình": "Chương trình",
    "quy chế": "Quy chế",
    "quy định": "Quy định",
    "đề án": "Đề án",
    "dự án": "Dự án",
    "phương án": "Phương án",
    "công điện": "Công điện",
    "giấy mời": "Giấy mời",
    "giấy giới thiệu": "Giấy giới thiệu",
    "giấy ủy quyền": "Giấy ủy quyền",
    "giấy uỷ quyền": "Giấy ủy quyền",
    "giấy nghỉ phép": "Giấy nghỉ phép",
    "biên bản": "Biên bản",
    "hợp đồng": "Hợp đồng",
    "bản ghi nhớ": "Bản ghi nhớ",
    "bản thỏa thuận": "Bản thỏa thuận",
    "bản thoả thuận": "Bản thỏa thuận",
    "thông cáo": "Thông cáo",
    "kết luận": "Kết luận",
    "thông tri": "Thông tri",
    "phiếu gửi": "Phiếu gửi",
    "phiếu chuyển": "Phiếu chuyển",
    "phiếu báo": "Phiếu báo",
    "thư công": "Thư công",
    "văn bản hợp nhất": "Văn bản hợp nhất",
}

# Kinds that may be cited as number/year without a symbol ("Nghị định 105/2006").
_LEGAL_KINDS = {
    "Nghị định", "Thông tư", "Thông tư liên tịch", "Nghị quyết", "Nghị quyết liên tịch", "Quyết định", "Luật",
    "Bộ luật", "Pháp lệnh", "Chỉ thị",
}

_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđðèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
U, L = f"[{_UPPER}]", f"[{_LOWER}]"

# One letter group of a symbol: upper-case letters and digits, "&" between letters, at most a lower-case letter
# after two capitals (TTg, TTr, QĐi) or between capitals (QyĐ). "Sở", "Kế" are words, not groups.
_GROUP = rf"{U}(?:{U}|[0-9]|&(?:amp;)?(?={U})|(?<={U}{U}){L}(?!{L})|{L}(?={U}))*(?![{_UPPER}{_LOWER}0-9])"
_HSPACE = r"[ \t\u00a0]"
_BREAK = rf"{_HSPACE}*(?:\r?\n{_HSPACE}*){{0,2}}"  # a line break or two left by PDF extraction or a page break
_SLASH = rf"{_HSPACE}*/{_BREAK}"
_DASH = rf"{_HSPACE}*[-‐‑–]{_BREAK}"
_SYMBOL = rf"{_GROUP}(?:{_DASH}{_GROUP})*"
_NUM = r"(?<![0-9A-Za-z/.,:‐‑–-])[0-9]{1,5}(?![0-9])"
_YEAR = r"(?:19|20)[0-9]{2}"


def _word_tree(words: list[str]) -> str:
    """The words as one alternation branching letter by letter ("quy(?:ết\\s+định|\\s+(?:chế|định))|kế..."): at a
    word start the regex tries the few branches that share its letters, not every word in turn. It matches what the
    plain alternation of the words, longest first, matches: words that both match at one place are a word and its
    prefix, and the tree tries the longer one first too."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


def _kind_alternation() -> str:
    full = _word_tree(sorted(KIND_WORDS))
    abbrevs = "|".join(re.escape(a) for a in sorted(_TEXT_ABBREVIATIONS, key=len, reverse=True))
    # The first letters first: most word starts fail on one character class.
    first_full = re.escape("".join(sorted({w[0] for w in KIND_WORDS})))
    first_abbrev = re.escape("".join(sorted({a[0] for a in _TEXT_ABBREVIATIONS})))
    return rf"(?=(?i:[{first_full}])|[{first_abbrev}])(?:(?i:{full})|{abbrevs})"


# The lookaheads ("(?=(?i:s))", "(?=[0-9])") change nothing that matches; they let each place of the text that cannot
# start a reference fail on one character instead of trying every branch (the scan was most of find_references).
_REFERENCE = re.compile(
    rf"""
    (?:(?<![\w])(?P<kind>{_kind_alternation()})(?![\w])\.?\s{{0,3}})?
    (?:(?<![\w])(?=(?i:s))(?P<so>(?i:số|sô)\.?{_HSPACE}*:?){_BREAK})?
    (?=[0-9])
    (?:
        (?P<lnum>{_NUM}){_SLASH}(?P<lyear>{_YEAR}){_SLASH}(?P<lsym>{_SYMBOL})
      | (?P<pnum>{_NUM}){_DASH}(?P<ptype>{_GROUP}){_SLASH}(?P<pbody>{_SYMBOL})
      | (?P<num>{_NUM}){_SLASH}(?P<sym>{_SYMBOL})
      | (?(kind)(?:(?P<ynum>{_NUM})/(?P<yyear>{_YEAR})(?![0-9/])|(?P<bnum>{_NUM})(?![0-9/.,:]))|(?!))
    )
    """,
    re.VERBOSE,
)

_LAW = re.compile(
    rf"""
    (?<![\w])(?P<kind>Bộ\s+[Ll]uật|Luật)\s+(?!(?i:số)\b)
    (?P<name>[^\W\d_][^\s\d;:.()<>*“”"]*(?:\s+[^\W\d_][^\s\d;:.()<>*“”"]*){{0,19}}?)
    \s*,?\s*(?:(?i:năm)\s+)?(?P<year>{_YEAR})(?![0-9/])
    """,
    re.VERBOSE,
)
_LAW_NAME_STOP = {
    "đã", "đang", "sẽ", "được", "tại", "nhằm", "để", "đến", "hết", "trong", "từ", "vào", "tháng", "quý", "giai",
    "kể", "sau", "trước", "cuối", "đầu", "ngày",
}

_DATE_AFTER = re.compile(
    rf"""
    {_HSPACE}*,?\s{{0,3}}(?:(?i:ban\s+hành|ký)\s+)?(?i:ngày|ngay)\s*
    (?:
        (?P<d>[0-9]{{1,2}})\s*(?P<sep>[/.-])\s*(?P<m>[0-9]{{1,2}})\s*(?P=sep)\s*(?P<y>[0-9]{{1,4}})(?![0-9])
      | (?P<d2>[0-9]{{1,2}})\s+(?i:tháng)\s+(?P<m2>[0-9]{{1,2}})\s*,?\s+(?i:năm)\s+(?P<y2>[0-9]{{4}})
      | (?:\.{{2,}}|…+|_+|\s)*(?:
            (?i:tháng)\s+(?P<m3>[0-9]{{1,2}})\s+(?i:năm)\s+(?P<y3>[0-9]{{4}})
          | /\s*(?P<m4>[0-9]{{1,2}})\s*/\s*(?P<y4>[0-9]{{4}}))
    )
    """,
    re.VERBOSE,
)
_DATE_PART = r"[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}\s*[/.-]\s*[0-9]{4}|[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}"
# "Ngày 10/01/2023, UBND tỉnh ban hành Quyết định số ..." — the date of the act is the document's date.
_DATE_BEFORE = re.compile(
    rf"(?i:ngày)\s+(?P<date>{_DATE_PART})\s*,?\s*(?:[^\s,;.()]+\s+){{0,8}}?"
    rf"(?:đã\s+)?(?:ký\s+)?(?:ban\s+hành|ký|phát\s+hành)\s+(?:(?:các|kèm\s+theo)\s+)?$",
    re.IGNORECASE,
)
_OF = re.compile(rf"{_HSPACE}*,?{_HSPACE}*(?i:của)\s+")
_EXCERPT_INTRO = re.compile(
    rf"{_HSPACE}*[,:]?{_HSPACE}*(?:(?P<intro>(?i:về\s+việc|v/v|về))\s*:?\s*|(?=[“\"])|(?=(?P<verb>"
    r"(?i:quy\s+định|hướng\s+dẫn|phê\s+duyệt|ban\s+hành|sửa\s+đổi|bãi\s+bỏ|công\s+bố|thành\s+lập|triển\s+khai"
    r"|thực\s+hiện|kiện\s+toàn|giao|phân\s+công|quy\s+chế))(?![\w])))"
)
_OWN_NUMBER = re.compile(rf"(?i:số)\s*:\s*{_BREAK}$")
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|và|,\s*và)\s*", re.IGNORECASE)
_NUMBER_LINE = re.compile(
    rf"(?i:số)\s*:?\s*(?P<num>[0-9]{{1,5}})?\s*(?:/\s*(?P<year>{_YEAR}))?\s*/\s*(?P<sym>{_SYMBOL})"
)

# Words that end an issuer's name ("của UBND tỉnh | về việc ...").
_ISSUER_STOPS = (
    "về", "v/v", "quy định", "hướng dẫn", "phê duyệt", "ban hành", "thực hiện", "triển khai", "sửa đổi", "bãi bỏ",
    "công bố", "thành lập", "tại", "theo", "đã", "được", "là", "với", "trong", "gửi", "nhằm", "để", "thay thế",
    "hết hiệu lực", "có hiệu lực", "cho", "đến", "kèm", "ngày", "giao", "kiện toàn", "phân công", "số", "năm",
    "qua", "nay",
)
_ISSUER_STOP_RE = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(s) for s in _ISSUER_STOPS) + r")(?![\w/])",
                             re.IGNORECASE)
# Words after which a document cited inside an excerpt belongs to the excerpt ("về triển khai Quyết định số ...").
_GOVERNING_WORDS = (
    "triển khai", "thực hiện", "sửa đổi", "bổ sung", "thay thế", "bãi bỏ", "hướng dẫn thi hành", "hướng dẫn",
    "quy định chi tiết", "kèm theo", "của", "theo",
)
# Read from the end, like the connectors below: the text before a cited document, reversed, starts with one of these
# words reversed ("...về triển khai [các] " -> " [các] iahk nểirt...").
_GOVERNING_REVERSED = re.compile(
    r"(?:\s+các)?\s*(?:" + "|".join(w[::-1].replace(" ", r"\s+") for w in _GOVERNING_WORDS) + ")",
    re.IGNORECASE,
)
# Connectors and punctuation closing an excerpt, read from its end: the text reversed, matched at its start, so the
# cost is the length of what is cut, not of the excerpt ("..., và" -> "..."; one connector word at most, the last).
_CONNECTORS = ("đối với", "tại", "theo", "và", "của", "ở", "trong", "với", "cho", "các", "được")
_TRAILING_CONNECTORS_REVERSED = re.compile(
    r"\s*(?:" + "|".join(w[::-1].replace(" ", r"\s+") for w in _CONNECTORS) + r")\s+[\s,;:–-]*|[\s,;:–-]+",
    re.IGNORECASE,
)
# The first character as a class of its own lets the regex skip to the next comma or space at C speed.
_EXCERPT_CUT = re.compile(
    r"[,\s](?:(?<=,)\s*(?:trong\s+đó|theo\s+đó|qua\s+đó|đồng\s+thời|tuy\s+nhiên|nhằm|góp\s+phần)(?!\w)"
    r"|(?<=\s)\s*(?:gồm\s+[0-9]|và\s+các\s+văn\s+bản|đến\s+nay(?!\w)))",
    re.IGNORECASE,
)
_JOIN_WORDS = {"và", "của", "về", "các", "cho", "với", "tại", "theo", "trong", "thuộc", "đối", "từ", "đến", "những"}
_MAX_EXCERPT = 300
_EXCERPT_STOP = re.compile(r'[\n;:()<*\[\]”".]')
_WHITESPACE = re.compile(r"\s*")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[‐‑–]")


@dataclass(frozen=True)
class Reference:
    """One document cited in a text. Fields are NFC; `text`, `start` and `end` point into the text as given."""

    kind: str | None
    number: str | None
    symbol: str | None
    date: dt.date | None = None
    date_text: str | None = None  # "YYYY-MM-DD", or "YYYY-MM" when the day is left blank
    issuer: str | None = None  # abbreviation from the symbol, else the name after "của"
    issuer_name: str | None = None  # the name written after "của", when present
    excerpt: str | None = None
    year: int | None = None
    text: str = ""
    start: int = 0
    end: int = 0

    @property
    def number_symbol(self) -> str | None:
        """As a document writes it: "64/KH-SKHCN", "60/2021/NĐ-CP", "12-NQ/TU"; None for a law cited by name."""
        if self.number is None:
            return None
        if self.symbol is None:
            return self.number
        return f"{self.number}-{self.symbol}" if "/" in self.symbol else f"{self.number}/{self.symbol}"

    @property
    def key(self) -> tuple:
        """Identity for de-duplication: the number (leading zeros ignored) and the normalised symbol."""
        if self.number is None:
            return ("law", (self.kind or "").casefold(), _fold_words(self.excerpt or ""), self.year)
        head, _, tail = self.number.partition("/")
        number = (int(head), tail)
        if self.symbol is None:
            return ("bare", (self.kind or "").casefold(), number)
        return ("doc", number, normalise_symbol(self.symbol).casefold())

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "number": self.number,
            "symbol": self.symbol,
            "date": self.date_text,
            "issuer": self.issuer,
            "issuer_name": self.issuer_name,
            "excerpt": self.excerpt,
            "year": self.year,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


# The symbol helpers are pure and a report cites the same few symbols many times: cached.
@functools.lru_cache(maxsize=4096)
def normalise_symbol(symbol: str) -> str:
    """NFC, no spaces or line breaks, one kind of hyphen, `Đ` for the look-alike `Ð`, `&` for `&amp;`."""
    s = unicodedata.normalize("NFC", symbol or "").replace("&amp;", "&").replace("Ð", "Đ")
    return _SPACES.sub("", _DASHES.sub("-", s))


@functools.lru_cache(maxsize=4096)
def _type_group(symbol: str | None) -> str | None:
    if not symbol:
        return None
    first = re.split(r"[-/]", symbol, maxsplit=1)[0]
    if first in KIND_ABBREVIATIONS:
        return first
    return None


@functools.lru_cache(maxsize=4096)
def kind_from_symbol(symbol: str | None) -> str | None:
    """The kind a symbol names: its type abbreviation (`KH-SKHCN` -> Kế hoạch), `QH13` -> Luật, or Công văn when the
    symbol starts with the issuing body (`SKHCN-QLĐLCL`)."""
    if not symbol:
        return None
    symbol = normalise_symbol(symbol)
    group = _type_group(symbol)
    if group:
        return KIND_ABBREVIATIONS[group]
    if re.fullmatch(r"QH[0-9]*", symbol):
        return "Luật"
    return "Công văn"


@functools.lru_cache(maxsize=4096)
def issuer_from_symbol(symbol: str | None) -> str | None:
    """The issuing body's abbreviation: after the type (`KH-SKH-CN` -> SKH-CN, `NĐ-CP` -> CP), after the slash in
    Party style (`NQ/TU` -> TU), or before the drafting unit in a công văn (`SKHCN-QLĐLCL` -> SKHCN)."""
    if not symbol:
        return None
    symbol = normalise_symbol(symbol)
    if "/" in symbol:
        return symbol.split("/", 1)[1] or None
    groups = symbol.split("-")
    if _type_group(symbol):
        return "-".join(groups[1:]) or None
    if len(groups) == 1:
        return groups[0]
    return "-".join(groups[:-1])


def _fold_words(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _nfc_with_map(text: str) -> tuple[str, list[int] | None]:
    """The NFC text and, when it differs, the original offset of each of its characters (plus the end)."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j])
        parts.append(chunk)
        offsets.extend([i] * len(chunk))
        i = j
    offsets.append(n)
    return "".join(parts), offsets


def _make_date(day: str | None, month: str | None, year: str | None) -> tuple[dt.date | None, str | None]:
    if not (month and year) or len(year) != 4:
        return None, None
    try:
        if day is None:
            m = int(month)
            if not 1 <= m <= 12:
                return None, None
            return None, f"{int(year):04d}-{m:02d}"
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None, None
    return value, value.isoformat()


def _date_from_match(m: re.Match) -> tuple[dt.date | None, str | None]:
    if m.group("d"):
        return _make_date(m.group("d"), m.group("m"), m.group("y"))
    if m.group("d2"):
        return _make_date(m.group("d2"), m.group("m2"), m.group("y2"))
    if m.group("m3"):
        return _make_date(None, m.group("m3"), m.group("y3"))
    return _make_date(None, m.group("m4"), m.group("y4"))


def _parse_date_text(value: str) -> tuple[dt.date | None, str | None]:
    m = _DATE_AFTER.match("ngày " + value)
    return _date_from_match(m) if m else (None, None)


def _clean(value: str) -> str:
    return " ".join(value.replace("&amp;", "&").split())


def _issuer_name(text: str, pos: int) -> tuple[str | None, int]:
    """The name after "của" at `pos`, and where it ends."""
    m = _OF.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    window = text[start:start + 160]
    stop = re.search(r"[,;:.()\[\]<>*“”\"\n]|\s-\s*$", window)
    if stop:
        window = window[: stop.start()]
    cut = _ISSUER_STOP_RE.search(window)
    if cut:
        window = window[: cut.start()]
    words = window.split()[:12]
    if not words:
        return None, pos
    cursor = start
    for word in words:  # the end of the last kept word
        cursor = text.index(word, cursor) + len(word)
    return _clean(" ".join(words)), cursor


def _paragraph_join(before: str, after: str) -> bool:
    """Whether a line break between `before` and `after` is inside a sentence (PDF line or page break)."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or before[-1] in ".:;!?)" or after[0] in "-+*•–":
        return False
    if after[0].islower():
        return True
    last = before.split()[-1].casefold()
    return last in _JOIN_WORDS


def _excerpt_end(text: str, start: int) -> int:
    """Where an excerpt starting at `start` ends: punctuation closing the clause, a paragraph break, a limit."""
    limit = min(len(text), start + _MAX_EXCERPT)
    i = start
    quote_open = text[start:start + 1] in "“\""
    while i < limit:
        # From one character that may end the excerpt to the next (a regex, not a loop over every character).
        stop = _EXCERPT_STOP.search(text, i, limit)
        if stop is None:
            i = limit
            break
        i = stop.start()
        ch = text[i]
        if ch == "\n":
            j = _WHITESPACE.match(text, i).end()
            if _paragraph_join(text[start:i], text[j:j + 20]):
                i = j
                continue
            return i
        if ch in ";:()<*[]":
            return i
        if ch == "”" or (ch == '"' and quote_open and i > start):
            if quote_open:
                return i + 1
        if ch == "." and (i + 1 >= len(text) or text[i + 1] in " \t\r\n/"):
            return i
        if ch == "." and text[i + 1 : i + 3] == "..":
            return i
        i += 1
    if i >= limit and limit < len(text):
        # Cut at the last word boundary inside the limit.
        space = text.rfind(" ", start, limit)
        return space if space > start else limit
    return i


def _trim_excerpt(value: str) -> str | None:
    value = _clean(value)
    cut = _EXCERPT_CUT.search(value)
    if cut:
        value = value[: cut.start()]
    cut = _TRAILING_CONNECTORS_REVERSED.match(value[::-1])
    if cut:
        value = value[: len(value) - cut.end()]
    value = value.strip(" ,;:-–")
    if value.startswith(("“", '"')):
        value = value.strip("“”\"").strip()
    return value or None


@dataclass
class _Found:
    ref: Reference
    kind_word: str | None  # the kind as written before the number, canonical ("Quyết định", "Văn bản", ...)
    type_group: str | None
    core_end: int  # after number/symbol and date: where issuer and excerpt may start (normalised text)
    tail_end: int  # after issuer: where the excerpt may start
    excerpt_start: int | None
    excerpt_intro: bool
    is_law: bool = False


@functools.lru_cache(maxsize=1024)
def _canonical_kind_word(word: str) -> str:
    if word in _TEXT_ABBREVIATIONS:
        return _TEXT_ABBREVIATIONS[word]
    return KIND_WORDS.get(_fold_words(word), None) or KIND_WORDS[" ".join(word.lower().split())]


def _scan(text: str) -> list[_Found]:
    found: list[_Found] = []
    for m in _REFERENCE.finditer(text):
        kind_word = _canonical_kind_word(m.group("kind")) if m.group("kind") else None
        so = m.group("so")
        if kind_word is None and so and ":" in so:
            continue  # "Số: 136/BC-SKHCCN": the document's own number
        if kind_word is None and _OWN_NUMBER.search(text, max(0, m.start() - 12), m.start()):
            continue
        if m.group("lnum"):
            number = f"{m.group('lnum')}/{m.group('lyear')}"
            symbol = normalise_symbol(m.group("lsym"))
        elif m.group("pnum"):
            number = m.group("pnum")
            symbol = normalise_symbol(f"{m.group('ptype')}/{m.group('pbody')}")
        elif m.group("num"):
            number = m.group("num")
            symbol = normalise_symbol(m.group("sym"))
            groups = symbol.split("-")
            if kind_word is None and _type_group(symbol) is None and len(groups) < 2:
                continue  # "12/KCN": nothing says it is a document
            if sum(ch.isupper() for ch in symbol) < 2:
                continue
        elif m.group("ynum"):
            if kind_word not in _LEGAL_KINDS:
                continue
            number, symbol = f"{m.group('ynum')}/{m.group('yyear')}", None
        else:
            if not so or kind_word is None or kind_word == GENERIC:
                continue  # "Đề án 06": a name; a bare number needs "số" and a kind
            number, symbol = m.group("bnum"), None

        if kind_word and kind_word != GENERIC:
            kind = kind_word
        elif symbol:
            kind = kind_from_symbol(symbol)
        else:
            kind = None

        start = m.start("kind") if m.group("kind") else (m.start("so") if so else m.start())
        end = m.end()
        date = date_text = None
        dm = _DATE_AFTER.match(text, end)
        if dm:
            date, date_text = _date_from_match(dm)
            end_with_date = dm.end()
        else:
            before = text[max(0, start - 160):start]
            bm = _DATE_BEFORE.search(before)
            if bm:
                date, date_text = _parse_date_text(bm.group("date"))
            end_with_date = end
        issuer_name, after_issuer = _issuer_name(text, end_with_date)
        em = _EXCERPT_INTRO.match(text, after_issuer)
        excerpt_start = em.end() if em else None
        year = date.year if date else (int(date_text[:4]) if date_text else None)
        if year is None and "/" in number:
            year = int(number.split("/")[1])
        issuer = issuer_from_symbol(symbol) if symbol else None
        ref = Reference(
            kind=kind,
            number=number,
            symbol=symbol,
            date=date,
            date_text=date_text,
            issuer=issuer or issuer_name,
            issuer_name=issuer_name,
            year=year,
            text=text[start:end_with_date] if dm else text[start:end],
            start=start,
            end=end_with_date if dm else end,
        )
        found.append(
            _Found(ref, kind_word, _type_group(symbol), end_with_date, after_issuer, excerpt_start,
                   bool(em and em.group("intro")))
        )

    # Where the numbered references start and, up to each, the furthest one ends (a date after one may reach past the
    # next start): a law cited inside one of them is part of it. `found` is in text order so far.
    numbered_starts = [f.ref.start for f in found]
    reach: list[int] = []
    for f in found:
        reach.append(max(f.ref.end, reach[-1]) if reach else f.ref.end)
    for m in _LAW.finditer(text):
        name = _clean(m.group("name"))
        words = [w.strip(",").casefold() for w in name.split()]
        if any(w in _LAW_NAME_STOP for w in words) or name.endswith(","):
            continue
        at = bisect.bisect_right(numbered_starts, m.start()) - 1
        if at >= 0 and m.start() < reach[at]:
            continue
        kind = "Bộ luật" if m.group("kind").lower().startswith("bộ") else "Luật"
        ref = Reference(
            kind=kind, number=None, symbol=None, excerpt=name, year=int(m.group("year")), issuer="QH",
            text=m.group(0), start=m.start(), end=m.end(),
        )
        found.append(_Found(ref, kind, None, m.end(), m.end(), None, False, is_law=True))
    found.sort(key=lambda f: f.ref.start)
    return found


def _inherit_list_kinds(text: str, found: list[_Found]) -> None:
    """"các Quyết định số 12/QĐ-UBND, 13/QĐ-UBND": a number in a list takes the kind word of the first one."""
    for i in range(1, len(found)):
        cur, prev = found[i], found[i - 1]
        if cur.kind_word or cur.is_law or prev.is_law or not prev.kind_word or prev.kind_word == GENERIC:
            continue
        if not _LIST_SEPARATOR.fullmatch(text[prev.core_end:cur.ref.start]):
            continue
        if cur.type_group != prev.type_group:
            continue
        cur.kind_word = prev.kind_word
        found[i].ref = replace(cur.ref, kind=prev.kind_word)


def _governs(text: str, s: int, other: int) -> bool:
    """Whether text[s:other] ends with a word that governs the document cited at `other` ("triển khai", "theo",
    "của", ... and an optional "các")."""
    return bool(_GOVERNING_REVERSED.match(text[s:other][::-1]))


def _fill_excerpts(text: str, found: list[_Found]) -> None:
    starts = [f.ref.start for f in found]
    for f in found:
        if f.excerpt_start is None:
            continue
        s = f.excerpt_start
        e = _excerpt_end(text, s)
        # The documents cited inside the excerpt, by index: a slice of `starts` from each excerpt on was quadratic.
        for k in range(bisect.bisect_left(starts, s), len(starts)):
            other = starts[k]
            if other >= e:
                break
            if other > s and _governs(text, s, other):
                continue
            e = other
            break
        excerpt = _trim_excerpt(text[s:e])
        if excerpt and len(excerpt.split()) >= 2 or (excerpt and f.excerpt_intro):
            f.ref = replace(f.ref, excerpt=excerpt)


def _merge(found: list[_Found]) -> list[Reference]:
    """Each document once, in order of first appearance, with the most complete data of all its mentions."""
    order: list[tuple] = []
    by_key: dict[tuple, Reference] = {}
    for f in found:
        ref = f.ref
        key = ref.key
        existing = by_key.get(key)
        if existing is None:
            by_key[key] = ref
            order.append(key)
            continue
        by_key[key] = replace(
            existing,
            kind=existing.kind or ref.kind,
            date=existing.date or ref.date,
            # A full date beats a month-only one ("ngày   tháng 12 năm 2021" in a draft).
            date_text=existing.date_text if existing.date or not ref.date_text else (
                ref.date_text if ref.date or not existing.date_text else existing.date_text
            ),
            issuer=existing.issuer or ref.issuer,
            issuer_name=existing.issuer_name or ref.issuer_name,
            excerpt=existing.excerpt or ref.excerpt,
            year=existing.year or ref.year,
        )
    refs = [by_key[k] for k in order]
    # "Nghị định 105/2006" and "Nghị định số 105/2006/NĐ-CP" name one document: keep the one with the symbol.
    with_symbol = {(r.kind, r.number): r for r in refs if r.symbol}
    return [r for r in refs if r.symbol or r.number is None or (r.kind, r.number) not in with_symbol]


def find_references(text: str) -> list[Reference]:
    """Every document reference in `text`, in order of first appearance, each document once."""
    if not text:
        return []
    normalised, offsets = _nfc_with_map(text)
    found = _scan(normalised)
    _inherit_list_kinds(normalised, found)
    _fill_excerpts(normalised, found)
    refs = _merge(found)
    if offsets is not None:
        refs = [
            replace(r, start=offsets[r.start], end=offsets[r.end], text=text[offsets[r.start]:offsets[r.end]])
            for r in refs
        ]
    return refs


def parse_reference(text: str) -> Reference | None:
    """The reference one string holds ("Quyết định số 24/QĐ-UBND ngày 10/01/2023"), or None."""
    refs = find_references(text)
    return refs[0] if refs else None


def parse_number_line(line: str) -> tuple[str | None, str] | None:
    """A document's own "Số: 136 /BC-SKHCCN" line -> ("136", "BC-SKHCCN"); ("Số: /BC-SKHCN") -> (None, "BC-SKHCN")."""
    m = _NUMBER_LINE.search(unicodedata.normalize("NFC", line or ""))
    if not m:
        return None
    number = m.group("num")
    if number and m.group("year"):
        number = f"{number}/{m.group('year')}"
    return number, normalise_symbol(m.group("sym"))
