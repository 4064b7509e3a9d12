"""Every kind of rejected upload gets a French message at the right file, line and column; nothing is written."""

import shutil

import pytest

from qpv.importer.files import MAX_BYTES
from qpv.importer.preview import ImportOptions, prepare
from qpv.store.errors import DataError
from tests.importing import SOURCE, options, save_test_mapping, tree, xlsx

TIDY = "territory_code,indicator_id,period,value\n"
WITH_UNIT = "territory_code,indicator_id,period,value,unit\n"
WITH_STATUS = "territory_code,indicator_id,period,value,status\n"
WIDE = "CODGEO;LIBGEO;TX_EMP\n"

# name: (file name, content, options, expected location, expected message)
CASES = {
    "territoire_inconnu": ("f.csv", TIDY + "QN06299M,taux_emploi_15_64,2025,42\n", {},
                           "f.csv, ligne 2, colonne « territory_code »",
                           "territoire « QN06299M » inconnu. Codes proches : QN062"),
    "indicateur_inconnu": ("f.csv", TIDY + "QN06211M,taux_emploie,2025,42\n", {},
                           "f.csv, ligne 2, colonne « indicator_id »",
                           "indicateur « taux_emploie » inconnu. Codes proches : taux_emploi_15_64"),
    "unite_incorrecte": ("f.csv", WITH_UNIT + "QN06211M,taux_emploi_15_64,2025,42,ratio\n", {},
                         "f.csv, ligne 2, colonne « unit »",
                         "unité « ratio » différente de celle de l'indicateur taux_emploi_15_64 (%)"),
    "proportion_au_lieu_de_pourcentage": ("f.csv", TIDY + 'QN06211M,taux_emploi_15_64,2025,"0,407"\n', {},
                                          "f.csv, ligne 2, colonne « value »",
                                          "En pourcentage, écrire 40,7 et non 0,407"),
    "hors_plage": ("f.csv", TIDY + "QN06211M,revenu_median,2025,999999\n", {}, "f.csv, ligne 2, colonne « value »",
                   "999999 hors de la plage plausible de revenu_median (1000 à 80000)"),
    "doublon": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,42\n" * 2, {}, "f.csv, ligne 3",
                "doublon de f.csv, ligne 2."),
    "contradiction": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,42\nQN06211M,taux_emploi_15_64,2025,43\n", {},
                      "f.csv, ligne 3, colonne « value »", "valeur contradictoire avec f.csv, ligne 2 (42 contre 43)"),
    "pas_un_nombre": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,beaucoup\n", {},
                      "f.csv, ligne 2, colonne « value »",
                      "« beaucoup » n'est ni un nombre ni une marque de valeur manquante (s ou secret"),
    "secret_avec_valeur": ("f.csv", WITH_STATUS + "QN06211M,taux_emploi_15_64,2025,42,secret\n", {},
                           "f.csv, ligne 2, colonne « value »",
                           "une valeur est donnée alors que le statut est « secret »"),
    "publie_sans_valeur": ("f.csv", WITH_STATUS + "QN06211M,taux_emploi_15_64,2025,nd,publie\n", {},
                           "f.csv, ligne 2, colonne « value »",
                           "« nd » marque une valeur manquante alors que le statut est « publie »"),
    "periode_invalide": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,25,42\n", {},
                         "f.csv, ligne 2, colonne « period »", "période « 25 » invalide"),
    "ligne_tronquee": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025\n", {}, "f.csv, ligne 2",
                       "ligne incomplète : 3 cellules au lieu de 4 (fichier tronqué ?)"),
    "trop_de_cellules": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,42,x\n", {}, "f.csv, ligne 2",
                         "trop de cellules sur la ligne (5 au lieu de 4)"),
    "colonnes_manquantes": ("f.csv", "CODGEO,TX_EMP\n62178,42\n", {}, "f.csv, ligne 1, colonne « territory_code »",
                            "colonnes manquantes : territory_code, indicator_id, period, value"),
    "sans_source": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,42\n", {"source": None}, "f.csv :",
                    "1 ligne(s) sans source_id : déclarer la source du fichier"),
    "source_incomplete": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,42\n", {"source": "titre seul"}, "f.csv :",
                          "source déclarée : éditeur obligatoire."),
    "large_sans_source": ("w.csv", WIDE + "62178;Bruay;42\n", {"mapping": "test", "source": None}, "w.csv :",
                          "un fichier large ne cite pas sa source ligne à ligne"),
    "large_territoire_inconnu": ("w.csv", WIDE + "62179;Bruay;42\n", {"mapping": "test"},
                                 "w.csv, ligne 2, colonne « CODGEO »", "territoire « 62179 » inconnu"),
    "large_cellule_invalide": ("w.csv", WIDE + "62178;Bruay;42\n200072460;CA;4x2\n", {"mapping": "test"},
                               "w.csv, ligne 3, colonne « TX_EMP »", "« 4x2 » n'est ni un nombre"),
    "large_proportion": ("w.csv", WIDE + "62178;Bruay;0,42\n", {"mapping": "test"},
                         "w.csv, ligne 2, colonne « TX_EMP »", "En pourcentage, écrire 42 et non 0,42"),
    "correspondance_indicateur_inconnu": ("w.csv", WIDE + "62178;Bruay;42\n", {"mapping": "faux-indicateur"},
                                          "w.csv, ligne 1, colonne « TX_EMP »",
                                          "correspondance « faux-indicateur » : indicateur « taux_emploie » inconnu"),
    "correspondance_colonne_absente": ("w.csv", "CODGEO;LIBGEO;AUTRE\n62178;Bruay;42\n", {"mapping": "test"},
                                       "w.csv, ligne 1, colonne « TX_EMP »",
                                       "correspondance « test » : colonne absente du fichier"),
    "correspondance_inconnue": ("w.csv", WIDE + "62178;Bruay;42\n", {"mapping": "nulle-part"},
                                "data/mappings/nulle-part.json :", "correspondance inconnue"),
    "fichier_vide": ("f.csv", "", {}, "f.csv :", "le fichier est vide (0 octet) : rien à importer."),
    "en_tete_seul": ("f.csv", TIDY, {}, "f.csv, ligne 1 :", "aucune ligne de données sous l'en-tête"),
    "lignes_a_ignorer_de_trop": ("f.csv", TIDY + "QN06211M,taux_emploi_15_64,2025,42\n", {"skip_rows": 9}, "f.csv :",
                                 "aucune ligne d'en-tête après les 9 lignes ignorées"),
    "xls_ancien": ("vieux.xls", "\u00d0\u00cf\u0011\u00e0 binaire", {}, "vieux.xls :", "Excel 97-2003 (.xls)"),
    "xlsx_feuille_absente": ("c.xlsx", xlsx([["territory_code"]]), {"sheet": "Autre"}, "c.xlsx :",
                             "feuille « Autre » absente (feuilles : Données)"),
    "xlsx_abime": ("c.xlsx", xlsx([["territory_code"]])[:300], {}, "c.xlsx :", "classeur XLSX illisible"),
    "octets_nuls": ("f.csv", "\x00\x01\x02", {}, "f.csv :", "octets nuls"),
}


