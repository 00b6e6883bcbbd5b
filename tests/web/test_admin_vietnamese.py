"""The Django admin speaks Vietnamese throughout, to a superuser whose browser asks for English.

Django 5.2's own "vi" catalogues are old and partial, so the admin showed "Select this object for an action", "Show
counts", the password page's "…such as Single Sign-On or LDAP", a date widget with English day names and permissions
stored as "Can add log entry". cchc's catalogue (src/cchc/locale/vi) translates every message of Django's admin,
auth, contenttypes, sessions, humanize and core catalogues, and post_migrate names the permissions in Vietnamese.
"""

from __future__ import annotations

import ast
import html
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import translation

import cchc

LOCALE = Path(cchc.__file__).resolve().parent / "locale" / "vi" / "LC_MESSAGES"
DJANGO = Path(django.__file__).resolve().parent
# The catalogues whose every message a superuser may meet in the admin (humanize: cchc's own pages use it).
DJANGO_CATALOGUES = {
    "django": ["contrib/admin", "contrib/auth", "contrib/contenttypes", "contrib/sessions", "contrib/humanize", "conf"],
    "djangojs": ["contrib/admin"],
}
ENGLISH_BROWSER = "en-US,en;q=0.9"


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (header and obsolete entries left out): msgctxt, msgid, msgid_plural, msgstr, flags."""
    entries: list[dict] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"msgctxt": None, "msgid_plural": None, "flags": set()}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                keyword, value = line.split(" ", 1)
                key = "msgstr" if keyword in ("msgstr", "msgstr[0]") else keyword
                entry[key] = ast.literal_eval(value)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def catalogue_key(entry: dict) -> str:
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if entry["msgctxt"] is not None else entry["msgid"]


def ours(domain: str) -> list[dict]:
    return read_po(LOCALE / f"{domain}.po")


class _Texts(HTMLParser):
    """What a person reads or hears on a page: text outside scripts and styles, titles, ARIA labels, placeholders
    and button captions. Image alt texts are left out: Django writes its two (the search icon's "Search", the
    boolean icons' "True"/"False") in code rather than through a catalogue."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        for name in ("title", "aria-label", "placeholder"):
            if attributes.get(name):
                self.texts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def visible_texts(page: str) -> list[str]:
    parser = _Texts()
    parser.feed(page)
    return [" ".join(text.split()) for text in parser.texts]


def _english_message_pattern() -> re.Pattern:
    """Any of Django's English messages that our catalogue translates differently, placeholders standing for
    whatever text they were filled with."""
    placeholder = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sdr]|\{[a-z_0-9]*\}")
    alternatives = []
    for entry in ours("django"):
        for english in filter(None, (entry["msgid"], entry["msgid_plural"])):
            english = " ".join(english.split())
            if english == entry["msgstr"] or not re.search("[A-Za-z]{2}", placeholder.sub("", english)):
                continue
            parts = placeholder.split(english)
            alternatives.append(".+?".join(re.escape(part) for part in parts))
    alternatives.sort(key=len, reverse=True)
    return re.compile("(?:" + "|".join(alternatives) + ")")


def english_left(page: str) -> list[str]:
    pattern = _english_message_pattern()
    return [text for text in visible_texts(page) if pattern.fullmatch(text)]


