"""Nyengget: weekly matching of central-government funding to Kota Serang's OPD innovations."""

__version__ = "0.1.0"
