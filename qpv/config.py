"""Deployment settings read from the environment or Streamlit secrets, never from code."""

import os


def setting(name: str) -> str | None:
    """Return a setting from the environment (QPV_NAME) or st.secrets (name), None when unset."""
    value = os.environ.get(f"QPV_{name.upper()}")
    if value:
        return value
    try:
        import streamlit as st

        return st.secrets.get(name) or None
    except Exception:  # no secrets file: the setting is simply absent
        return None


def map_tiles() -> tuple[str | None, str]:
    """Return the optional raster tile URL template ({z}/{x}/{y}) and its attribution; off by default."""
    return setting("map_tiles"), setting("map_tiles_attribution") or ""
