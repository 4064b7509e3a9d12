"""Pure Plotly figure builders: data in, figure out, no Streamlit calls."""
