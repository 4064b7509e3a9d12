-- Flag the observation rows that break a rule (read by qpv/store/validate.py; messages are written there).
-- Input: input_rows (text columns, file, line, layer, ordinal) and the known_* catalogue tables.
-- Parameters: $first_year, $last_year (plausible years of a period), $count_unit (unit of whole counts).

create or replace temp table parsed as
with joined as (
    select
        row.*,
        territory.code is null as bad_territory,
        indicator.id is null as bad_indicator,
        indicator.unit as indicator_unit,
        indicator.min_value,
        indicator.max_value,
        (row.breakdown <> '' or row.category <> '') and category.breakdown is null as bad_category,
        row.source_id <> '' and source.id is null as bad_source,
        status.code is null as unknown_status,
        replace(regexp_replace(row.value, '[ \x{00A0}\x{202F}]', '', 'g'), ',', '.') as cleaned
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
        case when regexp_full_match(cleaned, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?')
            then try_cast(cleaned as double) end as parsed,
        case when regexp_full_match(period, '[0-9]{4}(-[0-9]{4})?')
            then cast(period[1:4] as integer) end as first_year_of,
        case when regexp_full_match(period, '[0-9]{4}-[0-9]{4}')
            then cast(period[6:9] as integer) end as last_year_of
    from joined
)

select
    *,
    case when parsed is not null and isfinite(parsed) then parsed end as number
from numbered;

create or replace temp table checked as
with rules as (
    select
        *,
        first_year_of is null
            or first_year_of not between $first_year and $last_year
            or (last_year_of is not null
                and (last_year_of not between $first_year and $last_year or last_year_of <= first_year_of))
            as bad_period,
        not bad_indicator and unknown_status as bad_status,
        not bad_indicator and unit <> indicator_unit as bad_unit,
        not bad_indicator and status <> 'publie' and value <> '' as value_given,
        not bad_indicator and status = 'publie' and number is null as not_number,
        not bad_indicator and status = 'publie' and number is not null and min_value is not null
            and max_value is not null and number not between min_value and max_value as out_of_range,
        not bad_indicator and status = 'publie' and number is not null and indicator_unit = $count_unit
            and number <> floor(number) as not_integer,
        case when not bad_indicator and status = 'publie' then number end as dup_value
    from parsed
),

ranked as (
    select
        *,
        first_value(ordinal) over key_order as first_ordinal,
        first_value(file) over key_order as first_file,
        first_value(line) over key_order as first_line,
        first_value(dup_value) over key_order as first_value
    from rules
    window key_order as (
        partition by layer, territory_code, indicator_id, period, breakdown, category order by ordinal
    )
)

select *, ordinal <> first_ordinal as duplicate from ranked;

drop table parsed;

create or replace temp view flagged as
select * from checked
where bad_territory or bad_indicator or bad_category or bad_period or source_id = '' or bad_source
    or source_ref = '' or bad_status or bad_unit or value_given or not_number or out_of_range or not_integer
    or duplicate;

create or replace temp view valid as
select
    territory_code, indicator_id, period, breakdown, category,
    case when status = 'publie' then number end as value,
    status, source_id, source_ref, nullif(note, '') as note, layer, ordinal
from checked
where not (bad_territory or bad_indicator or bad_category or bad_period or source_id = '' or bad_source
    or source_ref = '' or bad_status or bad_unit or value_given or not_number or out_of_range or not_integer
    or duplicate);
