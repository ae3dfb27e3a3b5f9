"""Benchmarks of ntm-geo against a naive ``gdf.explore()`` peer (see ``bench/README.md``)."""
