"""Load the programme: contrat de ville objectives, GUSP charter, actions and their follow-up, TFPB, insertion.

The shipped files under data/contrat/, data/gusp/, data/tfpb/, data/insertion/ and data/remarques_lecture.csv
cite the two seed documents line by line. The follow-up (statuses, measured values, TFPB amounts, insertion
hours) is read from folders of layered files, so that users' later values come in as more files.
"""

from pathlib import Path

from qpv.store.errors import Problem
from qpv.store.programme_files import Read, Spec, read_spec
from qpv.store.tfpb import check_insertion, check_tfpb
from qpv.store.vocabulary import FOLDER, read_vocabulary

VOCABULARIES = ("action_statuses", "objective_levels", "text_states", "fiche_fields", "theme_parts", "actor_roles",
                "tfpb_line_kinds", "measure_kinds")
SOURCE = ("source_id", "source_ref")
TEXT = (("text", "text_state"),)

SPECS = (
    Spec("reading_notes", "remarques_lecture.csv", ("id", "topic", "text", *SOURCE), required=("id", "topic", "text"),
         key=("id",), refs={"source_id": "sources"}),
    Spec("objectives", "contrat/objectifs.csv",
         ("id", "territory_code", "level", "parent_id", "rank", "text", "text_state", *SOURCE, "note"),
         required=("id", "territory_code", "level", "rank", "text_state", *SOURCE), key=("id",),
         refs={"territory_code": "territories", "level": "objective_levels", "text_state": "text_states",
               "source_id": "sources"}, integers=("rank",), texts=TEXT),
    Spec("gusp_themes", "gusp/thematiques.csv",
         ("code", "rank", "title", "title_ref", "label", "label_ref", "gusp_kinds", "gusp_kinds_ref", "source_id"),
         required=("code", "rank", "title", "title_ref", "label", "label_ref", "gusp_kinds", "gusp_kinds_ref",
                   "source_id"), key=("code",), refs={"source_id": "sources"}, integers=("rank",)),
    Spec("gusp_theme_items", "gusp/thematiques_contenu.csv",
         ("theme_code", "part", "rank", "heading", "heading_ref", "text", "text_state", *SOURCE, "note"),
         required=("theme_code", "part", "rank", "text_state", *SOURCE), key=("theme_code", "rank"),
         refs={"theme_code": "gusp_themes", "part": "theme_parts", "text_state": "text_states",
               "source_id": "sources"}, integers=("rank",), texts=TEXT),
    Spec("partners", "gusp/partenaires.csv",
         ("id", "rank", "kind", "name", "representative", *SOURCE, "heading", "heading_ref"),
         required=("id", "rank", "kind", "name", *SOURCE), key=("id",), refs={"source_id": "sources"},
         integers=("rank",)),
    Spec("partner_commitments", "gusp/engagements.csv",
         ("partner_id", "rank", "kind", "text", "text_state", *SOURCE, "note"),
         required=("partner_id", "rank", "kind", "text_state", *SOURCE), key=("partner_id", "rank"),
         refs={"partner_id": "partners", "text_state": "text_states", "source_id": "sources"}, integers=("rank",),
         texts=TEXT),
    Spec("actions", "gusp/actions.csv",
         ("id", "territory_code", "commune", "theme_code", "title", "year", *SOURCE, "year_note", "note"),
         required=("id", "territory_code", "commune", "theme_code", "title", *SOURCE), key=("id",),
         refs={"territory_code": "territories", "theme_code": "gusp_themes", "source_id": "sources"},
         integers=("year",)),
    Spec("action_fiche_fields", "gusp/fiches.csv",
         ("action_id", "field", "rank", "text", "text_state", *SOURCE, "note"),
         required=("action_id", "field", "rank", "text_state", *SOURCE), key=("action_id", "field", "rank"),
         refs={"action_id": "actions", "field": "fiche_fields", "text_state": "text_states", "source_id": "sources"},
         integers=("rank",), texts=TEXT),
    Spec("action_actors", "gusp/acteurs.csv", ("action_id", "role", "name", "partner_id", *SOURCE, "note"),
         required=("action_id", "role", "name", *SOURCE), key=("action_id", "role", "name"),
         refs={"action_id": "actions", "role": "actor_roles", "partner_id": "partners", "source_id": "sources"}),
    Spec("action_indicators", "gusp/indicateurs.csv", ("id", "action_id", "label", "unit", *SOURCE, "note"),
         required=("id", "action_id", "label", *SOURCE), key=("id",),
         refs={"action_id": "actions", "source_id": "sources"}),
    Spec("action_status_history", "suivi/statuts",
         ("action_id", "status", "status_date", "author", *SOURCE, "note"),
         required=("action_id", "status", "status_date", "author", *SOURCE), key=("action_id", "status_date", "status"),
         refs={"action_id": "actions", "status": "action_statuses", "source_id": "sources"}, dates=("status_date",),
         layered=True),
    Spec("action_indicator_values", "suivi/mesures",
         ("indicator_id", "kind", "value_date", "value", "author", *SOURCE, "note"),
         required=("indicator_id", "kind", "value_date", "value", "author", *SOURCE),
         key=("indicator_id", "kind", "value_date"),
         refs={"indicator_id": "action_indicators", "kind": "measure_kinds", "source_id": "sources"},
         numbers=("value",), dates=("value_date",), layered=True),
    Spec("objective_links", "contrat/liens.csv", ("objective_id", "action_id", "indicator_id", "set_by", "set_on",
                                                  "note"),
         required=("objective_id", "set_by", "set_on"), key=("objective_id", "action_id", "indicator_id"),
         refs={"objective_id": "objectives", "action_id": "actions", "indicator_id": "indicators"},
         dates=("set_on",), may_be_empty=True),
    Spec("tfpb_axes", "tfpb/axes.csv", ("code", "rank", "label", "label_state", *SOURCE, "note"),
         required=("code", "rank", "label", "label_state", *SOURCE), key=("code",),
         refs={"label_state": "text_states", "source_id": "sources"}, integers=("rank",)),
    Spec("tfpb_programmes", "tfpb/programmes.csv",
         ("id", "landlord", "territory_code", "commune", "year", *SOURCE, "note"),
         required=("id", "landlord", "territory_code", "year", *SOURCE), key=("id",),
         refs={"territory_code": "territories", "source_id": "sources"}, integers=("year",)),
    Spec("tfpb_lines", "tfpb/lignes",
         ("programme_id", "year", "axis_code", "line_kind", "label", "planned", "engaged", "remaining", *SOURCE,
          "note"),
         required=("programme_id", "year", "line_kind", *SOURCE),
         refs={"programme_id": "tfpb_programmes", "axis_code": "tfpb_axes", "line_kind": "tfpb_line_kinds",
               "source_id": "sources"},
         integers=("year",), numbers=("planned", "engaged", "remaining"), layered=True),
    Spec("insertion_targets", "insertion/objectifs.csv", ("code", "rank", "label", "share", "text", *SOURCE, "note"),
         required=("code", "rank", "label", "share", "text", *SOURCE), key=("code",), refs={"source_id": "sources"},
         integers=("rank",), numbers=("share",)),
    Spec("insertion_hours", "insertion/heures",
         ("operation", "territory_code", "year", "total_hours", "insertion_hours", *SOURCE, "note"),
         required=("operation", "territory_code", "year", "total_hours", "insertion_hours", *SOURCE),
         key=("operation", "territory_code", "year"), refs={"territory_code": "territories", "source_id": "sources"},
         integers=("year",), numbers=("total_hours", "insertion_hours"), layered=True),
)
SPEC_BY_TABLE = {spec.table: spec for spec in SPECS}


