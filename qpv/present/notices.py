"""Plain-French notices shared by pages, slides and exports: what is missing and how to fill the gap."""

QPV_CONTOURS_FILE = "qpv2024_france.geojson"
ANCT_DATASET = "« Quartiers prioritaires de la politique de la ville (QPV) » de l'ANCT sur data.gouv.fr"


def missing_contours(scope: str = "la base") -> str:
    """Say that no QPV contour is loaded, where to get the official file and the one command that loads it."""
    return (f"Les contours des quartiers ne sont pas chargés dans {scope} : la carte ne peut pas être dessinée. "
            f"Téléchargez le fichier officiel des QPV 2024 ({ANCT_DATASET} : GeoJSON, GeoPackage ou Shapefile "
            "zippé), puis chargez-le sur le serveur avec la commande `python -m qpv import-geo FICHIER`. "
            f"Un dossier déjà prêt (un fichier {QPV_CONTOURS_FILE}) peut aussi être indiqué par la variable "
            "`QPV_GEO_DIR`. Les chiffres, les comparaisons et les fiches restent disponibles sans carte.")


def territory_without_contours(territory: str) -> str:
    """Say that the store has contours, but none for this territory."""
    return (f"Aucun contour de quartier n'est chargé pour {territory} : la carte ne peut pas être dessinée. "
            "Le fichier de contours en place ne couvre pas ce territoire ; chargez le fichier officiel de l'ANCT "
            "avec `python -m qpv import-geo FICHIER`.")
