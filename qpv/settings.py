"""The one settings registry: every deployment setting, its environment variable, its secret key and its default.

Precedence, the same for the dashboard and the command line: the environment variable (when
set and not empty), then the key of ``.streamlit/secrets.toml``, then the default. The README
documents every setting of ``SETTINGS`` (a meta-test checks it).
"""

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECRETS_FILE = REPO / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Setting:
    """One setting: its name (key of secrets.toml), environment variable, default and French description."""

    name: str
    env: str
    default: str | None
    description: str


SETTINGS = (
    Setting("data_dir", "QPV_DATA_DIR", str(REPO / "data"),
            "dossier des fichiers sources (catalogue, chiffres, imports) ; défaut : data/"),
    Setting("database", "QPV_DATABASE", None,
            "fichier DuckDB de la base ; défaut : qpv.duckdb dans le dossier des données"),
    Setting("geo_dir", "QPV_GEO_DIR", None,
            "dossier des contours ; défaut : data/geo/ puis ../shared/geo/, fichier par fichier"),
    Setting("admin_password", "QPV_ADMIN_PASSWORD", None,
            "mot de passe de la page Données (imports) ; sans lui, la page est désactivée"),
    Setting("map_tiles", "QPV_MAP_TILES", None,
            "modèle d'adresse de tuiles …/{z}/{x}/{y}.png ; sans lui, la carte n'a aucun fond distant"),
    Setting("map_tiles_attribution", "QPV_MAP_TILES_ATTRIBUTION", "",
            "mention des tuiles (droits), affichée sur la carte"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}
PLACEHOLDER = "remplacer-par-un-mot-de-passe-long"  # the value shipped in .streamlit/secrets.toml.example


@lru_cache(maxsize=4)
def _secrets_file(path: Path, stamp: tuple[int, int]) -> dict:
    """Read secrets.toml once per version of the file; an unreadable file counts as empty."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def file_secrets(path: Path = SECRETS_FILE) -> Mapping:
    """Return the keys of .streamlit/secrets.toml, empty when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _secrets_file(path, (stat.st_ino, stat.st_mtime_ns))


def get(name: str, *, secrets: Mapping | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """Return a setting: environment, then secrets, then default; None when unset."""
    setting = BY_NAME[name]
    environ = os.environ if environ is None else environ
    value = environ.get(setting.env)
    if value:
        return value
    secrets = file_secrets() if secrets is None else secrets
    try:
        value = secrets.get(name)
    except Exception:  # noqa: BLE001 (a broken secrets source counts as absent)
        value = None
    if value is not None and str(value) != "":
        return str(value)
    return setting.default


def admin_password(**sources) -> str | None:
    """Return the admin password, None when unset or left as shipped in the example file."""
    value = get("admin_password", **sources)
    return value if value and value != PLACEHOLDER else None


def map_tiles(**sources) -> tuple[str | None, str]:
    """Return the optional raster tile URL template ({z}/{x}/{y}) and its attribution; off by default."""
    return get("map_tiles", **sources), get("map_tiles_attribution", **sources) or ""
