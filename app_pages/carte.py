"""Carte: placeholder until the map builder lands."""

import streamlit as st

from qpv.ui import page_header

page_header("Carte des quartiers", st.session_state["selection"])
