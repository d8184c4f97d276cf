"""doetank: run Doetanks by the Doetank Spelregels."""

__version__ = "0.1.0"
