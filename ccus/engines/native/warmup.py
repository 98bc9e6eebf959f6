"""Compile the native engine's kernels once, right after installation.

The native engine's compiled kernels (numba, cached on disk beside the package) are built the
first time they are called: 1.5-3 minutes on two cores. ``make`` runs this module after
``pip install`` so that the one-time compile is part of installing, and a user's first
``ccus run`` takes its normal time. It runs a 2-day batch reactor and a 2-day, 4-cell linear
transport on the CarbFix1 site and rock (the kernels are compiled for argument types, not sizes,
so these small cases build every kernel the full experiments use).

    python -m ccus.engines.native.warmup
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

_COMMON = """
site = "carbfix1"
rock = "carbfix1_glassy_tholeiite"
engine = "native"
duration = "2 d"
"""

BATCH = """
[experiment]
name = "warmup_batch"
kind = "batch"
""" + _COMMON + """
[charge]
composition = { CO2 = 1.0 }
water_gas_ratio = 25

[batch]
water_mass = "1 kg"
rock_mass = "31 kg"

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"

[secondary.kaolinite]
mineral = "Kaolinite"
mode = "equilibrium"

[output]
steps = 2
"""

LINEAR = """
[experiment]
name = "warmup_linear"
kind = "linear"
""" + _COMMON + """
[injection]
dissolution_pressure = "30 bar"
water_temperature = "20 degC"
[[injection.phases]]
name = "I"
start = "0 d"
duration = "1 d"
gas_rate = "1 kg/s"
water_gas_ratio = 25
tracers = { SF6 = "1e-9 mol/kg" }

[transport]
length = "4 m"
cells = 4
velocity = "1 m/d"
dispersivity = "0.1 m"
monitoring = { end = "4 m" }

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"
"""


def warm_up() -> float:
    """Run the two small cases natively (compiling or loading the kernels); returns the seconds taken."""
    from ccus.config.experiment import load_experiment
    from ccus.engines import run

    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("batch", BATCH), ("linear", LINEAR)):
            path = Path(tmp) / f"warmup_{name}.toml"
            path.write_text(text)
            run(load_experiment(path))
    return time.perf_counter() - t


def main() -> int:
    print("compiling the native engine's kernels (once after installing; 1.5-3 min on 2 cores) ...", flush=True)
    seconds = warm_up()
    print(f"native kernels ready ({seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
