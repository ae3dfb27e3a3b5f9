"""The column lists the import derives from the schema registry, rebuilt when it changes.

:mod:`ntm_geo.datasets.schema` owns every column; these are its keys in the shapes the import
reads per row (tuples, indicator specs by key), kept current by :func:`schema.on_change` so that
:func:`schema.extended` (tests, plug-ins) is seen. Read them as attributes of this module
(``registry.TABLE_COLUMNS``): a name imported from here would not follow a change.
"""

from __future__ import annotations

from ntm_geo.datasets import schema

PCT_COLUMNS: tuple[str, ...] = schema.pct_keys()
INDICATOR_COLUMNS: tuple[str, ...] = schema.column_keys("indicator")  # numbers, range from the registry
INDICATOR_SPECS: dict[str, schema.Column] = {
    c.key: c for c in schema.value_columns() if c.kind == "indicator"
}
FLAG_COLUMNS: tuple[str, ...] = schema.column_keys("flag")
TABLE_COLUMNS: tuple[str, ...] = schema.column_keys()


def _registry_changed() -> None:
    """Rebuild what this module derives from the schema registry (see :func:`schema.extended`)."""
    global PCT_COLUMNS, INDICATOR_COLUMNS, FLAG_COLUMNS, TABLE_COLUMNS
    PCT_COLUMNS, INDICATOR_COLUMNS, FLAG_COLUMNS, TABLE_COLUMNS = (
        schema.pct_keys(),
        schema.column_keys("indicator"),
        schema.column_keys("flag"),
        schema.column_keys(),
    )
    INDICATOR_SPECS.clear()
    INDICATOR_SPECS.update({c.key: c for c in schema.value_columns() if c.kind == "indicator"})


schema.on_change(_registry_changed)
