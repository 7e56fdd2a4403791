"""Import of the OPD innovation registry and the OPD directory, whatever shape the files arrive in."""

from nyengget.registry.innovations import import_innovations
from nyengget.registry.opds import import_opds
from nyengget.registry.result import ImportResult

__all__ = ["ImportResult", "import_innovations", "import_opds"]
