"""The editor password and editor sessions: who may upload, replace and delete saved data.

Viewing needs nothing. On the data page an editor **signs in** once per browser session
(:func:`sign_in`) and gets an :class:`EditorSession`; only then are upload widgets shown, and every
save or delete passes that session to :func:`check_password`, which re-checks it on the server.
A session ends after :data:`IDLE_TIMEOUT_S` (30 min) without activity or :data:`ABSOLUTE_TIMEOUT_S`
(8 h) after signing in, whichever comes first.

Wrong passwords are throttled (:class:`Throttle`): after the n-th failure in a row, the next
attempt from the same browser session *and* from the same client address is refused without
looking at the password for ``min(BASE_DELAY_S * 2**(n-1), MAX_DELAY_S)`` seconds (1 s, 2 s,
4 s … at most 15 min); each failure is logged (logger ``ntm_geo.auth``, level WARNING, never
the password). A success clears the session's and the address's count.

The administrator sets one password (or token) for the provincial coordination office, either

* in the environment: ``NTM_GEO_EDITOR_PASSWORD=...`` before ``streamlit run app.py``, or
* in Streamlit secrets (``.streamlit/secrets.toml``: ``editor_password = "..."``), which the app
  passes in with :func:`configure` (this package never imports Streamlit).

A value given with :func:`configure` wins over the environment. Without either (or with an empty
value), every write raises :class:`~ntm_geo.errors.ConfigError` saying how to enable uploads.
Passwords are compared with :func:`hmac.compare_digest` (constant time, on UTF-8 bytes).

Examples
--------
>>> configure("s3cret")
>>> check_password("s3cret")      # returns None: allowed
>>> configure(None)
>>> throttle = Throttle()
>>> throttle.failure(["session:a", "client:10.0.0.7"], now=0.0)
1.0
>>> throttle.wait_s(["session:b", "client:10.0.0.7"], now=0.5)   # same address, other session
0.5
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from ntm_geo.errors import ConfigError, NtmGeoError

PASSWORD_ENV = "NTM_GEO_EDITOR_PASSWORD"
SECRETS_KEY = "editor_password"

IDLE_TIMEOUT_S = 30 * 60
"""An editor session ends after this many seconds without a page run on the data page."""
ABSOLUTE_TIMEOUT_S = 8 * 60 * 60
"""An editor session ends this many seconds after signing in, however active."""
BASE_DELAY_S = 1.0
"""Wait after the first wrong password; doubled after each further failure in a row."""
MAX_DELAY_S = 15 * 60.0
"""Longest wait between two attempts (reached after 11 failures in a row)."""
FORGET_AFTER_S = 24 * 60 * 60.0
"""A key's failure count is forgotten this long after its last failure."""
MAX_KEYS = 10_000
"""Keys the throttle remembers at most (oldest forgotten first), so memory stays bounded."""

log = logging.getLogger(__name__)

_configured: str | None = None


class PasswordError(NtmGeoError):
    """The editor password given with a write is missing or wrong, or the editor session ended."""


class ThrottledError(PasswordError):
    """A sign-in attempt came too soon after wrong passwords; ``wait_s``: seconds still to wait."""

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        seconds = max(1, int(wait_s + 0.999))
        super().__init__(
            f"Too many wrong passwords: wait {seconds} s before trying again (the wait doubles after "
            "each wrong password).",
            f"Nhập sai mật khẩu nhiều lần: hãy chờ {seconds} giây rồi thử lại (mỗi lần sai, thời gian "
            "chờ tăng gấp đôi).",
        )


