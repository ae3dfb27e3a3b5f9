"""Every setting of ntm-geo in one table: (environment variable, Streamlit secret, default, help).

The README's settings table is checked against this one by a test, and a test fails when the code
reads an ``NTM_GEO_*`` variable that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    secret: str | None
    default: str
    help_en: str
    help_vi: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "NTM_GEO_BOUNDARY_MIRROR",
        None,
        "(download from GitHub)",
        "Folder holding censusVN2009 communes.rda, for machines without internet (sha256 still checked).",
        "Thư mục chứa communes.rda của censusVN2009, cho máy không có internet (vẫn kiểm tra sha256).",
    ),
    Setting(
        "NTM_GEO_BOUNDARY_MIRROR_2025",
        None,
        "(download from GitHub)",
        "Folder holding the 2025 boundary files (wards/*.geojson, 20_lang_son.geojson), for machines "
        "without internet (sha256 still checked).",
        "Thư mục chứa các tệp ranh giới 2025 (wards/*.geojson, 20_lang_son.geojson), cho máy không có "
        "internet (vẫn kiểm tra sha256).",
    ),
    Setting(
        "NTM_GEO_SHAPES_DIR",
        None,
        "shapes/",
        "Cache folder of the converted Lạng Sơn boundaries (GeoParquet).",
        "Thư mục lưu ranh giới Lạng Sơn đã chuyển đổi (GeoParquet).",
    ),
    Setting(
        "NTM_GEO_DATA_DIR",
        "data_dir",
        "ntm_data/",
        "Folder of the SQLite database of the province's saved datasets and boundaries.",
        "Thư mục chứa cơ sở dữ liệu SQLite của các bộ dữ liệu và ranh giới đã lưu.",
    ),
    Setting(
        "NTM_GEO_EDITOR_PASSWORD",
        "editor_password",
        "(none: uploads disabled)",
        "Editor password (or token) needed to upload, replace or delete datasets; viewing needs none.",
        "Mật khẩu biên tập để tải lên, thay thế, xóa dữ liệu; xem không cần mật khẩu.",
    ),
    Setting(
        "NTM_GEO_FRAMEWORKS_DIR",
        None,
        "(none: the national frameworks only)",
        "Folder of the province's own criteria framework files (*.yaml, the format of data/frameworks/).",
        "Thư mục chứa các tệp bộ tiêu chí riêng của tỉnh (*.yaml, cùng định dạng data/frameworks/).",
    ),
)
