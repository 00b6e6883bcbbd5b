"""The interface is Vietnamese whatever the browser asks for, the Django admin included."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "fr-FR", "vi-VN,vi;q=0.9", ""])
def test_html_lang_is_vietnamese_whatever_the_browser_asks(accept, officer):
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    page = client.get("/dang-nhap/")
    assert '<html lang="vi">' in page.content.decode()
    client.force_login(officer)
    page = client.get("/")
    assert '<html lang="vi">' in page.content.decode()


@pytest.mark.django_db
def test_django_admin_speaks_vietnamese_to_an_english_browser(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    page = admin_client.get("/admin/").content.decode()
    assert '<html lang="vi"' in page
    assert "Site administration" not in page


def test_every_field_has_a_vietnamese_label():
    """A field without a verbose_name shows its English attribute name in the admin ("Created at")."""
    english = []
    for model in apps.get_models():
        if not model.__module__.startswith("cchc."):
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            if str(field.verbose_name) == field.name.replace("_", " "):
                english.append(f"{model.__name__}.{field.name}")
    assert english == []


@pytest.mark.django_db
def test_an_empty_choice_asks_to_choose_instead_of_dashes(officer, procedure, unit):
    client = Client()
    client.force_login(officer)
    for url in ("/ho-so/tiep-nhan/", "/thu-tuc/them-moi/", "/van-ban/ban-hanh/"):
        html = client.get(url).content.decode()
        assert "---------" not in html, url
        # "— Chọn —", or a more precise "— Chọn thủ tục —" (the receipt's procedure picker).
        assert re.search(r"— Chọn( [^—<]+)? —", html), url


@pytest.mark.django_db
def test_the_admin_empty_choice_too(admin_client, agency):
    page = admin_client.get("/admin/agencies/agency/add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "---------" not in html
    assert "— Chọn —" in html
