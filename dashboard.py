"""Router of the dashboard: page config, shared sidebar selection, explicit navigation."""

from pathlib import Path

import streamlit as st

from qpv.app.selection import sidebar_selection
from qpv.app.ui import install_css

# A local file: Streamlit fetches a ":material/…:" page icon from outside the machine.
ICON = Path(__file__).parent / "qpv" / "app" / "assets" / "icon.svg"
st.set_page_config(page_title="Observatoire des quartiers", page_icon=str(ICON), layout="wide",
                   initial_sidebar_state="auto")

PAGES = [
    st.Page("app_pages/carte.py", title="Carte", icon=":material/map:", default=True),
    st.Page("app_pages/comparer.py", title="Comparer", icon=":material/compare_arrows:"),
    st.Page("app_pages/fiche.py", title="Fiche quartier", icon=":material/description:"),
    st.Page("app_pages/actions.py", title="Suivi des actions", icon=":material/event_note:"),
    st.Page("app_pages/tfpb.py", title="TFPB et insertion", icon=":material/account_balance:"),
    st.Page("app_pages/sources.py", title="Sources et définitions", icon=":material/menu_book:"),
    st.Page("app_pages/presentation.py", title="Présentation", icon=":material/slideshow:"),
    st.Page("app_pages/donnees.py", title="Données", icon=":material/upload_file:"),
    st.Page("app_pages/accessibilite.py", title="Accessibilité", icon=":material/accessibility:"),
]

navigation = st.navigation(PAGES)
install_css()
st.sidebar.markdown("### Observatoire des quartiers")
st.session_state["selection"] = sidebar_selection()
st.sidebar.caption("Le lien de la page reprend cette sélection : copiez-le pour la partager.")
navigation.run()
