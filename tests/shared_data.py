"""The real STIP Compass file of ``shared/data/stip/``, where a machine keeps it: named by
``STIP_FILE``, beside the clone (as CI lays ``shared/`` out), or in the workplace's
``/work/shared``. Tests that read it are skipped, saying why, where it is nowhere."""

import os
from pathlib import Path

import pytest

_RELATIVE = Path("data/stip/stip_2021_cluster_policies.csv")
_CANDIDATES = [
    Path(os.environ.get("STIP_FILE", "/nonexistent")),
    Path(__file__).resolve().parents[1].parent / "shared" / _RELATIVE,
    Path("/work/shared") / _RELATIVE,
]
STIP_FILE = next((path for path in _CANDIDATES if path.is_file()), None)

needs_stip_file = pytest.mark.skipif(
    STIP_FILE is None, reason="the shared STIP Compass file is not on this machine"
)
