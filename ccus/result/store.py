"""HDF5 store of a :class:`~ccus.result.result.Result` (h5py).

Layout (schema version 1)::

    /                attrs: format="ccus-result", schema_version, name,
                            carbon_injected, carbon_injected_unit,
                            minerals (JSON), provenance (JSON), context (JSON)
    /time            float64 [n], attr unit
    /series/<name>   float64 [n], attr unit, attr name (the series name)
    /config          the experiment config text (also in provenance)
    /cells           float64 [n_cells], attr unit (transport runs only)
    /profiles/<name> float64 [n_time, n_cells], attr unit, name, order
                     (transport runs only; stores without them still load)

Writing is atomic: the file is written under a temporary name in the same
folder and renamed over the final name only when complete, so a crash never
leaves a half-written file under the final name and never damages an older
store of that name.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ccus.errors import StoreError
from ccus.result.atomic import atomic_h5
from ccus.result.result import Result
from ccus.units import Q_

FORMAT = "ccus-result"
SCHEMA_VERSION = 1


def _dataset_name(name: str) -> str:
    return name.replace("/", "\u2215")  # h5 paths cannot hold '/'


def _write(result: Result, fh) -> None:
    fh.attrs["format"] = FORMAT
    fh.attrs["schema_version"] = SCHEMA_VERSION
    fh.attrs["name"] = result.name
    fh.attrs["carbon_injected"] = float(result.carbon_injected.magnitude)
    fh.attrs["carbon_injected_unit"] = str(result.carbon_injected.units)
    fh.attrs["minerals"] = json.dumps(result.minerals, sort_keys=True)
    fh.attrs["provenance"] = json.dumps(result.provenance, sort_keys=True, default=str)
    fh.attrs["context"] = json.dumps(result.context, sort_keys=True, default=str)
    d = fh.create_dataset("time", data=np.asarray(result.time.magnitude, dtype=float))
    d.attrs["unit"] = str(result.time.units)
    grp = fh.create_group("series")
    for i, (name, q) in enumerate(result.series.items()):
        ds = grp.create_dataset(_dataset_name(name), data=np.asarray(q.magnitude, dtype=float))
        ds.attrs["unit"] = str(q.units)
        ds.attrs["name"] = name
        ds.attrs["order"] = i
    fh.create_dataset("config", data=result.provenance.get("config_text", ""))
    if result.cells is not None:
        d = fh.create_dataset("cells", data=np.asarray(result.cells.magnitude, dtype=float))
        d.attrs["unit"] = str(result.cells.units)
        pg = fh.create_group("profiles")
        for i, (name, q) in enumerate(result.profiles.items()):
            ds = pg.create_dataset(_dataset_name(name), data=np.asarray(q.magnitude, dtype=float))
            ds.attrs["unit"] = str(q.units)
            ds.attrs["name"] = name
            ds.attrs["order"] = i


def _read_profiles(fh):
    if "cells" not in fh:
        return {}, None
    cells = Q_(np.asarray(fh["cells"][...]), fh["cells"].attrs["unit"])
    profiles = {}
    if "profiles" in fh:
        items = sorted(fh["profiles"].values(), key=lambda d: int(d.attrs["order"]))
        profiles = {d.attrs["name"]: Q_(np.asarray(d[...]), d.attrs["unit"]) for d in items}
    return profiles, cells


def save_result(result: Result, path, *, _fail_after_write: bool = False) -> Path:
    """Write ``result`` to ``path`` (HDF5) atomically; return the path.

    ``_fail_after_write`` is for tests: it simulates a crash after the data are
    written but before the rename.
    """
    path = Path(path)
    with atomic_h5(path, _fail_after_write=_fail_after_write) as fh:
        _write(result, fh)
    return path


def load_result(path) -> Result:
    """Read a store written by :func:`save_result`.

    Raises :class:`StoreError` for a missing file, a file that is not HDF5 or
    not a ccus store, or a store from a newer schema version.
    """
    import h5py

    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: file not found")
    try:
        fh = h5py.File(path, "r")
    except OSError as exc:
        raise StoreError(f"{path}: not a readable HDF5 file ({exc})") from None
    with fh:
        if fh.attrs.get("format") != FORMAT:
            raise StoreError(f"{path}: not a ccus result store (no format='{FORMAT}' attribute)")
        version = int(fh.attrs.get("schema_version", -1))
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: store schema version {version} is newer than this ccus supports ({SCHEMA_VERSION}); upgrade ccus")
        try:
            time = Q_(np.asarray(fh["time"][...]), fh["time"].attrs["unit"])
            items = sorted(fh["series"].values(), key=lambda d: int(d.attrs["order"]))
            series = {d.attrs["name"]: Q_(np.asarray(d[...]), d.attrs["unit"]) for d in items}
            profiles, cells = _read_profiles(fh)
            return Result(
                name=str(fh.attrs["name"]),
                time=time,
                series=series,
                carbon_injected=Q_(float(fh.attrs["carbon_injected"]), str(fh.attrs["carbon_injected_unit"])),
                minerals=json.loads(fh.attrs["minerals"]),
                provenance=json.loads(fh.attrs["provenance"]),
                context=json.loads(fh.attrs.get("context", "{}")),
                profiles=profiles,
                cells=cells,
            )
        except (KeyError, ValueError, OSError) as exc:
            raise StoreError(f"{path}: damaged ccus store ({type(exc).__name__}: {exc})") from None
