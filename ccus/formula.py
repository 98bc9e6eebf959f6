"""Parse chemical formulas (PHREEQC style) into element counts.

Handles decimal stoichiometry (``SiTi0.02Al0.36...O3.364``), parentheses
(``CaAl2(SiO4)2``, ``Si1.00Al0.35O2(OH)1.05``) and hydrate water after ``:``
(``Na0.96Al0.96Si2.04O6:1H2O``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_TOKEN = re.compile(r"([A-Z][a-z]?)|(\()|(\))|(\d+(?:\.\d*)?|\.\d+)")


def element_counts(formula: str) -> dict[str, float]:
    """Return ``{element: count}`` for a formula; raise ValueError if it does not parse."""
    return dict(_element_counts(formula))  # a new dict per call: callers may keep or change it


@lru_cache(maxsize=1024)
def _element_counts(formula: str) -> tuple[tuple[str, float], ...]:
    total: Counter = Counter()
    for part_index, part in enumerate(formula.split(":")):
        part = part.strip()
        mult = 1.0
        m = re.match(r"^(\d+(?:\.\d*)?)(?=[A-Z(])", part)
        if part_index > 0 and m:
            mult = float(m.group(1))
            part = part[m.end():]
        for el, n in _parse(part).items():
            total[el] += mult * n
    return tuple(total.items())


def _parse(text: str) -> Counter:
    stack: list[Counter] = [Counter()]
    last: Counter | str | None = None
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot parse formula {text!r} at position {pos}")
        pos = m.end()
        el, open_, close, num = m.groups()
        if el:
            stack[-1][el] += 1
            last = el
        elif open_:
            stack.append(Counter())
            last = None
        elif close:
            if len(stack) == 1:
                raise ValueError(f"unbalanced ')' in formula {text!r}")
            group = stack.pop()
            for k, v in group.items():
                stack[-1][k] += v
            last = group
        else:
            n = float(num)
            if isinstance(last, str):
                stack[-1][last] += n - 1
            elif isinstance(last, Counter):
                for k, v in last.items():
                    stack[-1][k] += v * (n - 1)
            else:
                raise ValueError(f"number without element in formula {text!r}")
            last = None
    if len(stack) != 1:
        raise ValueError(f"unbalanced '(' in formula {text!r}")
    return stack[0]
