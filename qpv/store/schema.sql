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
    shape varchar not null check (shape in ('tidy', 'wide')),
    mapping varchar,                        -- data/mappings/<name>.json used for a wide file
    row_count integer not null,
    new_count integer not null,
    changed_count integer not null,
    unchanged_count integer not null,
    ignored_count integer not null,         -- rows on territories outside the observatory, left out on request
    source_id varchar references sources(id)  -- declared source; null when every row cites its own
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
