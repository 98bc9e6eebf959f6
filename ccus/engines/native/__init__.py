"""Native batch engine (no PHREEQC): :func:`ccus.engines.native.engine.run_batch` and ``run_many``."""
