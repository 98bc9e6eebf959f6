"""Results of a run (one schema for every engine) and their HDF5 store."""

from ccus.result.result import Result

__all__ = ["Result"]
