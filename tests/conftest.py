"""Shared fixtures: small experiment configs written to a temp folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from configs_small import SMALL


@pytest.fixture
def write_config(tmp_path: Path):
    """Write TOML text to a file in tmp_path and return its path."""

    def _write(text: str, name: str = "exp.toml") -> Path:
        p = tmp_path / name
        p.write_text(textwrap.dedent(text))
        return p

    return _write


@pytest.fixture
def small_config(write_config) -> Path:
    return write_config(SMALL, "small.toml")
