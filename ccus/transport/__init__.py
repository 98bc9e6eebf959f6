"""Native reactive transport: linear and radial grids, advection-dispersion, coupling to the cell chemistry.

- :mod:`ccus.transport.grid` -- cells, pore water, water flux and dispersive conductances,
- :mod:`ccus.transport.advection` -- one advection-dispersion step of the dissolved content,
- :mod:`ccus.transport.schedule` -- inlet water and flow over time (injection phases),
- :mod:`ccus.transport.coupling` -- every cell's chemistry as one batch per step,
- :mod:`ccus.transport.run` -- the time loop.

See docs/transport.md for the equations. Modules are imported on use.
"""
