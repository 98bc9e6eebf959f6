"""Native kinetics: rate laws (numpy), closed-system equilibrium and the batch reactor.

- :mod:`ccus.kinetics.tst` -- TST rate laws (acid / neutral / base power mechanisms,
  carbonate inhibition, gas partial pressure, affinity term),
- :mod:`ccus.kinetics.glass` -- basaltic glass (Gislason & Oelkers 2003),
- :mod:`ccus.kinetics.surface` -- reactive surface area models,
- :mod:`ccus.kinetics.closed_system` -- equilibrium of a closed reactor (water mass, pe free),
- :mod:`ccus.kinetics.network` -- the minerals of a set of reactors as arrays,
- :mod:`ccus.kinetics.reactor` -- the stiff batched integrator (``integrate``: Python loop over
  steps, any problem; ``integrate_network``: a Network's reactors, compiled),
- :mod:`ccus.kinetics.kernels` -- the compiled (numba) per-reactor kernels: closed-system Newton,
  rates with their analytic Jacobian, the Rosenbrock loop.

Modules are imported on use so that ``import ccus`` stays fast.
"""
