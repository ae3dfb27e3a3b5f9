"""Editor password: configured from the environment or secrets, constant-time comparison."""

from __future__ import annotations

import logging
import time

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


# ---------------------------------------------------------------- sign-in, sessions, throttling


@pytest.fixture
def throttle():
    return auth.Throttle()


def _sign_in(password, throttle, *, now, session="s1", client="10.0.0.7"):
    return auth.sign_in(password, session_key=session, client_address=client, now=now, throttle=throttle)


def test_sign_in_opens_a_session_that_saves_and_ends_after_30_min_idle_or_8_h(monkeypatch, throttle):
    monkeypatch.setenv(auth.PASSWORD_ENV, "đúng")
    session = _sign_in("đúng", throttle, now=1000.0)
    assert session.active(1000.0) and session.expires_in_s(1000.0) == 30 * 60
    monkeypatch.setattr(auth.time, "monotonic", lambda: 1000.0 + 29 * 60)
    auth.check_password(session)  # a write with the session: allowed, no password needed
    assert session.touch(1000.0 + 29 * 60)
    assert session.active(1000.0 + 29 * 60 + 30 * 60) and not session.active(1000.0 + 29 * 60 + 30 * 60 + 1)
    monkeypatch.setattr(auth.time, "monotonic", lambda: 1000.0 + 60 * 60)
    with pytest.raises(auth.PasswordError, match="session has ended") as info:
        auth.check_password(session)  # the server re-checks at save time
    assert "Phiên biên tập đã hết hạn" in info.value.message_vi
    assert not session.touch(1000.0 + 60 * 60)  # an ended session is not revived by activity

    busy = _sign_in("đúng", throttle, now=0.0)
    for minute in range(0, 8 * 60, 10):  # active every 10 min for 8 h
        assert busy.touch(minute * 60.0)
    assert not busy.touch(8 * 3600.0 + 1)


def test_a_session_is_refused_when_uploads_were_disabled_since(monkeypatch, throttle):
    monkeypatch.setenv(auth.PASSWORD_ENV, "x")
    session = _sign_in("x", throttle, now=time.monotonic())
    monkeypatch.delenv(auth.PASSWORD_ENV)
    with pytest.raises(ConfigError):
        auth.check_password(session)


def test_wrong_passwords_wait_doubles_per_session_and_per_address(monkeypatch, throttle, caplog):
    monkeypatch.setenv(auth.PASSWORD_ENV, "đúng")
    caplog.set_level(logging.WARNING, logger="ntm_geo.auth")
    with pytest.raises(auth.PasswordError, match="Wrong editor password"):
        _sign_in("sai", throttle, now=0.0)
    with pytest.raises(auth.ThrottledError, match="wait 1 s") as info:
        _sign_in("đúng", throttle, now=0.5)  # too soon: refused without looking at the password
    assert "hãy chờ 1 giây" in info.value.message_vi
    waits = []
    now = 0.0
    for _ in range(5):
        now += throttle.wait_s(auth.throttle_keys("s1", "10.0.0.7"), now)
        with pytest.raises(auth.PasswordError):
            _sign_in("sai", throttle, now=now)
        waits.append(throttle.wait_s(auth.throttle_keys("s1", "10.0.0.7"), now))
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0]
    # a new browser session from the same address waits too; another address in that new session also
    with pytest.raises(auth.ThrottledError):
        _sign_in("đúng", throttle, now=now + 1, session="s2")
    with pytest.raises(auth.ThrottledError):
        _sign_in("đúng", throttle, now=now + 1, session="s1", client="10.0.0.8")
    assert _sign_in("đúng", throttle, now=now + 1, session="s3", client="10.0.0.9").active(now + 1)
    # one log line per wrong password, naming the client, never the password
    failures = [r for r in caplog.records if r.name == "ntm_geo.auth"]
    assert len(failures) == 6 and all(r.levelno == logging.WARNING for r in failures)
    assert "10.0.0.7" in failures[-1].getMessage() and "6 failure(s)" in failures[-1].getMessage()
    assert not any("sai" in r.getMessage().split() or "đúng" in r.getMessage() for r in failures)
    assert "s1" not in failures[0].getMessage()  # the session id is logged as a hash only


def test_a_correct_password_clears_the_count_and_the_wait_is_capped(monkeypatch, throttle):
    monkeypatch.setenv(auth.PASSWORD_ENV, "đúng")
    keys = auth.throttle_keys("s1", None)
    assert keys == ["session:s1", "client:local"]
    now = 0.0
    for _ in range(30):
        now += throttle.wait_s(keys, now)
        with pytest.raises(auth.PasswordError):
            _sign_in("sai", throttle, now=now, client=None)
    assert throttle.wait_s(keys, now) == auth.MAX_DELAY_S == 15 * 60
    now += auth.MAX_DELAY_S
    _sign_in("đúng", throttle, now=now, client=None)
    assert throttle.failures("session:s1", now) == 0 and throttle.wait_s(keys, now) == 0


def test_empty_password_is_not_counted(monkeypatch, throttle):
    monkeypatch.setenv(auth.PASSWORD_ENV, "đúng")
    with pytest.raises(auth.PasswordError, match="Enter the editor password"):
        _sign_in("", throttle, now=0.0)
    assert throttle.wait_s(auth.throttle_keys("s1", "10.0.0.7"), 0.0) == 0


def test_throttle_memory_is_bounded_and_forgets_old_failures():
    throttle = auth.Throttle(max_keys=3, forget_after_s=100.0)
    for i in range(5):
        throttle.failure([f"client:{i}"], now=float(i))
    assert [throttle.failures(f"client:{i}", 5.0) for i in range(5)] == [0, 0, 1, 1, 1]
    assert throttle.failures("client:4", 4.0 + 101.0) == 0
