import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo creates a dozen users; the production hasher would spend seconds on them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
