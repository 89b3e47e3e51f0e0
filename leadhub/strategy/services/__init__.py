"""Writes to strategic plans, by area: plans (analysis, theories of action, road map,
capacity) and the driver diagram."""