def programme_files(data_dir: Path) -> list[Path]:
    """List every programme file the store is built from: vocabularies, shipped files and layered files."""
    vocabularies = [data_dir / FOLDER / f"{name}.csv" for name in VOCABULARIES]
    return vocabularies + [path for spec in SPECS for path in spec.files(data_dir)]


def _check_tree(objectives: Read, levels: list[dict]) -> list[Problem]:
    """Each objective hangs under an objective of a higher level of the same QPV; only an enjeu is a root."""
    order = {level["code"]: level["sort_order"] for level in levels}
    by_id = {record["id"]: record for record in objectives.records}
    problems = []
    for row, record in zip(objectives.rows, objectives.records, strict=True):
        parent = by_id.get(record["parent_id"]) if record["parent_id"] else None
        if record["parent_id"] and parent is None:
            problems.append(row.problem("parent_id", f"objectif parent « {record['parent_id']} » inconnu."))
        elif parent is None and record["level"] != "enjeu":
            problems.append(row.problem("parent_id", "objectif sans parent : seul un enjeu est à la racine."))
        elif parent is not None and (parent["territory_code"] != record["territory_code"]
                                     or order.get(parent["level"], 0) >= order.get(record["level"], 0)):
            problems.append(row.problem("parent_id", f"le parent « {parent['id']} » doit être un objectif de niveau "
                                                     "supérieur du même quartier."))
    return problems


def _check_links(links: Read) -> list[Problem]:
    """A link ties an objective to one action or to one indicator, not both, not neither."""
    return [row.problem("action_id", "indiquer soit une action, soit un indicateur (un seul des deux).")
            for row in links.rows if bool(row.get("action_id")) == bool(row.get("indicator_id"))]


def read_vocabularies(data_dir: Path) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Read the programme's vocabularies (data/vocabulary/<name>.csv)."""
    tables, problems = {}, []
    for name in VOCABULARIES:
        tables[name], more = read_vocabulary(data_dir, name)
        problems += more
    return tables, problems


def load_programme(data_dir: Path, known: dict[str, set[str]], layers: dict[str, list[Path]] | None = None,
                   extra: dict[str, list] | None = None) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Read every programme table; known: territories, sources and indicators codes of the dataset.

    layers: for a table, the files to read instead of its own (imports add theirs to the list); extra: rows
    of an upload being previewed, read last. Return records by table name (vocabularies included) and every
    problem found.
    """
    tables, problems = read_vocabularies(data_dir)
    vocabularies = {name: {r["code"]: r["label"] for r in records} for name, records in tables.items()}
    known = {name: set(codes) for name, codes in known.items()}
    read: dict[str, Read] = {}
    for spec in SPECS:
        files, rows = (layers or {}).get(spec.table), (extra or {}).get(spec.table, ())
        read[spec.table], more = read_spec(data_dir, spec, known, vocabularies, files, rows)
        problems += more
        if spec.key and len(spec.key) == 1:
            known[spec.table] = read[spec.table].codes(spec.key[0])
        tables[spec.table] = read[spec.table].records
    problems += _check_tree(read["objectives"], tables["objective_levels"])
    problems += _check_links(read["objective_links"])
    problems += check_tfpb(read["tfpb_lines"].rows, read["tfpb_lines"].records)
    problems += check_insertion(read["insertion_hours"].rows, read["insertion_hours"].records)
    return tables, problems
