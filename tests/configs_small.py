"""The small batch experiment used by several tests (30 days, 10 outputs)."""

SMALL = """
[experiment]
name = "small"
kind = "batch"
site = "carbfix1"
rock = "carbfix1_glassy_tholeiite"
engine = "phreeqc"
duration = "30 d"

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

[secondary.siderite]
mineral = "Siderite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"

[secondary.kaolinite]
mineral = "Kaolinite"
mode = "equilibrium"

[secondary.saponite]
mineral = "Saponite-Mg-Mg"
mode = "equilibrium"

[output]
steps = 10

[solver]
rtol = 1e-8
method = "cvode"
"""
