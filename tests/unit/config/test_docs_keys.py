"""Every config key the loaders accept is documented in docs/user-guide.md."""

import re

import pytest

from ccus.config import experiment, injection, rates, rock, site, transport
from ccus.config.paths import models_dir

GUIDE = (models_dir().parent / "docs" / "user-guide.md").read_text()
DOCUMENTED = {w for span in re.findall(r"`([^`]+)`", GUIDE) for w in re.findall(r"[A-Za-z_0-9]+", span)}

KEY_SETS = {
    "experiment top level": experiment.TOP_KEYS,
    "[experiment]": experiment.EXP_KEYS,
    "[charge]": experiment.CHARGE_KEYS,
    "[batch]": experiment.BATCH_KEYS,
    "[injection]": injection.INJECTION_KEYS,
    "[transport]": transport.TRANSPORT_KEYS,
    "[[injection.phases]]": injection.PHASE_KEYS,
    "[secondary.*]": experiment.SECONDARY_KEYS,
    "[output]": experiment.OUTPUT_KEYS,
    "[solver]": experiment.SOLVER_KEYS,
    "[site]": site.SITE_KEYS,
    "[water]": site.WATER_KEYS,
    "[rock]": rock.ROCK_KEYS,
    "[rock.minerals.*]": rock.MINERAL_KEYS,
    "rate set [meta]": rates.META_KEYS,
    "rate set mineral": rates.MINERAL_KEYS,
    "rate set mechanism": rates.MECH_KEYS,
}


@pytest.mark.parametrize("table", list(KEY_SETS))
def test_every_key_documented(table):
    missing = sorted(k for k in KEY_SETS[table] if k not in DOCUMENTED)
    assert not missing, f"{table}: keys not documented in docs/user-guide.md: {missing}"
