"""The floor of the page benchmarks: the smallest Streamlit app with the dashboard's interaction.

A page title and a sidebar select box, started exactly like the dashboard (same command, same folder,
same .streamlit/config.toml). No data, no chart: what Streamlit itself costs to load and to rerun.
"""

import streamlit as st

st.set_page_config(page_title="Plancher", layout="wide")
choice = st.sidebar.selectbox("Indicateur", ["Taux d'emploi des 15-64 ans", "Part des moins de 25 ans",
                                             "Revenu médian", "Part des logements sociaux", "Taux de pauvreté",
                                             "Part des familles monoparentales", "Demandeurs d'emploi",
                                             "Indice de position sociale des écoles"])
st.title("Plancher de mesure")
st.write(f"Indicateur choisi : {choice}.")
