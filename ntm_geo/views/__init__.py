"""Views and links: the view state and its URL form, slide sequences."""
