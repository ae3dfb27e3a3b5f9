"""Administrative units (GSO codes, names, vintages) and their boundaries."""
