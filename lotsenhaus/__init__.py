"""Lotsenhaus: the platform of a city's venture-client unit."""

__version__ = "0.1.0"
