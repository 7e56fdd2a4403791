"""`make test-distributed`: these tests start a whole Airflow (CeleryExecutor) on the machine's services."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