@pytest.fixture
def admin_en(admin_client):
    """The superuser's browser asks for English; cchc answers in Vietnamese whatever it asks."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = ENGLISH_BROWSER
    return admin_client


def get_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def assert_vietnamese(page: str, absent: list[str], present: list[str]) -> None:
    for english in absent:
        assert english not in page
    for vietnamese in present:
        assert vietnamese in page
    assert english_left(page) == []


@pytest.mark.django_db
def test_admin_index(admin_en):
    page = get_page(admin_en, "/admin/")
    assert_vietnamese(
        page,
        absent=["Site administration", "Toggle theme", "Model name", "Skip to main content", "Recent actions"],
        present=["Quản trị hệ thống", "Đổi giao diện (hiện tại: tự động)", "Tên loại dữ liệu", "Thao tác gần đây"],
    )


@pytest.mark.django_db
def test_changelist_actions_and_filters(admin_en, agency):
    page = get_page(admin_en, "/admin/agencies/agency/")
    assert_vietnamese(
        page,
        absent=[
            "Select this object for an action",
            "Select all objects on this page for an action",
            "Show counts",
            "Run the selected action",
            "Delete selected",
            "0 of 1 selected",
        ],
        present=[
            "Chọn bản ghi này để thực hiện thao tác - Sở Khoa học và Công nghệ",
            "Chọn tất cả bản ghi trên trang này để thực hiện thao tác",
            "Hiện số lượng",
            "Thực hiện thao tác đã chọn",
            "Xóa các cơ quan đã chọn",
            "Đã chọn 0 trong số 1",
            "Theo tỉnh",
        ],
    )
    counted = get_page(admin_en, "/admin/agencies/agency/?_facets=True")
    assert_vietnamese(counted, absent=["Hide counts"], present=["Ẩn số lượng", "Quảng Trị (1)"])


@pytest.mark.django_db
def test_users_changelist_filters(admin_en):
    page = get_page(admin_en, "/admin/auth/user/")
    assert_vietnamese(
        page,
        absent=["By staff status", "By superuser status", "Select user to change"],
        present=["Theo quyền vào trang quản trị", "Theo quyền quản trị cao nhất", "Chọn người dùng để sửa"],
    )


@pytest.mark.django_db
def test_add_and_change_pages(admin_en, agency, unit):
    add = get_page(admin_en, "/admin/agencies/agency/add/")
    assert_vietnamese(
        add,
        absent=["Save and add another", "Save and continue editing", "Breadcrumbs"],
        present=["Lưu và thêm mới", "Lưu và tiếp tục sửa", "Đơn vị"],
    )
    # The inline's links, written by the admin's JavaScript from the options it is given.
    raw = admin_en.get("/admin/agencies/agency/add/").content.decode()
    inline = json.loads(html.unescape(re.search(r'data-inline-formset="([^"]*)"', raw).group(1)))["options"]
    assert (inline["addText"], inline["deleteText"]) == ("Thêm Đơn vị khác", "Loại bỏ")
    change = get_page(admin_en, f"/admin/agencies/agency/{agency.pk}/change/")
    assert_vietnamese(change, absent=["History", "Delete?"], present=["Lịch sử", "Xóa?", "Sửa cơ quan"])
    refused = admin_en.post("/admin/agencies/province/add/", {"code": "", "name": ""})
    assert refused.status_code == 200
    errors = html.unescape(refused.content.decode())
    assert_vietnamese(
        errors,
        absent=["Please correct the error", "This field is required."],
        present=["Vui lòng sửa lỗi dưới đây.", "Trường này là bắt buộc.", "Lỗi:"],
    )


@pytest.mark.django_db
def test_user_change_page_lists_vietnamese_permissions(admin_en, officer):
    page = get_page(admin_en, f"/admin/auth/user/{officer.pk}/change/")
    assert_vietnamese(
        page,
        absent=["Raw passwords are not stored", "Reset password", "Can add log entry", "Can delete log entry"],
        present=[
            "Hệ thống không lưu mật khẩu gốc nên không thể xem mật khẩu của người dùng.",
            "Đặt lại mật khẩu",
            "Quản trị | mục nhật ký | Có thể thêm mục nhật ký",
            "Quản trị | mục nhật ký | Có thể xóa mục nhật ký",
            "Hồ sơ một cửa | hồ sơ | Có thể sửa hồ sơ",
        ],
    )
    group = get_page(admin_en, "/admin/auth/group/add/")
    assert_vietnamese(
        group,
        absent=["Can view user", "Can change group"],
        present=["Xác thực và phân quyền | người dùng | Có thể xem người dùng", "Có thể sửa nhóm"],
    )


@pytest.mark.django_db
def test_password_pages(admin_en, officer, make_user, agency):
    page = get_page(admin_en, f"/admin/auth/user/{officer.pk}/password/")
    assert_vietnamese(
        page,
        absent=[
            "they may still be able to authenticate using other backends, such as Single Sign-On",
            "Password-based authentication",
            "Disable password-based authentication",
            "Enabled",
            "If disabled, the current password for this user will be lost.",
        ],
        present=[
            "Nếu tắt, người dùng vẫn có thể được xác thực qua cơ chế khác, như đăng nhập một lần (SSO) hoặc LDAP.",
            "Xác thực bằng mật khẩu",
            "Tắt xác thực bằng mật khẩu",
            "Bật",
            "Nếu tắt, mật khẩu hiện tại của người dùng này sẽ bị mất.",
        ],
    )
    without_password = make_user("khongmatkhau", agency, "viewer")
    without_password.set_unusable_password()
    without_password.save()
    enable = get_page(admin_en, f"/admin/auth/user/{without_password.pk}/password/")
    assert_vietnamese(
        enable,
        absent=["This action will", "Enable password-based authentication", "Set password"],
        present=["Thao tác này sẽ <strong>bật</strong> xác thực bằng mật khẩu", "Bật xác thực bằng mật khẩu"],
    )
    own = get_page(admin_en, "/admin/password_change/")
    assert_vietnamese(
        own,
        absent=["for security’s sake", "Change my password"],
        present=["Để bảo đảm an toàn, vui lòng nhập mật khẩu cũ", "Đổi mật khẩu của tôi"],
    )


@pytest.mark.django_db
def test_javascript_catalogue_serves_our_vietnamese(admin_en):
    response = admin_en.get("/admin/jsi18n/")
    assert response.status_code == 200
    served = json.loads(re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1))
    for english, vietnamese in {
        "Now": "Bây giờ",
        "Today": "Hôm nay",
        "Choose a time": "Chọn giờ",
        "January": "Tháng 1",
        "Sunday": "Chủ nhật",
        "abbrev. day Monday\x04Mon": "T2",
        "one letter Saturday\x04S": "T7",
        "Choose all %s": "Chọn tất cả %s",
        "Hide": "Ẩn",
    }.items():
        assert served[english] == vietnamese
    # Everything it serves is ours, nothing of Django's old catalogue ("Dấu đi" for "Hide").
    expected = {
        catalogue_key(entry): [entry["msgstr"]] if entry["msgid_plural"] else entry["msgstr"]
        for entry in ours("djangojs")
    }
    assert served == expected


@pytest.mark.parametrize("domain", sorted(DJANGO_CATALOGUES))
def test_our_catalogue_covers_every_message_of_django(domain):
    """A Django upgrade that brings new messages fails here until they are translated (README in the locale)."""
    translated = {catalogue_key(entry) for entry in ours(domain)}
    missing = []
    for folder in DJANGO_CATALOGUES[domain]:
        english = DJANGO / folder / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        missing += [f"{folder}: {e['msgid']}" for e in read_po(english) if catalogue_key(e) not in translated]
    assert missing == []


@pytest.mark.parametrize("domain", sorted(DJANGO_CATALOGUES))
def test_our_translations_are_well_formed(domain):
    placeholders = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sdr]|\{[a-z_0-9]*\}")
    for entry in ours(domain):
        vietnamese = entry["msgstr"]
        assert vietnamese, entry["msgid"]
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert unicodedata.is_normalized("NFC", vietnamese), entry["msgid"]
        english = entry["msgid_plural"] or entry["msgid"]
        if entry["flags"] & {"python-format", "python-brace-format", "javascript-format"}:
            assert sorted(placeholders.findall(vietnamese)) == sorted(placeholders.findall(english)), entry["msgid"]


@pytest.mark.django_db
def test_every_entry_of_our_catalogue_is_what_gettext_serves():
    """The .mo is compiled from the current .po: a stale or missing .mo serves Django's wording (or English)."""
    wrong = []
    with translation.override("vi"):
        for entry in ours("django"):
            context, english, plural = entry["msgctxt"], entry["msgid"], entry["msgid_plural"]
            if plural is None:
                served = [translation.pgettext(context, english) if context else translation.gettext(english)]
            elif context is not None:
                served = [translation.npgettext(context, english, plural, n) for n in (1, 5)]
            else:
                served = [translation.ngettext(english, plural, n) for n in (1, 5)]
            if any(text != entry["msgstr"] for text in served):
                wrong.append((english, entry["msgstr"], served))
    assert wrong == []


