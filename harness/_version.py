"""The harness version, stamped on every stored row."""

__version__ = "0.1.0"
