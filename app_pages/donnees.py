"""Données: import new figures with a preview, list the imports in force and undo them (admins only)."""

import hashlib
import json
import logging
import math
from dataclasses import asdict

import pandas as pd
import streamlit as st

from qpv.app.access import HOW_TO_ENABLE, check_password
from qpv.app.config import admin_password
from qpv.app.db import run_query, store_version
from qpv.app.followup_ui import followup_options, kind_choice, show_rows
from qpv.importer.commit import STALE_PREVIEW, commit, preview_file, undo_import, undone_imports
from qpv.importer.files import MAX_BYTES, read_table
from qpv.importer.followup import FollowupPreview
from qpv.importer.mapping import Mapping, mapping_from_rows, mapping_names, save_mapping, territory_column
from qpv.importer.preview import DeclaredSource, ImportOptions, Preview
from qpv.importer.report import (
    SHAPE_LABELS,
    changes_frame,
    counts_text,
    describe,
    followup_frame,
    problems_frame,
    summary,
)
from qpv.present.text import markdown_text
from qpv.store.errors import DataError, Problem
from qpv.store.followup_kinds import KIND_BY_CODE
from qpv.store.paths import data_dir, database_path
from qpv.store.writer import drain_recoveries, recoveries

NEW_MAPPING = "Nouvelle correspondance…"
SHAPES = {"tidy": "Long : les colonnes de l'export (territory_code, indicator_id, period, value…)",
          "wide": "Large : une ligne par territoire (CODGEO ou code_qp), une colonne par indicateur"}
log = logging.getLogger("qpv.app")
MACHINE = ("Écriture impossible : disque plein, droits d'accès insuffisants ou dossier de données en lecture seule. "
           "Rien n'a été modifié ; le détail technique est dans le journal du serveur.")
HISTORY_COLUMNS = {"import_id": "Import", "imported_at": "Date (UTC)", "imported_by": "Par", "file_name": "Fichier",
                   "new_count": "Nouvelles", "changed_count": "Modifiées", "unchanged_count": "Inchangées",
                   "source_title": "Source déclarée", "observation_count": "Chiffres citant la source"}


def flash(kind: str, text: str) -> None:
    """Keep a message to show after the next rerun."""
    st.session_state["donnees_flash"] = (kind, text)


def show_flash() -> None:
    """Show, once, the message left by the last action."""
    kind, text = st.session_state.pop("donnees_flash", (None, None))
    if kind:
        getattr(st, kind)(text)


def show_problems(problems: list[Problem]) -> None:
    """List every problem with its file, line and column."""
    st.error(f"{len(problems)} problème(s) : rien n'est écrit tant qu'ils ne sont pas corrigés.")
    st.dataframe(problems_frame(problems), hide_index=True)


def attempt(action, *args, **kwargs) -> tuple[object, list[Problem]]:
    """Run a write; return its result, or the problems to show (a machine error, logged, in one French sentence)."""
    try:
        return action(*args, **kwargs), []
    except DataError as error:
        return None, error.problems
    except (OSError, MemoryError) as error:
        log.error("écriture impossible", exc_info=error)
    except Exception as error:  # noqa: BLE001 (DuckDB reports a full disk as its own IOException)
        if "IOException" not in type(error).__name__ and "Permission" not in type(error).__name__:
            raise
        log.error("écriture impossible", exc_info=error)
    return None, [Problem("serveur", None, None, MACHINE)]


def write_safely(action, *args, **kwargs):
    """Run a write and show its problems; None when it failed."""
    result, problems = attempt(action, *args, **kwargs)
    if problems:
        show_problems(problems)
        return None
    return result


def commit_shown(admin: str) -> None:
    """Commit the preview shown in the last run, the one the admin read (never one computed since)."""
    preview = st.session_state.get("donnees_shown")
    if preview is None:
        return
    _, problems = attempt(commit, preview, admin, data_dir(), database_path())
    if [p.message for p in problems] == [STALE_PREVIEW]:
        st.session_state["donnees_stale"] = True
        return
    if problems:
        st.session_state["donnees_failed"] = problems
        return
    st.session_state["donnees_round"] = st.session_state.get("donnees_round", 0) + 1
    st.session_state.pop("donnees_check", None)
    st.session_state.pop("donnees_shown", None)
    flash("success", f"Import {preview.import_id} enregistré : {summary(preview)} La base a été mise à jour.")


def gate() -> None:
    """Stop the page unless an admin password is configured and has been typed (guesses are slowed down)."""
    secret = admin_password()
    if secret is None:
        st.info(HOW_TO_ENABLE, icon="🔒")
        st.stop()
    if st.session_state.get("donnees_admin") is True:
        return
    typed = st.text_input("Mot de passe d'administration", type="password", key="donnees_password")
    accepted, message = check_password(typed, secret)
    if accepted:
        st.session_state["donnees_admin"] = True
        st.session_state.pop("donnees_password", None)
        st.rerun()
    if message:
        st.error(message)
    st.stop()


