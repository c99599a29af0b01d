import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests create many users and never log in; PBKDF2 would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
