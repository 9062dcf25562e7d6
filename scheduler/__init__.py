"""scheduler: a multilingual, translation-aware conference scheduler.

Its version is the package's (pyproject.toml): `scheduler --version`, or importlib.metadata.version("scheduler").
"""
