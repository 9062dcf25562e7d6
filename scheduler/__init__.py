"""scheduler: a multilingual, translation-aware conference scheduler."""

__version__ = "0.1.0"
