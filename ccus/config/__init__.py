"""Config and data loading: experiments, sites, rocks and rate sets (TOML, validated)."""
