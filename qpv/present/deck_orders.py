"""The orders a deck's slides can follow: plain data, light enough for the command line's argument parser."""

ORDERS = {"quartiers": "Quartiers d'abord", "indicateurs": "Indicateurs d'abord", "carte": "Carte d'abord"}
DEFAULT_ORDER = "quartiers"
