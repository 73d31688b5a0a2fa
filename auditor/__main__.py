"""Allows ``python -m auditor``."""

from auditor.cli import entry

if __name__ == "__main__":  # pragma: no cover
    entry()
