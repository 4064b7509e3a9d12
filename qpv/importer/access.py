"""Who may import: an admin password set in Streamlit secrets or the environment, then typed on the page."""

import hmac
import os
from collections.abc import Mapping

SECRET_KEY = "admin_password"
ENV_VAR = "QPV_ADMIN_PASSWORD"
PLACEHOLDER = "remplacer-par-un-mot-de-passe-long"  # the value shipped in .streamlit/secrets.toml.example
HOW_TO_ENABLE = f"""La page **Données** (import de nouveaux chiffres) est désactivée : aucun mot de passe
d'administration n'est configuré.

Pour l'activer, au choix :

1. copier `.streamlit/secrets.toml.example` en `.streamlit/secrets.toml` (fichier ignoré par git) et y
   remplacer la valeur de `{SECRET_KEY}` par un mot de passe long ;
2. ou définir la variable d'environnement `{ENV_VAR}` avant de lancer le tableau de bord.

Puis relancer le tableau de bord. Sans configuration, aucun import n'est possible depuis le navigateur ;
la ligne de commande (`python -m qpv import FICHIER`) reste disponible sur le serveur."""


def configured_secret(secrets: Mapping | None, environ: Mapping[str, str] | None = None) -> str | None:
    """Return the admin password from the secrets, else the environment; None when unset or left as shipped."""
    environ = os.environ if environ is None else environ
    try:
        value = secrets.get(SECRET_KEY) if secrets is not None else None
    except (FileNotFoundError, KeyError):  # Streamlit raises when there is no secrets.toml
        value = None
    value = value or environ.get(ENV_VAR)
    return str(value) if value and str(value) != PLACEHOLDER else None


def password_matches(given: str, secret: str) -> bool:
    """Compare a typed password with the secret in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))
