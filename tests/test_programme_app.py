"""AppTest runs of the Suivi des actions and TFPB et insertion pages, and the programme part of the Fiche quartier."""

import re

from tests.test_app import all_text, charts, reading_tables, run_page


def test_actions_page_shows_the_roadmap_and_a_fiche(store_env):
    app = run_page("app_pages/actions.py", {"quartier": "QN06211M"})
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="actions_qpv").value == "QN06211M"
    text = all_text(app)
    assert "La feuille de route de Le Centre" in text
    assert app.selectbox(key="actions_pick").value == "bruay_bruaysiens_charbon"  # the first action with a fiche
    assert "Le CCAS a mis en place ses ateliers et sa récolte de photos" in text
    assert "Charte GUSP CABBALR (2023), ligne 772" in text
    assert charts(app) == []  # the frise is HTML: the page loads no charting library
    assert "### Le Centre : actions GUSP par thématique et par année" in text
    frise = [str(e.proto.body) for e in app.get("html") if 'class="qpv-frise"' in str(e.proto.body)]
    assert len(frise) == 1 and 'aria-label="Le Centre : actions GUSP par thématique et par année"' in frise[0]
    assert frise[0].count('class="qpv-frise-action"') == 7  # every action of Le Centre


def test_filters_change_the_actions_shown(store_env):
    app = run_page("app_pages/actions.py", {"quartier": "QN06211M"}, tables=True)
    before = len(app.dataframe[0].value)
    app.multiselect(key="actions_status").set_value(["en cours"]).run()
    assert not app.exception
    after = app.dataframe[0].value
    assert list(after["Action"]) == ["Maison citoyenne"] and before == 7
    app.multiselect(key="actions_status").set_value([]).run()
    app.multiselect(key="actions_pilot").set_value(["CCAS"]).run()
    assert list(app.dataframe[0].value["Action"]) == ["Travail de mémoire - Bruaysiens au charbon"]


def test_opening_a_fiche_with_empty_fields_says_so(store_env):
    app = run_page("app_pages/actions.py", {"quartier": "QN06208M"})
    app.selectbox(key="actions_pick").set_value("bethune_foyer_feminin").run()
    text = all_text(app)
    assert not app.exception
    assert "GESTION TRANSITOIRE DU SITE « FOYER FEMININ »" in text
    assert text.count("non renseigné dans la fiche") >= 3  # calendrier, modalités, évaluation


def test_tfpb_page_says_no_amount_is_loaded_and_how_it_will_come(store_env):
    app = run_page("app_pages/tfpb.py", tables=True)
    assert not app.exception, [e.value for e in app.exception]
    infos = " ".join(i.value for i in app.info)
    assert "Aucun montant TFPB n'est encore chargé" in infos and "Aucune heure d'insertion" in infos
    assert "--suivi tfpb" in all_text(app) and "prochain lot" not in all_text(app)
    axes = reading_tables(app)["Les 8 axes du cadre national"]  # a table to read, not a grid
    assert "Surveillance [libellé altéré à l'extraction]" in axes["Libellé"].tolist()
    assert set(axes["Prévu"]) == {"non renseigné"}  # no amount is invented where the extraction lost them


def test_fiche_shows_actions_under_way_and_objectives(store_env):
    app = run_page("app_pages/fiche.py", {"quartier": "QN06211M"})
    assert not app.exception
    text = all_text(app)
    assert "Les actions GUSP et leur statut" in text and "**en cours** — Maison citoyenne" in text
    assert "40,7\u00a0%" in text  # the figures against the agglomeration stay on the same screen
    labels = [re.sub(r"\\([^\w\s])", r"\1", e.label) for e in app.expander]  # as read: escapes removed
    assert any(label.startswith("Enjeu 2 — [intitulé perdu à l'extraction]") for label in labels)
    first = next(label for label in labels if "ATTENTIFS" in label)
    assert first.startswith("ENJEU 1 : DES QUARTIERS") and first.lower().count("enjeu 1") == 1


def test_the_charter_texts_are_sent_once_their_expander_is_opened(store_env):
    app = run_page("app_pages/actions.py", {"quartier": "QN06211M"})
    closed = all_text(app)
    assert "ligne 461 et suivantes" not in closed and "n'en liste que 6" not in closed
    for key in ("actions_themes", "actions_partners", "actions_notes"):
        app.session_state[key] = True
    text = all_text(app.run())
    assert not app.exception
    assert "Source : Charte GUSP CABBALR (2023), ligne 461 et suivantes" in text  # a thematic fiche, cited
    assert "n'en liste que 6 (lignes 319 à 350)" in text  # a reading note
    assert len(text) - len(closed) > 20_000  # the charter's texts: sent only now


def test_the_fiche_sends_quotes_and_objectives_once_their_expander_is_opened(store_env):
    app = run_page("app_pages/fiche.py", {"quartier": "QN06211M"})
    closed = all_text(app)
    assert "Difficultés liées à la précarité du niveau de vie" in closed  # the irritants are open at first
    assert "L'étendue du périmètre du quartier prioritaire du Centre" not in markdown_unescaped(closed)
    assert "(2024), lignes " not in markdown_unescaped(closed)  # no enjeu's objectives while all are closed
    app.session_state["fiche_opportunites"] = True
    app.session_state["objectives_0"] = True
    app.session_state["fiche_irritants"] = False
    text = markdown_unescaped(all_text(app.run()))
    assert not app.exception
    assert "L'étendue du périmètre du quartier prioritaire du Centre" in text
    assert "Difficultés liées à la précarité du niveau de vie" not in text  # closed by the reader: not sent
    assert "(2024), lignes " in text  # the first enjeu's objectives, with the lines they come from


def markdown_unescaped(text: str) -> str:
    """Remove markdown escapes, to read a text as it shows."""
    return re.sub(r"\\([^\w\s])", r"\1", text)
