"""CarbFix1 monitoring well HN-04: the measured samples and the end-members.

The 77 HN-04 water samples of Matter et al. 2016 (Science 352:1312), day 1 to
539 after the start of the phase I injection (January 2012), as compiled in
the teaching notebook ett20/O10_Carbfix_Binder (``Matter_2016.xlsx``) and
shipped unchanged in ``models/field/carbfix1_hn04_matter2016.csv`` (see the
README there for the columns and the caveat on the shifted 14C columns).

Tracer concentrations (SF6, SF5CF3) are volume ratios, cm3 of gas at STP per
cm3 of water ("ccSTP/cc"). pint has no ccSTP unit, so ccus holds them as
*dimensionless* quantities (cm3/cm3); only ratios of them enter the mass
balance, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pint

from ccus.config.paths import models_dir
from ccus.units import Q_

CSV_NAME = "carbfix1_hn04_matter2016.csv"

#: CSV column -> unit-bearing column name of :func:`load_hn04`.
COLUMNS: dict[str, str] = {
    "sample_id": "sample id",
    "days_after_injection_start": "time [d]",
    "na_fluorescein": "Na-fluorescein [as compiled]",
    "sf6_total_ccstp_per_cc": "SF6 total [ccSTP/cc]",
    "sf6_phase1_ccstp_per_cc": "SF6 phase I [ccSTP/cc]",
    "sf5cf3_phase2_ccstp_per_cc": "SF5CF3 phase II [ccSTP/cc]",
    "pH": "pH [-]",
    "dic_mmol_per_l": "DIC [mmol/L]",
    "c14_column_a_as_compiled": "14C column a [as compiled]",
    "c14_column_b_as_compiled": "14C column b [as compiled]",
    "c14_column_c_as_compiled": "14C column c [as compiled]",
}

# Short names of the columns the mass balance uses.
TIME = "time [d]"
PH = "pH [-]"
DIC = "DIC [mmol/L]"
SF6_TOTAL = "SF6 total [ccSTP/cc]"
SF6_PHASE1 = "SF6 phase I [ccSTP/cc]"
SF5CF3_PHASE2 = "SF5CF3 phase II [ccSTP/cc]"

_MATTER = "Matter et al. 2016, Science 352:1312 (as quoted in ett20/O10_Carbfix_Binder)"
_SNAEB = "Snaebjornsdottir et al. 2017, IJGGC 58:87"


@dataclass(frozen=True)
class HN04EndMembers:
    """Injectate and ambient-groundwater end-members of the HN-04 mass balance.

    All fields are pint quantities (``ccus.units.Q_``). Tracer concentrations
    are dimensionless volume ratios (ccSTP/cc = cm3 STP per cm3 of water).
    :attr:`citations` gives the source of every field; fields marked
    "assumed" are not in the source.
    """

    sf6_injectate_phase1: pint.Quantity
    sf5cf3_injectate_phase2: pint.Quantity
    sf6_ambient: pint.Quantity
    dic_injectate_phase1: pint.Quantity
    dic_injectate_phase2: pint.Quantity
    dic_groundwater: pint.Quantity
    ph_groundwater: pint.Quantity
    ph_groundwater_temperature: pint.Quantity
    alkalinity_groundwater: pint.Quantity
    c14_injectate_phase1: pint.Quantity
    c14_injectate_phase2: pint.Quantity
    c14_reservoir: pint.Quantity
    distance_injection_to_hn04: pint.Quantity

    @property
    def citations(self) -> dict[str, str]:
        """Field name -> where the value comes from."""
        return dict(_CITATIONS)

    @property
    def assumed(self) -> tuple[str, ...]:
        """Names of the fields that are ccus assumptions, not source values."""
        return ("dic_injectate_phase2",)


_CITATIONS: dict[str, str] = {
    "sf6_injectate_phase1": _MATTER,
    "sf5cf3_injectate_phase2": _MATTER,
    "sf6_ambient": _MATTER,
    "dic_injectate_phase1": _MATTER,
    "dic_injectate_phase2": (
        "assumed equal to phase I (not given in the compiled source); enters only "
        "through the phase II mixing fraction (< 0.004 in every sample)"
    ),
    "dic_groundwater": _MATTER + " ('about 1.5 mmol/L')",
    "ph_groundwater": _MATTER,
    "ph_groundwater_temperature": _MATTER,
    "alkalinity_groundwater": _MATTER + " (1.91 meq/L, held as mmol/L of charge)",
    "c14_injectate_phase1": _MATTER,
    "c14_injectate_phase2": _MATTER,
    "c14_reservoir": _MATTER,
    "distance_injection_to_hn04": _SNAEB + " (HN-02 to HN-04, about 125 m)",
}

#: The HN-04 end-members (Matter et al. 2016; see ``HN04_ENDMEMBERS.citations``).
HN04_ENDMEMBERS = HN04EndMembers(
    sf6_injectate_phase1=Q_(2.33e-8, "dimensionless"),
    sf5cf3_injectate_phase2=Q_(2.24e-8, "dimensionless"),
    sf6_ambient=Q_(2.44e-12, "dimensionless"),
    dic_injectate_phase1=Q_(0.82, "mol/L"),
    dic_injectate_phase2=Q_(0.82, "mol/L"),
    dic_groundwater=Q_(1.5, "mmol/L"),
    ph_groundwater=Q_(9.43, "dimensionless"),
    ph_groundwater_temperature=Q_(20.0, "degC"),
    # 1.91 meq/L: pint has no equivalent unit; held as mmol/L of charge (1 eq = 1 mol of charge).
    alkalinity_groundwater=Q_(1.91, "mmol/L"),
    c14_injectate_phase1=Q_(40.0, "Bq/L"),
    c14_injectate_phase2=Q_(6.0, "Bq/L"),
    c14_reservoir=Q_(0.0006, "Bq/L"),
    distance_injection_to_hn04=Q_(125.0, "m"),
)


def hn04_csv_path() -> Path:
    """Path of the shipped HN-04 CSV (``models/field/carbfix1_hn04_matter2016.csv``).

    Looked up in :func:`ccus.config.paths.models_dir` (``$CCUS_MODELS`` or the
    ``models/`` folder beside the package); if ``$CCUS_MODELS`` points to a
    folder without ``field/``, the copy beside the package is used.
    """
    path = models_dir() / "field" / CSV_NAME
    if not path.exists():
        beside = Path(__file__).resolve().parents[2] / "models" / "field" / CSV_NAME
        if beside.exists():
            return beside
    return path


def load_hn04(path: str | Path | None = None) -> pd.DataFrame:
    """Load the HN-04 samples of Matter et al. 2016.

    Parameters
    ----------
    path
        The CSV; default :func:`hn04_csv_path`.

    Returns
    -------
    pandas.DataFrame
        One row per sample (77), sorted by time as in the file, with the
        unit-bearing columns of :data:`COLUMNS` ("time [d]", "pH [-]",
        "DIC [mmol/L]", "SF6 phase I [ccSTP/cc]", "SF5CF3 phase II
        [ccSTP/cc]", ...). Missing measurements are NaN. Values are as
        compiled; the three 14C columns are kept "as compiled" because their
        headers are shifted for some rows (see ``models/field/README.md``).
    """
    path = Path(path) if path is not None else hn04_csv_path()
    if not path.exists():
        raise FileNotFoundError(f"HN-04 data file not found: {path} (expected models/field/{CSV_NAME})")
    raw = pd.read_csv(path)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: columns {missing} missing (expected {list(COLUMNS)})")
    df = raw[list(COLUMNS)].rename(columns=COLUMNS)
    df["sample id"] = df["sample id"].astype(int)
    df[TIME] = df[TIME].astype(float)
    return df
