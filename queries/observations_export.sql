-- Every observation, tidy, with labels, unit and a readable source reference.
-- Grain: one row per (territory_code, indicator_id, period, breakdown, category).
-- Parameters: none.
with observation as (
    select * from sourced_observations
),

labelled as (
    select
        observation.territory_code,
        territory.name as territory_name,
        observation.indicator_id,
        indicator.label as indicator_label,
        observation.period,
        observation.breakdown,
        observation.category,
        observation.value,
        indicator.unit,
        observation.status,
        observation.source_full_title || ', ' || observation.source_ref as source,
        observation.source_id,
        observation.source_ref,
        observation.note,
        indicator.sort_order as indicator_order,
        territory.kind
    from observation
    inner join territories as territory on territory.code = observation.territory_code
    inner join indicators as indicator on indicator.id = observation.indicator_id
),

final as (
    select
        territory_code, territory_name, indicator_id, indicator_label, period,
        breakdown, category, value, unit, status, source, source_id, source_ref, note
    from labelled
    order by
        case kind when 'epci' then 0 when 'commune' then 1 else 2 end,
        territory_code, indicator_order, period, breakdown, category
)

select * from final