BUILTIN_NAMES = {
    ("admin", "add_logentry"): "Có thể thêm mục nhật ký",
    ("admin", "change_logentry"): "Có thể sửa mục nhật ký",
    ("admin", "delete_logentry"): "Có thể xóa mục nhật ký",
    ("admin", "view_logentry"): "Có thể xem mục nhật ký",
    ("auth", "add_user"): "Có thể thêm người dùng",
    ("auth", "change_group"): "Có thể sửa nhóm",
    ("sessions", "delete_session"): "Có thể xóa phiên làm việc",
    ("contenttypes", "view_contenttype"): "Có thể xem loại nội dung",
    ("dossiers", "change_dossier"): "Có thể sửa hồ sơ",
    ("workcalendar", "add_calendaroverride"): "Có thể thêm ngày điều chỉnh lịch làm việc",
}


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
def test_permission_names_are_vietnamese_after_migrate():
    for (app_label, codename), name in BUILTIN_NAMES.items():
        assert permission(app_label, codename).name == name
    assert list(Permission.objects.filter(name__startswith="Can ").values_list("name", flat=True)) == []


@pytest.mark.django_db
def test_migrate_renames_permissions_created_before_and_leaves_custom_ones(db):
    # As a database migrated before cchc named them: Django's English names.
    for app_label, codename in BUILTIN_NAMES:
        Permission.objects.filter(content_type__app_label=app_label, codename=codename).update(
            name=f"Can {codename.replace('_', ' ')}"
        )
    dossier_type = ContentType.objects.get(app_label="dossiers", model="dossier")
    custom = Permission.objects.create(content_type=dossier_type, codename="export_dossier", name="Có thể xuất hồ sơ")
    count = Permission.objects.count()

    call_command("migrate", verbosity=0, interactive=False)

    for (app_label, codename), name in BUILTIN_NAMES.items():
        assert permission(app_label, codename).name == name
    custom.refresh_from_db()
    assert custom.name == "Có thể xuất hồ sơ"
    assert Permission.objects.count() == count

    names = dict(Permission.objects.values_list("pk", "name"))
    call_command("migrate", verbosity=0, interactive=False)
    assert dict(Permission.objects.values_list("pk", "name")) == names
    from cchc.web.permissions import name_builtin_permissions

    assert sum(name_builtin_permissions(app_config) for app_config in apps.get_app_configs()) == 0


def test_the_admin_search_icon_is_named_in_vietnamese(admin_en):
    page = get_page(admin_en, "/admin/audit/auditentry/")
    assert 'alt="Search"' not in page
    assert 'alt="Tìm kiếm"' in page


@pytest.mark.django_db
def test_yes_no_columns_of_the_admin_speak_vietnamese(admin_en, officer):
    """A screen reader reads the yes/no icons of a list (the users' "nhân viên" column) by their alt text."""
    page = get_page(admin_en, "/admin/auth/user/")
    assert 'alt="True"' not in page and 'alt="False"' not in page
    assert 'alt="Có"' in page and 'alt="Không"' in page  # the superuser is staff, the officer is not
    change = get_page(admin_en, f"/admin/auth/user/{officer.pk}/change/")
    assert 'alt="True"' not in change and 'alt="False"' not in change
