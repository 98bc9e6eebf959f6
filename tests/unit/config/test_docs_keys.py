"""Every config key the loaders accept is documented.

A key counts as documented when it appears as a word in inline code (`key`)
or inside a fenced code block of the page that documents its file type:
experiment, site, rock and rate-set keys in docs/user-guide.md; study files in
docs/studies.md; comparison files in docs/reports.md (generic keys such as
`note` and `description` may be documented once, in docs/user-guide.md).
Key sets are found by
name (every module-level ``*_KEYS`` set of the config modules), so a new
table of keys cannot go unchecked.
"""

import importlib
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[3] / "docs"


def _documented(page: str) -> set[str]:
    text = (DOCS / page).read_text()
    fences = re.findall(r"```.*?```", text, flags=re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", " ", text, flags=re.S))
    return {w for span in fences + inline for w in re.findall(r"[A-Za-z_0-9]+", span)}


#: module -> the page that documents its keys
MODULES = {
    "ccus.config.experiment": "user-guide.md",
    "ccus.config.injection": "user-guide.md",
    "ccus.config.transport": "user-guide.md",
    "ccus.config.feedback": "user-guide.md",
    "ccus.config.site": "user-guide.md",
    "ccus.config.rock": "user-guide.md",
    "ccus.config.rates": "user-guide.md",
    "ccus.study.config": "studies.md",
    "ccus.reporting.comparison": "reports.md",
}


def _key_sets():
    for mod_name, page in MODULES.items():
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError:
            continue  # a module not in this build has no keys to document
        for name, value in vars(mod).items():
            if not name.endswith("_KEYS") or name.startswith("_"):
                continue
            if isinstance(value, dict):  # e.g. study design keys per design kind
                value = set().union(*value.values())
            if isinstance(value, (set, frozenset)) and all(isinstance(k, str) for k in value):
                yield pytest.param(page, value, id=f"{mod_name}.{name}")


KEY_SETS = list(_key_sets())


def test_key_sets_found():
    ids = {p.id for p in KEY_SETS}
    for expected in ("ccus.config.experiment.EXP_KEYS", "ccus.config.transport.TRANSPORT_KEYS",
                     "ccus.study.config.PARAM_KEYS", "ccus.reporting.comparison.COMPARE_KEYS"):
        assert expected in ids


@pytest.mark.parametrize(("page", "keys"), KEY_SETS)
def test_every_key_documented(page, keys):
    documented = _documented(page) | _documented("user-guide.md")
    missing = sorted(k for k in keys if k not in documented)
    assert not missing, f"keys not documented in docs/{page}: {missing}"
