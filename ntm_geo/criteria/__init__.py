"""NTM criteria frameworks, the province report's figures, and the report check."""
