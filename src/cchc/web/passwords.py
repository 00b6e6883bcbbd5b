"""Password validators: the passwords Vietnamese users pick first (Django's own list is English), and Django's
minimum length with a Vietnamese message (Django 5.2 changed that message and its Vietnamese catalogue still has the
old one, so it showed in English).

A password is refused when, lower-cased, without diacritics and stripped of the digits and symbols around it, it is
one of the stems in data/common_passwords_vi.txt: "matkhau", "MatKhau@2024", "anhyeuem123", "Mật khẩu 1" alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_FILE = Path(__file__).resolve().parent / "data" / "common_passwords_vi.txt"
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_INSIDE = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def common_stems(path: Path = LIST_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _plain(text: str) -> str:
    # "Đ" has no combining form: map it before removing the marks of every other letter.
    text = text.casefold().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def stem(password: str) -> str:
    """The letters of a password without what people add around them: 'MatKhau@2024!' -> 'matkhau'."""
    plain = _plain(password)
    core = _AROUND.sub("", plain)
    return _INSIDE.sub("", core) if core else _INSIDE.sub("", plain)


class VietnameseCommonPasswordValidator:
    """Refuses the common Vietnamese passwords and the numbers everyone tries."""

    def validate(self, password: str, user=None) -> None:
        stems = common_stems()
        if stem(password) in stems or _INSIDE.sub("", _plain(password)) in stems:
            raise ValidationError(
                _("Mật khẩu này quá dễ đoán (giống các mật khẩu phổ biến như “matkhau123”). Hãy chọn mật khẩu khác."),
                code="password_too_common_vi",
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là mật khẩu phổ biến như “matkhau123”, “anhyeuem” hay “123456789”.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length (10 in settings), said in Vietnamese."""

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
