"""The product's colours, one per verdict of the comparison rule, for every chart, card, map, slide and PDF."""

from qpv.present.compare import VERDICTS

# ColorBrewer PuOr ends and neutrals: distinguishable with the common colour-vision deficiencies.
FAVOURABLE = "#2b6cb0"
UNFAVOURABLE = "#b35806"
NEUTRAL = "#5f6b7a"
REFERENCE = "#1a202c"
COMMUNE = "#7b3294"
MISSING = "#c4c9d0"
FONT = "Source Sans Pro, Arial, sans-serif"


JUDGEMENT_COLOUR = {"favourable": FAVOURABLE, "unfavourable": UNFAVOURABLE, "near": NEUTRAL, "descriptive": NEUTRAL,
                    "unknown": MISSING, "unreferenced": NEUTRAL}
JUDGEMENT_SYMBOL = {"favourable": "circle", "unfavourable": "diamond", "near": "square", "descriptive": "square",
                    "unknown": "x-thin", "unreferenced": "square-open"}
JUDGEMENT_LABEL = {code: verdict.legend for code, verdict in VERDICTS.items()}  # the words live in compare.py
# Sequential, colour-blind safe, light for low values: viridis, reversed (maps by value, screen and print).
SEQUENTIAL = [[0.0, "#fde725"], [0.25, "#5ec962"], [0.5, "#21918c"], [0.75, "#3b528b"], [1.0, "#440154"]]
