"""Lotsenhaus: the platform of a city's venture-client unit."""

# The release's version: pyproject.toml reads it from here; `lotsenhaus --version`, /healthz and the footer (for
# platform admins) show it. CHANGELOG.md names what each version changed.
__version__ = "0.9.0"

import os as _os

# Web and task workers are processes that run in parallel; BLAS threads inside each only contend with the
# query encoder's own threads (measured: search p95 149 ms with, 51 ms without on two cores). Set before
# NumPy loads; an operator can still override it.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
