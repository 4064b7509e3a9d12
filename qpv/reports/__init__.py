"""Static exports for steering committees: PDF fiche per QPV, PDF of the deck, print-resolution PNG charts.

Everything here renders offline with pip packages only (reportlab vector graphics, shapely, the DejaVu Sans
fonts, pypdfium2 for PNG): no browser, no network, no matplotlib.
"""
