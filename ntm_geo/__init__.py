"""ntm-geo: commune choropleths of the National Target Program on New Rural Development (NTM),
Lạng Sơn province. Pure logic only: this package never imports Streamlit."""

from ntm_geo.errors import BoundaryError, ConfigError, DataError, NtmGeoError

__all__ = ["BoundaryError", "ConfigError", "DataError", "NtmGeoError"]
__version__ = "0.1.0"
