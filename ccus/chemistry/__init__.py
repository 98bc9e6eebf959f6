"""Aqueous chemistry: native equilibrium speciation (:mod:`ccus.chemistry.api`).

Heavy modules are imported on use so that ``import ccus`` stays fast.
"""


def speciate(solution, **kwargs):
    """Forward to :func:`ccus.chemistry.api.speciate`."""
    from ccus.chemistry.api import speciate as _speciate

    return _speciate(solution, **kwargs)
