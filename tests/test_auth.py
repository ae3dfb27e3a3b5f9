"""Editor password: configured from the environment or secrets, constant-time comparison."""

from __future__ import annotations

import pytest

from ntm_geo import auth
from ntm_geo.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)
    auth.configure(None)
    yield
    auth.configure(None)


def test_without_password_uploads_are_disabled_and_say_how_to_enable():
    assert not auth.uploads_enabled()
    with pytest.raises(ConfigError, match="NTM_GEO_EDITOR_PASSWORD") as info:
        auth.check_password("anything")
    assert "secrets.toml" in info.value.message_en
    assert (
        "Chức năng tải lên đang tắt" in info.value.message_vi and "editor_password" in info.value.message_vi
    )


def test_empty_environment_value_is_not_a_password(monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "")
    assert not auth.uploads_enabled()
    with pytest.raises(ConfigError, match="Uploads are disabled"):
        auth.check_password("")


def test_password_from_environment(monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "mật-khẩu")
    assert auth.uploads_enabled()
    auth.check_password("mật-khẩu")  # non-ASCII compared as UTF-8 bytes
    with pytest.raises(auth.PasswordError, match="Wrong editor password") as info:
        auth.check_password("mat-khau")
    assert info.value.message_vi.startswith("Sai mật khẩu biên tập")


def test_secrets_value_wins_over_environment(monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "from-env")
    auth.configure("from-secrets")
    auth.check_password("from-secrets")
    with pytest.raises(auth.PasswordError, match="Wrong"):
        auth.check_password("from-env")
    auth.configure(None)
    auth.check_password("from-env")


def test_missing_password_when_configured(monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "x")
    with pytest.raises(auth.PasswordError, match="Enter the editor password") as info:
        auth.check_password(None)
    assert "Hãy nhập mật khẩu biên tập" in info.value.message_vi


def test_comparison_is_constant_time(monkeypatch):
    calls = []
    import hmac

    real = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    monkeypatch.setenv(auth.PASSWORD_ENV, "abc")
    auth.check_password("abc")
    assert calls == [(b"abc", b"abc")]