@pytest.fixture
def data(data_dir, store, monkeypatch):
    """A private data folder with its store (a copy of the session's) and the mappings the wide cases use."""
    shutil.copy(store, data_dir / "qpv.duckdb")
    monkeypatch.setenv("QPV_DATABASE", str(data_dir / "qpv.duckdb"))
    save_test_mapping(data_dir, "test", {"TX_EMP": ("taux_emploi_15_64", "%", "2025", "1")})
    save_test_mapping(data_dir, "faux-indicateur", {"TX_EMP": ("taux_emploie", "%", "2025", "1")})
    return data_dir


def _options(extra: dict) -> ImportOptions:
    """Turn a case's options into ImportOptions (source None: not declared; a text: title only)."""
    extra = dict(extra)
    if "source" in extra and extra["source"] is None:
        return ImportOptions(**{k: v for k, v in extra.items() if k != "source"})
    if isinstance(extra.get("source"), str):
        return options(**extra | {"source": type(SOURCE)(title=extra["source"])})
    return options(**extra)


@pytest.mark.parametrize("case", list(CASES))
def test_rejected_upload_says_where_and_why(data, case):
    name, content, extra, where, message = CASES[case]
    raw = content if isinstance(content, bytes) else content.encode("latin-1" if case == "xls_ancien" else "utf-8")
    before = tree(data)
    with pytest.raises(DataError) as caught:
        prepare(raw, name, _options(extra), data)
    rendered = [str(p) for p in caught.value.problems]
    assert any(r.startswith(where) and message in r for r in rendered), rendered
    assert tree(data) == before


def test_every_problem_is_reported_at_once(data):
    content = (TIDY + "QN06299M,taux_emploi_15_64,2025,42\n"
               "QN06211M,taux_emploi_15_64,2025,0.407\n"
               "QN06211M,revenu_median,2025,beaucoup\n").encode()
    with pytest.raises(DataError) as caught:
        prepare(content, "f.csv", options(), data)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "territory_code"), (3, "value"), (4, "value")]


def test_oversized_upload_is_refused_before_reading(data):
    with pytest.raises(DataError, match="au-delà de la limite de 20 Mo"):
        prepare(b"x" * (MAX_BYTES + 1), "gros.csv", options(), data)


def test_proportions_within_range_are_flagged(data):
    content = (TIDY + "QN06211M,part_parc_social,2025,0.8\nQN06212M,part_parc_social,2025,0.9\n").encode()
    preview = prepare(content, "f.csv", options(), data)
    assert "les 2 valeurs de part_parc_social sont toutes entre 0 et 1" in str(preview.warnings[0])


def test_unknown_territories_may_be_skipped_and_are_counted(data):
    content = (WIDE + "62178;Bruay;42\n01001;Ailleurs;50\n").encode()
    preview = prepare(content, "w.csv", options(mapping="test", skip_unknown=True), data)
    assert preview.counts() == {"rows": 1, "new": 1, "changed": 0, "unchanged": 0, "ignored": 1}
