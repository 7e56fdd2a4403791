"""Dev helper: (re)generate the initial Alembic revision from schema.py on an empty SQLite.

Only for revisions that have never been released; later changes get new revisions via
`alembic revision --autogenerate` in the same way.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from nyengget.warehouse.db import alembic_config, make_engine

message = sys.argv[1] if len(sys.argv) > 1 else "initial schema"
rev_id = sys.argv[2] if len(sys.argv) > 2 else "0001"
with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'w.sqlite'}")
    if rev_id != "0001":
        command.upgrade(alembic_config(engine), "head")
    script = command.revision(alembic_config(engine), message=message, autogenerate=True, rev_id=rev_id)
path = Path(script.path)
path.write_text("\n".join(line.rstrip() for line in path.read_text().splitlines()) + "\n")
