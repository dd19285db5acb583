"""Data files of the lint stage: the schema overlay for the User Manager menus."""
