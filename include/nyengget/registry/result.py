"""What an import did, for the CLI, the DAG and the logs."""

from __future__ import annotations

from dataclasses import dataclass, field

from nyengget.registry.quarantine import Rejected


@dataclass
class ImportResult:
    """Counts of one file's import; `rejected` lists the quarantined rows (one entry per problem)."""

    file: str
    loaded: int
    updated: int
    unchanged: int
    inactivated: int
    quarantined: int
    rejected: list[Rejected] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        """`innovations.csv: 78 loaded, 0 updated, 0 unchanged, 2 quarantined`."""
        text = f"{self.file}: {self.loaded} loaded, {self.updated} updated, {self.unchanged} unchanged"
        if self.inactivated:
            text += f", {self.inactivated} inactivated"
        return text + f", {self.quarantined} quarantined"
