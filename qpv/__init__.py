"""Observatoire des quartiers: indicators of France's priority neighbourhoods (QPV)."""
