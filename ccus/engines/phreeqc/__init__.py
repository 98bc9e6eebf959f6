"""The PHREEQC engine: PHREEQC input generated from an Experiment, run in memory."""