def check(content: bytes, name: str, options: ImportOptions, kind: str | None) -> tuple[Preview | None, list[Problem]]:
    """Preview a file against the store in force, once per file, kind, options and store version."""
    key = (hashlib.sha256(content).hexdigest(), name, kind, json.dumps(asdict(options)), store_version())
    kept = st.session_state.get("donnees_check")
    if kept and kept[0] == key:
        return kept[1]
    with st.spinner("Vérification du fichier…"):
        result = attempt(preview_file, content, name, options, data_dir(), database_path(), kind)
    st.session_state["donnees_check"] = (key, result)
    return result


def source_fields(expanded: bool) -> DeclaredSource:
    """Ask for the document the figures come from."""
    title = "Source déclarée (obligatoire pour un fichier large ou sans colonne source_id)"
    with st.expander(title, expanded=expanded):
        left, right = st.columns(2)
        return DeclaredSource(
            title=left.text_input("Titre du document"), short_title=right.text_input("Titre court (graphiques)"),
            publisher=left.text_input("Éditeur (INSEE, France Travail…)"),
            published=right.text_input("Date de publication (AAAA-MM-JJ)"),
            licence=left.text_input("Licence (Licence Ouverte 2.0…)"),
        )


def mapping_editor(content: bytes, name: str, sheet: str | None, skip_rows: int | None) -> None:
    """Describe the columns of a wide file once and save the mapping by name."""
    try:
        table = read_table(content, name, sheet=sheet, skip_rows=skip_rows or 0)
    except DataError as error:
        show_problems(error.problems)
        return
    catalog = run_query("indicator_catalog")
    guess = territory_column(Mapping(name="", columns={}), table.header)
    header = [c for c in table.header if c]
    code = st.selectbox("Colonne des codes territoire", header, index=header.index(guess) if guess else 0)
    rows = pd.DataFrame([{"column": c, "indicator": None, "unit": None, "period": "", "breakdown": "",
                          "category": "", "scale": "1"} for c in header if c != code])
    edited = st.data_editor(rows, hide_index=True, disabled=["column"], key=f"mapping_{name}", column_config={
        "column": "Colonne du fichier",
        "indicator": st.column_config.SelectboxColumn("Indicateur", options=catalog["indicator_id"].tolist()),
        "unit": st.column_config.SelectboxColumn("Unité (vide : celle de l'indicateur)",
                                                 options=run_query("vocabulary", vocabulary="units")["code"].tolist()),
        "period": "Période (2024 ou 2023-2024)", "breakdown": "Ventilation (facultatif)",
        "category": "Catégorie (facultatif)", "scale": "Échelle (100 pour des proportions)",
    })
    label = st.text_input("Nom de la correspondance (minuscules, chiffres, - et _)")
    if st.button("Enregistrer la correspondance"):
        units = dict(zip(catalog["indicator_id"], catalog["unit"], strict=True))
        try:
            mapping = mapping_from_rows(label, edited.to_dict("records"), units, territory_column=code,
                                        sheet=sheet, skip_rows=skip_rows or 0)
            path = save_mapping(data_dir(), mapping)
        except DataError as error:
            show_problems(error.problems)
            return
        flash("success", f"Correspondance « {label} » enregistrée ({path.name}) : la choisir dans la liste.")
        st.rerun()


