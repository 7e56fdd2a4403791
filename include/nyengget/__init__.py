"""Nyengget: weekly matching of central-government funding to the OPD innovations of each configured region."""

__version__ = "0.1.0"
