"""Who may import: the admin password of the settings registry, typed on the Données page."""

import hmac

from qpv.settings import BY_NAME

SECRET_KEY = BY_NAME["admin_password"].name
ENV_VAR = BY_NAME["admin_password"].env
HOW_TO_ENABLE = f"""La page **Données** (import de nouveaux chiffres) est désactivée : aucun mot de passe
d'administration n'est configuré.

Pour l'activer, au choix :

1. copier `.streamlit/secrets.toml.example` en `.streamlit/secrets.toml` (fichier ignoré par git) et y
   remplacer la valeur de `{SECRET_KEY}` par un mot de passe long ;
2. ou définir la variable d'environnement `{ENV_VAR}` avant de lancer le tableau de bord.

Puis relancer le tableau de bord. Sans configuration, aucun import n'est possible depuis le navigateur ;
la ligne de commande (`python -m qpv import FICHIER`) reste disponible sur le serveur."""


def password_matches(given: str, secret: str) -> bool:
    """Compare a typed password with the secret in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))
