"""The product's colours, one per verdict of the comparison rule, for every chart, card, map, slide and PDF."""

# ColorBrewer PuOr ends and neutrals: distinguishable with the common colour-vision deficiencies.
FAVOURABLE = "#2b6cb0"
UNFAVOURABLE = "#b35806"
NEUTRAL = "#5f6b7a"
REFERENCE = "#1a202c"
COMMUNE = "#7b3294"
MISSING = "#c4c9d0"
FONT = "Source Sans Pro, Arial, sans-serif"


JUDGEMENT_COLOUR = {"favourable": FAVOURABLE, "unfavourable": UNFAVOURABLE, "level": NEUTRAL, "descriptive": NEUTRAL,
                    "unknown": MISSING, "unreferenced": NEUTRAL}
JUDGEMENT_SYMBOL = {"favourable": "circle", "unfavourable": "diamond", "level": "square", "descriptive": "square",
                    "unknown": "x-thin", "unreferenced": "square-open"}
JUDGEMENT_LABEL = {
    "favourable": "plus favorable que l'agglomération",
    "unfavourable": "moins favorable que l'agglomération",
    "level": "au niveau de l'agglomération",
    "descriptive": "indicateur descriptif",
    "unknown": "non renseigné",
    "unreferenced": "sans valeur d'agglomération",
}
# Sequential, colour-blind safe, light for low values: viridis, reversed (maps by value, screen and print).
SEQUENTIAL = [[0.0, "#fde725"], [0.25, "#5ec962"], [0.5, "#21918c"], [0.75, "#3b528b"], [1.0, "#440154"]]