def whole_rows(value) -> int | None:
    """Read the number of title rows from its widget: None when empty; refuse anything but 0 to 1000."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value != int(value) or not 0 <= value <= 1000:
        raise DataError([Problem("formulaire", None, "Lignes de titre", "nombre entier de 0 à 1000 attendu.")])
    return int(value)


def options_for(upload) -> ImportOptions | None:
    """Ask how to read the file; None while a new mapping is being described."""
    shape = st.radio("Forme du fichier", list(SHAPES), format_func=SHAPES.get)
    left, middle = st.columns(2)
    sheet = left.text_input("Feuille du classeur XLSX (vide : la première)",
                            disabled=not upload.name.lower().endswith(".xlsx")) or None
    # A float input: Streamlit resets a forged non-finite or out-of-range value instead of failing on it.
    skip_rows = middle.number_input("Lignes de titre avant l'en-tête (INSEE : 5)", min_value=0.0, max_value=1000.0,
                                    value=None, step=1.0, format="%.0f",
                                    placeholder="0, ou celles de la correspondance")
    try:
        skip_rows = whole_rows(skip_rows)
    except DataError as error:
        show_problems(error.problems)
        return None
    skip_unknown = st.checkbox("Ignorer les lignes des territoires hors de l'observatoire (fichiers nationaux)")
    mapping = None
    if shape == "wide":
        mapping = st.selectbox("Correspondance des colonnes", [*mapping_names(data_dir()), NEW_MAPPING])
        if mapping == NEW_MAPPING:
            mapping_editor(upload.getvalue(), upload.name, sheet, skip_rows)
            return None
    return ImportOptions(mapping=mapping, sheet=sheet, skip_rows=skip_rows,
                         skip_unknown=skip_unknown or None, source=source_fields(expanded=shape == "wide"))


def preview_and_commit(upload, options: ImportOptions, admin: str, kind: str | None) -> None:
    """Show the preview or the problems, then commit on request."""
    failed = st.session_state.pop("donnees_failed", None)
    if failed:
        show_problems(failed)
    if st.session_state.pop("donnees_stale", False):
        st.warning("La base a changé depuis l'aperçu que vous avez validé (un autre import, une annulation ou une "
                   "reconstruction) : rien n'a été écrit. L'aperçu ci-dessous vient d'être refait sur la base "
                   "actuelle ; vérifiez-le, puis validez à nouveau.", icon="⚠️")
    content = upload.getvalue()
    preview, problems = check(content, upload.name, options, kind)
    st.session_state["donnees_shown"] = preview
    if problems:
        show_problems(problems)
        return
    st.markdown(markdown_text(describe(preview)))
    st.info(summary(preview))
    for warning in preview.warnings:
        st.warning(markdown_text(str(warning)), icon="⚠️")
    if isinstance(preview, FollowupPreview):
        show_rows(followup_frame(preview))
    else:
        st.dataframe(changes_frame(preview), hide_index=True)
    if not preview.has_changes():
        st.info("Aucune ligne nouvelle ni modifiée : rien à importer.")
        return
    if not admin:
        st.caption("Indiquer votre nom en haut de la page pour valider l'import.")
    # Exactly the rows shown above are written; if the store changed since, nothing is and the preview is redone.
    st.button("Valider l'import", type="primary", disabled=not admin, on_click=commit_shown, args=(admin,))


def history(admin: str) -> None:
    """List the imports in force, each with an undo button, then the undone ones."""
    frame = run_query("import_history")
    if frame.empty:
        st.caption("Aucun import en vigueur : la base ne contient que les fichiers livrés.")
    for row in frame.itertuples():
        text, button = st.columns([5, 1], vertical_alignment="center")
        who, what = markdown_text(row.imported_by), markdown_text(row.file_name)
        kind = SHAPE_LABELS[row.shape] if row.shape in KIND_BY_CODE else "chiffres"
        text.markdown(f"**{row.import_id}** · {row.imported_at:%d/%m/%Y %H:%M} UTC · {who} · {what} · {kind} · "
                      f"{counts_text(row.new_count, row.changed_count, row.unchanged_count)}")
        with button.popover("Annuler", disabled=not admin):
            st.write("Les chiffres de cet import seront retirés ; les imports plus récents restent en vigueur.")
            if st.button("Confirmer l'annulation", key=f"undo_{row.import_id}", type="primary"):
                undo(row.import_id, admin)
    if not frame.empty:
        with st.expander("Détail des imports"):
            st.dataframe(frame[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS), hide_index=True)
    undone = undone_imports(data_dir())
    if undone:
        with st.expander(f"Imports annulés ({len(undone)}), conservés dans data/imports/.undone/"):
            rows = [{"Import": u["id"], "Fichier": u.get("file_name"), "Annulé le": u.get("undone_at"),
                     "Par": u.get("undone_by"), "Motif": u.get("reason")} for u in undone]
            st.dataframe(pd.DataFrame(rows), hide_index=True)
    recovered = recoveries(data_dir())
    if recovered:
        with st.expander(f"Reprises après une écriture interrompue ({len(recovered)})"):
            st.dataframe(pd.DataFrame([{"Date (UTC)": r.get("at"), "Ce qui a été fait": r.get("message")}
                                       for r in recovered]), hide_index=True)


def undo(import_id: str, admin: str) -> None:
    """Undo one import and rebuild, then refresh every page."""
    if write_safely(undo_import, import_id, by=admin, data_dir=data_dir(), db_path=database_path()) is None:
        return
    st.session_state.pop("donnees_check", None)
    flash("success", f"Import {import_id} annulé ; la base a été mise à jour.")
    st.rerun()


st.title("Données")
st.caption("Importer de nouveaux chiffres ou le suivi des actions (statuts, valeurs mesurées, tableau TFPB, heures "
           "d'insertion, feuille de route), en CSV ou XLSX ; vérifier avant d'écrire, annuler un import.")
gate()
for message in drain_recoveries():
    st.warning(markdown_text(f"Reprise après une écriture interrompue : {message}"), icon="⚠️")
show_flash()
admin_name = st.text_input("Votre nom (enregistré dans l'historique)", key="donnees_name").strip()
st.header("Importer un fichier")
followup_kind = kind_choice()
uploaded = st.file_uploader("Fichier CSV ou XLSX", type=["csv", "txt", "xlsx"],
                            max_upload_size=MAX_BYTES // 1024 // 1024,
                            key=f"donnees_upload_{st.session_state.get('donnees_round', 0)}")
if uploaded is not None:
    chosen = options_for(uploaded) if followup_kind is None else followup_options(uploaded)
    if chosen is not None:
        preview_and_commit(uploaded, chosen, admin_name, followup_kind)
st.header("Historique des imports")
history(admin_name)
