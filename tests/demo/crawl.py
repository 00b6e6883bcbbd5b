"""A crawler for the demo crawl test: follows every link a person can click, and checks each page for what a person
must never see: a server error, a page not in Vietnamese, an internal value (a state code, a field name, a Python
repr), text not in Unicode NFC.

Plain functions over Django's test client, so the crawl runs in the test database of either engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.apps import apps
from django.test import Client
from django.urls import Resolver404, resolve

# How many pages of one URL name and query shape a role visits by following links (lists with filters and pages
# differ only in their rows); objects the test names itself are always visited. The Django admin's filters combine
# without end: there, a URL name is visited ADMIN_PER_NAME times whatever its query.
PER_SHAPE = 4
ADMIN_PER_NAME = 2
SKIP_PREFIXES = ("/static/", "/media/", "/dang-xuat/", "/admin/logout/", "/admin/jsi18n/")
# Files rather than pages: fetched (no 5xx) but not read as HTML. The PDF conversion is left to the rendering tests.
SKIP_QUERIES = {("reports:download", "pdf"), ("dossierforms:dossier_form", "pdf"), ("parindex:sheet_report", "pdf")}
# Choice codes that are also ordinary words or names a page may show.
NOT_INTERNAL = {"admin", "cchc", "iso", "tinh", "huyen", "phong", "khac", "so", "xa", "bo", "dung"}

_REPR = re.compile(
    r"\[\s*'|\['|\{'|<QuerySet|object at 0x|\bNone\b|\bTrue\b|\bFalse\b|Decimal\(|datetime\.|\bnan\b|\bNaN\b"
)
# snake_case outside a file name, an address or a {placeholder} that templates invite a person to type.
_SNAKE = re.compile(r"(?<![\w./{-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/}-])")


def internal_codes() -> set[str]:
    """Every choice value of cchc's models that reads as code, not as Vietnamese: English words and snake_case."""
    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("cchc."):
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]{3,}", value):
                    codes.add(value)
    return codes - NOT_INTERNAL


class _Page(HTMLParser):
    """Visible text (text nodes outside script/style plus the attributes a person reads), links and <html lang>."""

    VISIBLE_ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self, visible_attrs: tuple[str, ...] = VISIBLE_ATTRS, skip_tags: tuple[str, ...] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.visible_attrs = visible_attrs
        self.skip_tags = ("script", "style", "template", *skip_tags)
        self.text: list[str] = []
        self.links: list[str] = []
        self.lang: str | None = None
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag in self.skip_tags:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in self.visible_attrs:
            if values.get(name):
                self.text.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.text.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.skip_tags and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if not self._skip:
            self.text.append(data)


@dataclass
class Problem:
    url: str
    what: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.url}: {self.what}{(' – ' + self.detail) if self.detail else ''}"


@dataclass
class Crawl:
    visited: dict[str, int] = field(default_factory=dict)  # url -> status
    url_names: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


def check_page(url: str, html: str, codes: set[str]) -> tuple[list[Problem], list[str]]:
    """Problems a person would see on the page, and its links. In the Django admin, Django's own words are
    Django's (its Vietnamese catalogue is partial, and its yes/no icons say True/False to screen readers): there
    the page is checked for our values (field names, reprs), not for English words; and the contents of its
    text boxes are what a superuser edits (an outline's JSON), not text shown to them."""
    in_admin = url.startswith("/admin/")
    if in_admin:
        page = _Page(("title", "placeholder", "aria-label"), skip_tags=("textarea",))
    else:
        page = _Page()
    page.feed(html)
    problems = []
    if page.lang != "vi":
        problems.append(Problem(url, "html lang không phải vi", repr(page.lang)))
    title = " ".join(page.title.split())
    if not title or title.startswith("·"):
        problems.append(Problem(url, "trang không có tiêu đề", title))
    text = " ".join(" ".join(page.text).split())
    if not unicodedata.is_normalized("NFC", text):
        problems.append(Problem(url, "văn bản không ở dạng Unicode NFC"))
    for match in _REPR.finditer(text):
        problems.append(Problem(url, "giá trị nội bộ (Python)", _around(text, match)))
    for match in _SNAKE.finditer(text):
        problems.append(Problem(url, "mã hoặc tên trường nội bộ", _around(text, match)))
    if in_admin:
        return problems, page.links
    words = set(re.findall(r"(?<![\w.@/-])[a-z][a-z0-9]{3,}(?![\w@/-])", text))
    for code in sorted(words & codes):
        where = re.search(rf"(?<![\w.@/-]){code}(?![\w@/-])", text)
        problems.append(Problem(url, "mã trạng thái hiển thị cho người dùng", _around(text, where)))
    return problems, page.links


def _around(text: str, match: re.Match | None) -> str:
    if match is None:
        return ""
    return "…" + text[max(0, match.start() - 50) : match.end() + 30] + "…"


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _shape(url: str) -> tuple:
    parts = urlsplit(url)
    return (_url_name(parts.path) or parts.path, tuple(sorted(k for k, _ in parse_qsl(parts.query))))


def crawl(client: Client, start: Iterable[str], *, admin: bool = False, codes: set[str] | None = None) -> Crawl:
    """Visit `start` (always) and every same-site link reachable from it (PER_SHAPE per URL name and query shape).
    The Django admin is followed only when `admin` is true."""
    codes = internal_codes() if codes is None else codes
    result = Crawl()
    forced = list(dict.fromkeys(start))
    queue = deque((url, True) for url in forced)
    shapes: Counter = Counter()
    while queue:
        url, force = queue.popleft()
        url = urldefrag(url)[0]
        if url in result.visited or not url.startswith("/") or url.startswith(SKIP_PREFIXES):
            continue
        if url.startswith("/admin/") and not admin:
            continue
        shape = _shape(url)
        name = shape[0]
        if url.startswith("/admin/"):
            shape = (name,)
        if any(name == skip_name and url.rstrip("/").endswith(fmt) for skip_name, fmt in SKIP_QUERIES):
            continue
        if not force:
            shapes[shape] += 1
            if shapes[shape] > (ADMIN_PER_NAME if len(shape) == 1 else PER_SHAPE):
                continue
        response = client.get(url)
        result.visited[url] = response.status_code
        result.url_names[name] += 1
        if response.status_code >= 500:
            result.problems.append(Problem(url, f"lỗi máy chủ {response.status_code}"))
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append((response["Location"], False))
            continue
        content_type = response.get("Content-Type", "")
        if getattr(response, "streaming", False):
            # A file: read it through the client's wrapper, which closes it without closing the test's connection.
            b"".join(response.streaming_content)
            continue
        if response.status_code != 200 or not content_type.startswith("text/html"):
            if content_type.startswith("text/html") and response.status_code in (400, 403, 404):
                problems, _links = check_page(url, response.content.decode(), codes)
                result.problems.extend(problems)
            continue
        problems, links = check_page(url, response.content.decode(), codes)
        result.problems.extend(problems)
        for link in links:
            target = urlsplit(urljoin(f"http://testserver{url}", link))
            if target.netloc == "testserver" and target.scheme in ("http", "https"):
                queue.append((target.path + (f"?{target.query}" if target.query else ""), False))
    return result
