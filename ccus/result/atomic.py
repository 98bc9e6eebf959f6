"""Atomic HDF5 writes: a temporary file in the target folder, fsync, rename.

A crash at any moment leaves either the old file or the new one under the final
name, never a half-written one; the temporary file is removed on failure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_h5(path, *, _fail_after_write: bool = False) -> Iterator:
    """Yield an h5py File open for writing; it replaces ``path`` only when the block completes.

    ``_fail_after_write`` is for tests: it simulates a crash after the data are
    written but before the rename.
    """
    import h5py

    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as fh:
            yield fh
            fh.flush()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if _fail_after_write:
            raise RuntimeError("simulated crash before rename")
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
