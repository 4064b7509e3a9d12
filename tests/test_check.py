"""python -m qpv check: the shipped files pass, each broken file is rejected with a precise French message."""

import shutil

import pytest

from qpv.cli import main
from tests.conftest import FIXTURES

BROKEN = FIXTURES / "broken"
CASES = [
    ("proportion_au_lieu_de_pourcentage.csv", 2, "value", "En pourcentage, écrire 40,7 et non 0,407"),
    ("territoire_inconnu.csv", 2, "territory_code", "territoire « QN06299M » inconnu. Codes proches : QN062"),
    ("indicateur_inconnu.csv", 2, "indicator_id",
     "indicateur « taux_emploie » inconnu. Codes proches : taux_emploi_15_64"),
    ("unite_incorrecte.csv", 2, "unit", "unité « ratio » différente de celle de l'indicateur taux_emploi_15_64 (%)"),
    ("part_hors_plage.csv", 2, "value", "112,5 hors de la plage plausible de part_parc_social (0 à 100)"),
    ("ips_implausible.csv", 2, "value", "12 hors de la plage plausible de ips_ecoles (40 à 180)"),
    ("doublon.csv", 3, None, "doublon de data/observations/doublon.csv, ligne 2"),
    ("valeurs_contradictoires.csv", 3, "value",
     "valeur contradictoire avec data/observations/valeurs_contradictoires.csv, ligne 2 (41,3 contre 43)"),
    ("source_manquante.csv", 2, "source_id", "source manquante"),
    ("valeur_non_numerique.csv", 2, "value", "« abc » n'est pas un nombre"),
    ("secret_avec_valeur.csv", 2, "value", "une valeur est donnée alors que le statut est « secret »"),
    ("colonnes_manquantes.csv", 1, "period", "colonnes manquantes : period, breakdown"),
    ("fichier_vide.csv", None, None, "le fichier est vide"),
    ("encodage_latin1.csv", 2, None, "n'est pas encodé en UTF-8"),
    ("ventilation_inconnue.csv", 2, "category", "ventilation « sexe / autres » inconnue"),
    # The shipped file sorts after this one: the conflict is reported on the shipped row, naming this one.
    ("conflit_avec_donnees_livrees.csv", None, None,
     "cv_bruay_2024.csv, ligne 30, colonne « value » : valeur contradictoire avec "
     "data/observations/conflit_avec_donnees_livrees.csv, ligne 3 (99 contre 41,3)"),
]


def expected_location(name: str, line: int | None, column: str | None) -> str:
    """Render where the message must point, as the CLI prints it."""
    parts = [f"observations/{name}"]
    if line is not None:
        parts.append(f"ligne {line}")
    if column:
        parts.append(f"colonne « {column} »")
    return ", ".join(parts)


def test_shipped_files_pass(capsys):
    assert main(["check"]) == 0
    assert "Fichiers valides : 52 observations" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "line", "column", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_is_rejected_with_its_place(data_dir, capsys, name, line, column, message):
    shutil.copy(BROKEN / name, data_dir / "observations" / name)
    assert main(["--data-dir", str(data_dir), "check"]) == 1
    errors = capsys.readouterr().err
    assert expected_location(name, line, column) in errors
    assert message in errors
    assert "aucune donnée n'a été écrite" in errors


def test_every_problem_is_reported_not_only_the_first(data_dir, capsys):
    for name in ("territoire_inconnu.csv", "unite_incorrecte.csv", "part_hors_plage.csv"):
        shutil.copy(BROKEN / name, data_dir / "observations" / name)
    assert main(["--data-dir", str(data_dir), "check"]) == 1
    assert "3 erreurs" in capsys.readouterr().err


def test_check_writes_nothing(data_dir):
    shutil.copy(BROKEN / "doublon.csv", data_dir / "observations" / "doublon.csv")
    before = sorted(p.name for p in data_dir.rglob("*"))
    main(["--data-dir", str(data_dir), "check"])
    assert sorted(p.name for p in data_dir.rglob("*")) == before


def test_broken_catalogue_is_reported(data_dir, capsys):
    path = data_dir / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",%,", ",pourcent,", 1), encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "check"]) == 1
    assert "indicators.csv, ligne 2, colonne « unit » : unité « pourcent » inconnue" in capsys.readouterr().err
