"""What the engine-agreement panels (batch, transport) share: their result frame and manual run."""

from __future__ import annotations

from collections.abc import Callable


def panel_frame(rows: list[dict], columns: list[str], runs: list[dict], quick: bool):
    """``(frame, ok)`` of a panel: one row per compared quantity, ``attrs["runs"]`` and ``attrs["quick"]``;
    ok when there is at least one row and every row is within tolerance."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["runs"] = runs
    frame.attrs["quick"] = quick
    return frame, bool(len(frame) > 0 and frame["within_tolerance"].all())


def main(run_panel: Callable, argv: list[str]) -> None:
    """Print a panel's table, its run table and the overall flag (``python -m ... [--quick]``)."""
    import pandas as pd

    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    table, ok = run_panel(quick="--quick" in argv)
    print(table.to_string(index=False))
    print(pd.DataFrame(table.attrs["runs"]).to_string(index=False))
    print("all within tolerance:", ok)
