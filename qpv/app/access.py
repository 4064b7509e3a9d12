"""Who may import: the admin password of the settings registry, typed on the Données page, with guesses slowed down."""

import hmac
import math
import threading
import time

from qpv.settings import BY_NAME

SECRET_KEY = BY_NAME["admin_password"].name
ENV_VAR = BY_NAME["admin_password"].env
MAX_DELAY = 60.0  # seconds between two attempts once many have failed
HOW_TO_ENABLE = f"""La page **Données** (import de nouveaux chiffres) est désactivée : aucun mot de passe
d'administration n'est configuré.

Pour l'activer, au choix :

1. copier `.streamlit/secrets.toml.example` en `.streamlit/secrets.toml` (fichier ignoré par git) et y
   remplacer la valeur de `{SECRET_KEY}` par un mot de passe long ;
2. ou définir la variable d'environnement `{ENV_VAR}` avant de lancer le tableau de bord.

Puis relancer le tableau de bord. Sans configuration, aucun import n'est possible depuis le navigateur ;
la ligne de commande (`python -m qpv import FICHIER`) reste disponible sur le serveur."""


def password_matches(given: str, secret: str) -> bool:
    """Compare a typed password with the secret in constant time; anything but text never matches."""
    if not isinstance(given, str) or not isinstance(secret, str):
        return False
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


class Throttle:
    """Slow down password guessing for the whole server: after each wrong password the next one must wait.

    The wait doubles with each failure (1 s, 2 s, 4 s… up to a minute) and is shared by every session, since
    opening a new session costs an attacker nothing; a right password resets it.
    """

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.failures = 0
        self.allowed_at = 0.0
        self.lock = threading.Lock()

    def wait(self) -> float:
        """Return the seconds to wait before the next attempt is checked (0 when it may be)."""
        with self.lock:
            return max(0.0, self.allowed_at - self.clock())

    def failed(self) -> None:
        """Count a wrong password and push the next attempt back."""
        with self.lock:
            self.failures += 1
            self.allowed_at = self.clock() + min(2.0 ** (self.failures - 1), MAX_DELAY)

    def succeeded(self) -> None:
        """Forget the failures after a right password."""
        with self.lock:
            self.failures, self.allowed_at = 0, 0.0


THROTTLE = Throttle()


def check_password(typed, secret: str, throttle: Throttle | None = None) -> tuple[bool, str | None]:
    """Check a typed password; return (accepted, French message to show when refused)."""
    throttle = throttle or THROTTLE
    if typed is None or typed == "":
        return False, None
    if not isinstance(typed, str):
        return False, "Saisie invalide : taper le mot de passe au clavier."
    wait = throttle.wait()
    if wait > 0:
        return False, f"Trop d'essais : attendre {math.ceil(wait)} s avant de proposer un autre mot de passe."
    if password_matches(typed, secret):
        throttle.succeeded()
        return True, None
    throttle.failed()
    return False, "Mot de passe incorrect."
