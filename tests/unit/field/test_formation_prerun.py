"""[formation_water] prerun: parsing, error messages and the PHREEQC input it produces (no run here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccus.config.experiment import load_experiment
from ccus.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def _carbfix1_copy(tmp_path: Path, table: str, kind: str | None = None) -> Path:
    text = (ROOT / "experiments" / "carbfix1.toml").read_text()
    text = text.replace('site = "carbfix1"', f'site = "{ROOT / "models" / "sites" / "carbfix1.toml"}"')
    text = text.replace('rock = "carbfix1_glassy_tholeiite"',
                        f'rock = "{ROOT / "models" / "rocks" / "carbfix1_glassy_tholeiite.toml"}"')
    text = text.replace("[transport]", table + "\n[transport]", 1)
    p = tmp_path / "cf1.toml"
    p.write_text(text)
    return p


def test_prerun_parsed_and_zero_means_none(tmp_path):
    exp = load_experiment(_carbfix1_copy(tmp_path, '[formation_water]\nprerun = "100 d"\n'))
    assert exp.formation_prerun.to("d").magnitude == pytest.approx(100.0, rel=1e-12)  # unit conversion only
    exp0 = load_experiment(_carbfix1_copy(tmp_path, '[formation_water]\nprerun = "0 d"\n'))
    assert exp0.formation_prerun is None


@pytest.mark.parametrize(
    "table, engine, message",
    [
        ('[formation_water]\nprerun = "100 m"\n', None, "formation_water.prerun"),
        ('[formation_water]\nprerun = "-1 d"\n', None, "formation_water.prerun"),
        ('[formation_water]\npre_run = "1 d"\n', None, "prerun"),  # did-you-mean
    ],
)
def test_prerun_errors(tmp_path, table, engine, message):
    with pytest.raises(ConfigError) as err:
        load_experiment(_carbfix1_copy(tmp_path, table), engine=engine)
    assert message in str(err.value)


def test_prerun_in_phreeqc_input(tmp_path):
    from ccus.engines.phreeqc.transport import PRERUN, PRERUN_STEPS, build_transport_input

    exp = load_experiment(_carbfix1_copy(tmp_path, '[formation_water]\nprerun = "100 d"\n'))
    text = build_transport_input(exp)[0]
    block = text.split(f"KINETICS {PRERUN}\n", 1)[1].split("END\n", 1)[0]
    assert f"-steps 8640000.0 in {PRERUN_STEPS} steps" in block
    assert f"USE kinetics {PRERUN}" in block and "SAVE solution 9000" in block and f"SAVE solution 1-{exp.transport.cells}" in block
    # the pre-run comes before the injectates are made (they use the site water as given)
    assert text.index(f"KINETICS {PRERUN}") < text.index("SOLUTION 9100")
    plain_exp = load_experiment(ROOT / "experiments" / "carbfix1.toml")
    assert plain_exp.formation_prerun is None  # default: the site water as given
    assert f"KINETICS {PRERUN}" not in build_transport_input(plain_exp)[0]


def test_prerun_refused_for_batch(tmp_path):
    p = tmp_path / "b.toml"
    text = (ROOT / "experiments" / "carbfix1_batch.toml").read_text()
    text = text.replace('site = "carbfix1"', f'site = "{ROOT / "models" / "sites" / "carbfix1.toml"}"')
    text = text.replace('rock = "carbfix1_glassy_tholeiite"',
                        f'rock = "{ROOT / "models" / "rocks" / "carbfix1_glassy_tholeiite.toml"}"')
    p.write_text(text + '\n[formation_water]\nprerun = "1 d"\n')
    with pytest.raises(ConfigError, match="needs kind"):
        load_experiment(p)
