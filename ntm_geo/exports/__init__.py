"""Exports: static maps (PNG/PDF), standalone HTML, Excel and CSV tables."""
