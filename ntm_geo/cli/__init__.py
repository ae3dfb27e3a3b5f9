"""The command line's sub-commands (``python -m ntm_geo ...``)."""
