-- Flag the observation rows that break a rule (read by qpv/store/validate.py; messages are written there).
-- Input: input_rows (text columns, line, file_index, layer, ordinal) and the known_* catalogue tables.
-- Parameters: $first_year, $last_year (plausible years of a period), $count_unit (unit of whole counts).
-- Set-wise: one pass of joins gives a narrow table of flags per row; duplicates are looked for only among the
-- rows whose key hash repeats within a layer; the valid rows are the input minus the (few) rows in error.
-- The macro figure() (FIGURE_MACROS in validate.py) reads a value as the build stores it.

create or replace temp table checks as
with joined as (
    select
        row.ordinal,
        row.layer,
        hash(row.territory_code, row.indicator_id, row.period, row.breakdown, row.category) as key_hash,
        row.period,
        row.status,
        row.value,
        row.unit,
        row.source_id,
        row.source_ref,
        territory.code is null as bad_territory,
        indicator.id is null as bad_indicator,
        indicator.unit as indicator_unit,
        indicator.min_value,
        indicator.max_value,
        (row.breakdown <> '' or row.category <> '') and category.breakdown is null as bad_category,
        row.source_id <> '' and source.id is null as bad_source,
        status.code is null as unknown_status,
        figure(row.value) as number
    from input_rows as row
    left join known_territories as territory on territory.code = row.territory_code
    left join known_indicators as indicator on indicator.id = row.indicator_id
    left join known_categories as category
        on category.breakdown = row.breakdown and category.category = row.category
    left join known_sources as source on source.id = row.source_id
    left join known_statuses as status on status.code = row.status
),

numbered as (
    select
        *,
        case when regexp_full_match(period, '[0-9]{4}(-[0-9]{4})?')
            then cast(period[1:4] as integer) end as first_year_of,
        case when regexp_full_match(period, '[0-9]{4}-[0-9]{4}')
            then cast(period[6:9] as integer) end as last_year_of
    from joined
)

select
    ordinal,
    layer,
    key_hash,
    number,
    bad_territory,
    bad_indicator,
    bad_category,
    first_year_of is null
        or first_year_of not between $first_year and $last_year
        or (last_year_of is not null
            and (last_year_of not between $first_year and $last_year or last_year_of <= first_year_of))
        as bad_period,
    source_id = '' as no_source,
    bad_source,
    source_ref = '' as no_reference,
    not bad_indicator and unknown_status as bad_status,
    not bad_indicator and unit <> indicator_unit as bad_unit,
    not bad_indicator and status <> 'publie' and value <> '' as value_given,
    not bad_indicator and status = 'publie' and number is null as not_number,
    not bad_indicator and status = 'publie' and number is not null and min_value is not null
        and max_value is not null and number not between min_value and max_value as out_of_range,
    not bad_indicator and status = 'publie' and number is not null and indicator_unit = $count_unit
        and number <> floor(number) as not_integer,
    case when not bad_indicator and status = 'publie' then number end as dup_value
from numbered;

create or replace temp table duplicates as
with repeated as (
    select layer, key_hash from checks group by layer, key_hash having count(*) > 1
),

candidates as (
    select row.ordinal, row.layer, row.file_index, row.line, row.territory_code, row.indicator_id, row.period,
           row.breakdown, row.category, checks.dup_value
    from input_rows as row
    inner join checks using (ordinal)
    inner join repeated on repeated.layer = checks.layer and repeated.key_hash = checks.key_hash
),

ranked as (
    select
        ordinal,
        first_value(ordinal) over key_order as first_ordinal,
        first_value(file_index) over key_order as first_file,
        first_value(line) over key_order as first_line,
        first_value(dup_value) over key_order as first_value
    from candidates
    window key_order as (
        partition by layer, territory_code, indicator_id, period, breakdown, category order by ordinal
    )
)

select * from ranked where ordinal <> first_ordinal;

create or replace temp table rejected as
select ordinal from checks
where bad_territory or bad_indicator or bad_category or bad_period or no_source or bad_source or no_reference
    or bad_status or bad_unit or value_given or not_number or out_of_range or not_integer
union
select ordinal from duplicates;

create or replace temp view flagged as
select
    row.*,
    checks.* exclude (ordinal, layer, key_hash),
    duplicate.ordinal is not null as duplicate,
    duplicate.first_file,
    duplicate.first_line,
    duplicate.first_value
from rejected
inner join checks using (ordinal)
left join duplicates as duplicate using (ordinal)
inner join input_rows as row using (ordinal);

create or replace temp view valid as
select
    row.territory_code, row.indicator_id, row.period, row.breakdown, row.category,
    case when row.status = 'publie' then figure(row.value) end as value,
    row.status, row.source_id, row.source_ref, nullif(row.note, '') as note, row.layer, row.ordinal
from input_rows as row
where not exists (select 1 from rejected where rejected.ordinal = row.ordinal);
