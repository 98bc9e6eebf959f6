"""Parameter studies: sweeps, uncertainty and sensitivity, resumable, local or on Dask.

>>> from ccus import study
>>> from ccus.study import Parameter, Morris
>>> s = study.sample("experiments/carbfix1_batch.toml",
...                  [Parameter.loguniform("rock.minerals.glass.specific_surface_area", "0.001 m^2/g", "0.1 m^2/g"),
...                   Parameter.uniform("experiment.temperature", "20 degC", "50 degC")],
...                  "glass.h5", design=Morris(trajectories=6), workers=4)   # doctest: +SKIP
>>> s.frame; s.sensitivity("t50")                                         # doctest: +SKIP

See docs/studies.md.
"""

from ccus.study.api import load, run, sample, sensitivity, sweep
from ccus.study.config import StudySpec, load_study
from ccus.study.design import Grid, LatinHypercube, MonteCarlo, Morris, Parameter, Sobol
from ccus.study.executor import StudyRunError, execute
from ccus.study.outputs import Output
from ccus.study.store import StudyStoreError
from ccus.study.study import Study

__all__ = [
    "Grid", "LatinHypercube", "MonteCarlo", "Morris", "Output", "Parameter", "Sobol", "Study",
    "StudyRunError", "StudySpec", "StudyStoreError", "execute", "load", "load_study", "run",
    "sample", "sensitivity", "sweep",
]
