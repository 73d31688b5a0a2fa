"""auditor: an audit engine for Korean public budget documents (사업설명서)."""

__version__ = "0.1.0.dev0"
