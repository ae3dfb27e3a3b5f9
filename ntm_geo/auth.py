"""The editor password: who may upload, replace and delete saved data (viewing needs none).

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
"""

from __future__ import annotations

import hmac
import os

from ntm_geo.errors import ConfigError, NtmGeoError

PASSWORD_ENV = "NTM_GEO_EDITOR_PASSWORD"
SECRETS_KEY = "editor_password"

_configured: str | None = None


class PasswordError(NtmGeoError):
    """The editor password given with a write is missing or wrong."""


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


def check_password(given: str | None) -> None:
    """Allow a write, or raise.

    Raises
    ------
    ConfigError
        No editor password is configured (message says how to enable uploads).
    PasswordError
        ``given`` is empty or wrong.
    """
    expected = editor_password()
    if expected is None:
        raise not_configured_error()
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
