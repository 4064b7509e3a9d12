"""The floor of the page benchmarks: the smallest Streamlit app with the dashboard's interaction.

A page title and a sidebar select box, started exactly like the dashboard (same command, same folder,
same .streamlit/config.toml). No data, no chart: what Streamlit itself costs to load and to rerun.

Reference pages (bench_pages.py --references), from the address, never used by the floor itself:
- ?paragraphes=N adds N short paragraphs, one element each (a product page has 30 to 60 elements);
- ?graphique=basique adds one bar chart drawn by the dashboard's chart component (plotly.js basic),
  ?graphique=streamlit the same chart with st.plotly_chart. The bars change with the select box, so a
  rerun redraws the chart. Synthetic figures, labelled so. For these, bench_pages.py runs a copy of this
  file next to a link to the dashboard's static/ folder, where Streamlit finds plotly.js basic.
"""

import streamlit as st

st.set_page_config(page_title="Plancher", layout="wide")
CHOICES = ["Taux d'emploi des 15-64 ans", "Part des moins de 25 ans", "Revenu médian", "Part des logements sociaux",
           "Taux de pauvreté", "Part des familles monoparentales", "Demandeurs d'emploi",
           "Indice de position sociale des écoles"]
choice = st.sidebar.selectbox("Indicateur", CHOICES)
st.title("Plancher de mesure")
st.write(f"Indicateur choisi : {choice}.")

for number in range(int(st.query_params.get("paragraphes", 0))):
    st.markdown(f"Paragraphe {number + 1} : quelques mots à lire, **en gras** et *en italique*, comme une légende.")

if (kind := st.query_params.get("graphique")) in ("basique", "streamlit"):
    import plotly.graph_objects as go

    shift = CHOICES.index(choice)
    figure = go.Figure(go.Bar(x=[f"Quartier {n}" for n in range(1, 9)], y=[(n + shift) % 8 + 2 for n in range(8)]),
                       layout={"title": {"text": f"{choice} (chiffres synthétiques)"}, "height": 420})
    if kind == "streamlit":
        st.plotly_chart(figure, config={"displaylogo": False})
    else:
        from qpv.app.chart_component import plot
        from qpv.figures.style import screen_figure

        plot(screen_figure(figure), config={"displaylogo": False}, key="graphique")
