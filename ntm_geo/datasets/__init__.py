"""Per-commune NTM tables: the dataset contract, import, matching, store and catalogue."""