class Throttle:
    """Exponential delay between sign-in attempts, per key (browser session, client address).

    Thread-safe (Streamlit runs each session's script in its own thread) and bounded
    (:data:`MAX_KEYS`). Times are seconds on any monotonic clock (``time.monotonic()``).
    """

    def __init__(
        self,
        *,
        base_delay_s: float = BASE_DELAY_S,
        max_delay_s: float = MAX_DELAY_S,
        forget_after_s: float = FORGET_AFTER_S,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.forget_after_s = forget_after_s
        self.max_keys = max_keys
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # key -> (count, last)
        self._lock = threading.Lock()

    def _delay(self, count: int) -> float:
        return 0.0 if count <= 0 else min(self.base_delay_s * 2 ** min(count - 1, 60), self.max_delay_s)

    def _get(self, key: str, now: float) -> tuple[int, float]:
        count, last = self._failures.get(key, (0, 0.0))
        if count and now - last > self.forget_after_s:
            del self._failures[key]
            return 0, 0.0
        return count, last

    def failures(self, key: str, now: float) -> int:
        """Wrong passwords in a row for ``key``."""
        with self._lock:
            return self._get(key, now)[0]

    def wait_s(self, keys: Iterable[str], now: float) -> float:
        """Seconds before the next attempt is allowed for all of ``keys`` (0: allowed now)."""
        with self._lock:
            waits = [last + self._delay(count) - now for count, last in (self._get(k, now) for k in keys)]
        return max([0.0, *waits])

    def failure(self, keys: Iterable[str], now: float) -> float:
        """Count a wrong password for each of ``keys``; returns the wait before the next attempt."""
        wait = 0.0
        with self._lock:
            for key in keys:
                count = self._get(key, now)[0] + 1
                self._failures[key] = (count, now)
                self._failures.move_to_end(key)
                wait = max(wait, self._delay(count))
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)
        return wait

    def success(self, keys: Iterable[str]) -> None:
        """Forget the failures of ``keys`` (a correct password)."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


THROTTLE = Throttle()
"""The process-wide throttle of sign-in attempts (shared by all browser sessions)."""


@dataclass
class EditorSession:
    """A signed-in editor's browser session (kept server-side in Streamlit's session state).

    ``signed_in_at`` and ``last_seen``: seconds on the ``time.monotonic()`` clock.
    """

    signed_in_at: float
    last_seen: float

    def active(self, now: float | None = None) -> bool:
        """Whether the session has neither been idle :data:`IDLE_TIMEOUT_S` nor lasted
        :data:`ABSOLUTE_TIMEOUT_S`."""
        now = time.monotonic() if now is None else now
        return now - self.last_seen <= IDLE_TIMEOUT_S and now - self.signed_in_at <= ABSOLUTE_TIMEOUT_S

    def touch(self, now: float | None = None) -> bool:
        """Record activity (a page run); returns :meth:`active` (an ended session stays ended)."""
        now = time.monotonic() if now is None else now
        if not self.active(now):
            return False
        self.last_seen = now
        return True

    def expires_in_s(self, now: float | None = None) -> float:
        """Seconds until the session ends if idle from now on (0 when ended)."""
        now = time.monotonic() if now is None else now
        if not self.active(now):
            return 0.0
        return min(self.last_seen + IDLE_TIMEOUT_S, self.signed_in_at + ABSOLUTE_TIMEOUT_S) - now


def throttle_keys(session_key: str, client_address: str | None) -> list[str]:
    """The throttle's keys of one attempt: its browser session and its client address (a
    connection from this machine, which Streamlit reports as ``None``, counts as ``"local"``)."""
    return [f"session:{session_key}", f"client:{client_address or 'local'}"]


def sign_in(
    password: str | None,
    *,
    session_key: str,
    client_address: str | None,
    now: float | None = None,
    throttle: Throttle | None = None,
) -> EditorSession:
    """Check ``password`` and open an :class:`EditorSession`, throttled per session and address.

    Parameters
    ----------
    password : str or None
        What the visitor typed.
    session_key : str
        An id of the browser session (Streamlit's session id); logged only as a short hash.
    client_address : str or None
        The client's IP address (``st.context.ip_address``; ``None`` for this machine). Behind a
        reverse proxy this is the proxy's address, so the delay then applies to all clients.
    now : float, optional
        ``time.monotonic()`` by default.
    throttle : Throttle, optional
        :data:`THROTTLE` (the process's) by default.

    Raises
    ------
    ConfigError
        No editor password is configured.
    ThrottledError
        The attempt came before the wait after the last failure ended (the password is not
        looked at, and the failure count does not grow).
    PasswordError
        Wrong password (counted and logged), or an empty one (neither counted nor logged).
    """
    now = time.monotonic() if now is None else now
    throttle = THROTTLE if throttle is None else throttle
    if not password:  # nothing guessed: say what to do, count nothing
        check_password(password)
    keys = throttle_keys(session_key, client_address)
    wait = throttle.wait_s(keys, now)
    if wait > 0:
        raise ThrottledError(wait)
    try:
        check_password(password)
    except PasswordError:
        wait = throttle.failure(keys, now)
        log.warning(
            "editor sign-in failed: client %s, session %s, %d failure(s) in a row; next attempt in %.0f s",
            client_address or "local",
            hashlib.sha256(session_key.encode("utf-8")).hexdigest()[:8],
            max(throttle.failures(k, now) for k in keys),
            wait,
        )
        raise
    throttle.success(keys)
    return EditorSession(signed_in_at=now, last_seen=now)


def configure(password: str | None) -> None:
    """Use ``password`` (e.g. ``st.secrets["editor_password"]``) instead of the environment.

    ``None`` or ``""`` forgets a configured value (the environment is used again).
    """
    global _configured
    _configured = password or None


def editor_password() -> str | None:
    """The configured editor password, or None when uploads are disabled."""
    return _configured or os.environ.get(PASSWORD_ENV) or None


def uploads_enabled() -> bool:
    """Whether an editor password is configured (uploads, replacing and deleting possible)."""
    return editor_password() is not None


def not_configured_error() -> ConfigError:
    """The error (and UI message) for writes while no editor password is configured."""
    return ConfigError(
        "Uploads are disabled: no editor password is configured. The administrator enables them by "
        f"setting the environment variable {PASSWORD_ENV} before starting the app, or by adding "
        f'{SECRETS_KEY} = "..." to .streamlit/secrets.toml, then restarting.',
        "Chức năng tải lên đang tắt: chưa đặt mật khẩu biên tập. Quản trị viên bật bằng cách đặt biến "
        f'môi trường {PASSWORD_ENV} trước khi chạy ứng dụng, hoặc thêm dòng {SECRETS_KEY} = "..." vào '
        ".streamlit/secrets.toml, rồi khởi động lại.",
    )


def check_password(given: str | EditorSession | None) -> None:
    """Allow a write, or raise.

    ``given``: the password (command line, tests) or the :class:`EditorSession` of a signed-in
    browser session (the data page), which must still be active.

    Raises
    ------
    ConfigError
        No editor password is configured (message says how to enable uploads).
    PasswordError
        ``given`` is empty or wrong, or the editor session has ended.
    """
    expected = editor_password()
    if expected is None:
        raise not_configured_error()
    if isinstance(given, EditorSession):
        if not given.active():
            raise session_ended_error()
        return
    if not given:
        raise PasswordError(
            "Enter the editor password to save, replace or delete data.",
            "Hãy nhập mật khẩu biên tập để lưu, thay thế hoặc xóa dữ liệu.",
        )
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise PasswordError(
            "Wrong editor password: nothing was changed. Ask the administrator for the password.",
            "Sai mật khẩu biên tập: chưa có gì thay đổi. Hãy hỏi quản trị viên để có mật khẩu đúng.",
        )


def session_ended_error() -> PasswordError:
    """The error for a write after the editor session ended (idle or too long)."""
    return PasswordError(
        f"Your editor session has ended ({IDLE_TIMEOUT_S // 60} min without activity or "
        f"{ABSOLUTE_TIMEOUT_S // 3600} h after signing in): nothing was changed. Sign in again.",
        f"Phiên biên tập đã hết hạn ({IDLE_TIMEOUT_S // 60} phút không thao tác hoặc "
        f"{ABSOLUTE_TIMEOUT_S // 3600} giờ sau khi đăng nhập): chưa có gì thay đổi. Hãy đăng nhập lại.",
    )
