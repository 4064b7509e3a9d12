-- Schema of the store, created by qpv/store/schema.py; the staging views are in views.sql.

-- Vocabularies (data/vocabulary/*.csv): read by SQL, validators and pages alike.
create table units (code varchar primary key, label varchar not null, sort_order integer not null);
create table directions (code varchar primary key, label varchar not null, sort_order integer not null);
create table statuses (code varchar primary key, label varchar not null, sort_order integer not null);
create table sections (code varchar primary key, label varchar not null, sort_order integer not null);
create table breakdowns (code varchar primary key, label varchar not null, sort_order integer not null);

create table meta (
    key varchar primary key,
    value varchar not null
);

-- One row per document or file a figure or a contour comes from.
create table sources (
    id varchar primary key,
    title varchar not null,
    short_title varchar not null,      -- for chart subtitles and hover
    publisher varchar not null,
    published date,
    licence varchar not null,
    location varchar,          -- where the document is kept (file, address)
    period_note varchar,       -- what the document says, or does not say, of the period
    note varchar
);

-- Every territory the product covers: QPV, commune, EPCI.
create table territories (
    code varchar primary key,          -- QN06212M, INSEE code 62178, SIREN 200072460
    name varchar not null,
    kind varchar not null check (kind in ('qpv', 'commune', 'epci')),
    communes varchar,                  -- QPV only: commune names as the source lists them
    population integer,                -- where a source gives it
    population_source_id varchar references sources(id)
);

-- Parent links; a QPV spanning two communes or two EPCI has two rows.
create table territory_links (
    child_code varchar not null references territories(code),
    parent_code varchar not null references territories(code),
    primary key (child_code, parent_code)
);

create table indicators (
    id varchar primary key,
    label varchar not null,
    short_label varchar not null,
    unit varchar not null references units(code),
    definition varchar not null,
    direction varchar not null references directions(code),
    theme varchar not null,
    min_value double,                  -- plausible range, used by check
    max_value double,
    sort_order integer not null
);

-- Categories of each breakdown (job seekers by sex, age band, training level).
create table categories (
    breakdown varchar not null references breakdowns(code),
    category varchar not null,
    label varchar not null,
    sort_order integer not null,
    primary key (breakdown, category)
);

-- Tidy observations, one row per (territory_code, indicator_id, period, breakdown, category). Missing figures
-- have a status and a null value, never 0. Every row is checked before it is written (qpv/store/validate.py:
-- territory, indicator, status and source known, one row per key; tests/test_writes.py checks the key is
-- unique in the store), so the table carries no index: at national scale, key and foreign-key indexes took
-- most of a build's time and memory (benchmarks/bench_national.py).
create table observations (
    territory_code varchar not null,        -- a territories.code
    indicator_id varchar not null,          -- an indicators.id
    period varchar not null,
    breakdown varchar not null default '',  -- '' for the whole population
    category varchar not null default '',
    value double,
    status varchar not null,                -- a statuses.code
    source_id varchar not null,             -- a sources.id
    source_ref varchar not null,            -- line or table inside the source
    note varchar,
    check ((status = 'publie') = (value is not null))
);

-- Text the convention states for a QPV: irritants, opportunities, stakes, objectives.
create table statements (
    territory_code varchar not null references territories(code),
    section varchar not null references sections(code),
    rank integer not null,
    text varchar not null,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    primary key (territory_code, section, rank)
);

-- Contours in WGS84 as WKB: full resolution as loaded, and simplified once for display.
create table geometries (
    territory_code varchar primary key references territories(code),
    geom blob not null,
    display_geom blob not null,
    xmin double not null,
    ymin double not null,
    xmax double not null,
    ymax double not null,
    source_id varchar not null references sources(id)
);

-- Imports of new figures (data/imports/<id>/import.json) in force, applied in id order; undone ones are not loaded.
create table imports (
    id varchar primary key,                 -- 20261123T120501Z-1a2b3c: sorts in the order imports apply
    imported_at timestamp not null,         -- UTC
    imported_by varchar not null,
    file_name varchar not null,             -- name of the uploaded file
    sha256 varchar not null,                -- checksum of the uploaded file
    shape varchar not null check (shape in ('tidy', 'wide', 'statuts', 'mesures', 'tfpb', 'insertion',
                                            'feuille_de_route')),  -- figures, or a follow-up kind (followup.py)
    mapping varchar,                        -- data/mappings/<name>.json used for a wide file
    row_count integer not null,
    new_count integer not null,
    changed_count integer not null,
    unchanged_count integer not null,
    ignored_count integer not null,         -- rows on territories outside the observatory, left out on request
    source_id varchar references sources(id)  -- declared source; null when every row cites its own
);

-- ---------------------------------------------------------------------------------------------------------------
-- Contrat de ville objectives, GUSP charter, actions and their follow-up, TFPB, insertion (qpv/store/programme.py).
-- Every text cites its document and line; text_state says whether the extraction kept it whole.

-- Vocabularies (data/vocabulary/*.csv).
create table action_statuses (code varchar primary key, label varchar not null, sort_order integer not null);
create table objective_levels (code varchar primary key, label varchar not null, sort_order integer not null);
create table text_states (code varchar primary key, label varchar not null, sort_order integer not null);
create table fiche_fields (code varchar primary key, label varchar not null, sort_order integer not null);
create table theme_parts (code varchar primary key, label varchar not null, sort_order integer not null);
create table actor_roles (code varchar primary key, label varchar not null, sort_order integer not null);
create table tfpb_line_kinds (code varchar primary key, label varchar not null, sort_order integer not null);
create table measure_kinds (code varchar primary key, label varchar not null, sort_order integer not null);

-- The objectives tree of each QPV: enjeu → two levels of intercommunal objectives → operational objective.
create table objectives (
    id varchar primary key,                 -- QN06211M-E1-S2-I1-O1
    territory_code varchar not null references territories(code),
    level varchar not null references objective_levels(code),
    parent_id varchar,                      -- null for an enjeu; checked by the loader
    rank integer not null,
    text varchar not null,                  -- '' when the extraction lost the cell
    text_state varchar not null references text_states(code),
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar
);

-- GUSP themes (annex 3 of the charter) and what each fiche says: context, stakes, working leads.
create table gusp_themes (
    code varchar primary key,
    rank integer not null,
    title varchar not null, title_ref varchar not null,          -- title of the fiche thématique
    label varchar not null, label_ref varchar not null,          -- name in the charter's list of themes
    gusp_kinds varchar not null, gusp_kinds_ref varchar not null,
    source_id varchar not null references sources(id)
);
create table gusp_theme_items (
    theme_code varchar not null references gusp_themes(code),
    part varchar not null references theme_parts(code),
    rank integer not null,
    heading varchar, heading_ref varchar,  -- the stake a line belongs to
    text varchar not null,
    text_state varchar not null references text_states(code),
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (theme_code, rank)
);

-- Signatories of the charter and their commitments.
create table partners (
    id varchar primary key,
    rank integer not null,
    kind varchar not null,
    name varchar not null,
    representative varchar,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    heading varchar, heading_ref varchar
);
create table partner_commitments (
    partner_id varchar not null references partners(id),
    rank integer not null,
    kind varchar not null check (kind in ('engagement', 'priorite')),
    text varchar not null,
    text_state varchar not null references text_states(code),
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (partner_id, rank)
);

-- Actions of the communal roadmaps, their fiche fields, their partners and pilots, their own indicators.
create table actions (
    id varchar primary key,
    territory_code varchar not null references territories(code),
    commune varchar not null,
    theme_code varchar not null references gusp_themes(code),
    title varchar not null,
    year integer,                           -- column of the roadmap the extraction places it in
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    year_note varchar,
    note varchar
);
create table action_fiche_fields (
    action_id varchar not null references actions(id),
    field varchar not null references fiche_fields(code),
    rank integer not null,
    text varchar not null,                  -- '' when the fiche leaves the field empty (text_state non_renseigne)
    text_state varchar not null references text_states(code),
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (action_id, field, rank)
);
create table action_actors (
    action_id varchar not null references actions(id),
    role varchar not null references actor_roles(code),
    name varchar not null,
    partner_id varchar references partners(id),
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (action_id, role, name)
);
create table action_indicators (
    id varchar primary key,
    action_id varchar not null references actions(id),
    label varchar not null,
    unit varchar,                           -- null when the fiche does not say
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar
);

-- Follow-up over time: a status with its date and author; targets and measured values by date.
create table action_status_history (
    action_id varchar not null references actions(id),
    status varchar not null references action_statuses(code),
    status_date date not null,
    author varchar not null,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (action_id, status_date, status)
);
create table action_indicator_values (
    indicator_id varchar not null references action_indicators(id),
    kind varchar not null references measure_kinds(code),
    value_date date not null,
    value double not null,
    author varchar not null,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (indicator_id, kind, value_date)
);

-- Links set once by an admin (data/contrat/liens.csv): an objective served by an action or measured by an indicator.
create table objective_links (
    objective_id varchar not null references objectives(id),
    action_id varchar references actions(id),
    indicator_id varchar references indicators(id),
    set_by varchar not null,
    set_on date not null,
    note varchar,
    check ((action_id is null) <> (indicator_id is null))
);

-- TFPB abatement programmes of social landlords: the axes of the national frame, the programmes, their amounts.
create table tfpb_axes (
    code varchar primary key,
    rank integer not null,
    label varchar not null,                 -- as the document names it
    label_state varchar not null references text_states(code),
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar
);
create table tfpb_programmes (
    id varchar primary key,
    landlord varchar not null,
    territory_code varchar not null references territories(code),
    commune varchar,
    year integer not null,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar
);
-- Amounts in euros; a missing amount stays null. Subtotals and totals are checked by the loader.
create table tfpb_lines (
    programme_id varchar not null references tfpb_programmes(id),
    year integer not null,
    axis_code varchar references tfpb_axes(code),   -- null on a programme total
    line_kind varchar not null references tfpb_line_kinds(code),
    label varchar,
    planned double,
    engaged double,
    remaining double,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar
);

-- Insertion clause: targets (share of hours worked reserved for QPV residents) and hours by operation and year.
create table insertion_targets (
    code varchar primary key,
    rank integer not null,
    label varchar not null,
    share double not null,                  -- percent of the hours worked
    text varchar not null,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar
);
create table insertion_hours (
    operation varchar not null,
    territory_code varchar not null references territories(code),
    year integer not null,
    total_hours double not null,
    insertion_hours double not null,
    source_id varchar not null references sources(id),
    source_ref varchar not null,
    note varchar,
    primary key (operation, territory_code, year)
);

-- What the project notes while reading the documents (damaged cells, counts that disagree, choices made).
create table reading_notes (
    id varchar primary key,
    topic varchar not null,
    text varchar not null,
    source_id varchar references sources(id),
    source_ref varchar
);

-- Every row of every import in force (data/imports/<id>/observations.csv once checked), and the rows of the
-- shipped files that an import hides: what an incremental undo needs to restore the layer below without
-- reading the files again. A full build writes exactly what the increments of qpv/store/increments.py keep.
create table import_observations (
    import_id varchar not null,
    territory_code varchar not null,
    indicator_id varchar not null,
    period varchar not null,
    breakdown varchar not null,
    category varchar not null,
    value double,
    status varchar not null,
    source_id varchar not null,
    source_ref varchar not null,
    note varchar,
    primary key (import_id, territory_code, indicator_id, period, breakdown, category)
);

create table base_observations (
    territory_code varchar not null,
    indicator_id varchar not null,
    period varchar not null,
    breakdown varchar not null,
    category varchar not null,
    value double,
    status varchar not null,
    source_id varchar not null,
    source_ref varchar not null,
    note varchar,
    primary key (territory_code, indicator_id, period, breakdown, category)
);
