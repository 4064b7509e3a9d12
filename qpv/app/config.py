"""Settings as the dashboard reads them: the registry of qpv.settings with Streamlit's secrets as the secrets source."""

import streamlit as st

from qpv import settings


def setting(name: str) -> str | None:
    """Return a setting: environment, then st.secrets, then default."""
    return settings.get(name, secrets=st.secrets)


def admin_password() -> str | None:
    """Return the admin password of the Données page, None when not configured."""
    return settings.admin_password(secrets=st.secrets)


def map_tiles() -> tuple[str | None, str]:
    """Return the optional tile URL template and its attribution."""
    return settings.map_tiles(secrets=st.secrets)
