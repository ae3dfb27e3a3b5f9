"""Sections of the planner page (``app_pages/planner.py``), one module per tab: ``rank`` (find and
rank, with the ranking state), ``matrix`` (criteria gap matrix), ``shortlist`` (comparison, notes,
decision sheet), ``summary`` (by district or commune group) and ``progress`` (targets and
scenario); ``texts`` holds the page's words, ``context`` what the page hands each section and
``ranking_cache`` the cached ranking.
Importing a section draws nothing: the page calls its ``render(ctx)``."""
