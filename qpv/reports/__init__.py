"""Static exports for steering committees: PDF fiche per QPV, PDF of the deck, print-resolution PNG charts.

Everything here renders offline with pip packages only (reportlab, matplotlib and its bundled
DejaVu fonts, shapely): no browser, no network.
"""
