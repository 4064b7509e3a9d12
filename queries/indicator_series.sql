-- One indicator over time for a set of territories (QPV and their EPCI), whole population only.
-- Grain: one row per (territory_code, period).
-- Parameters: $indicator (indicator id), $codes (list of territory codes).
with wanted as (
    select *
    from sourced_observations
    where indicator_id = $indicator
        and list_contains($codes, territory_code)
        and breakdown = ''
        and category = ''
),

final as (
    select
        wanted.territory_code,
        territory.name as territory_name,
        territory.kind,
        wanted.period,
        wanted.value,
        wanted.status,
        indicator.unit,
        wanted.source_id,
        wanted.source_title as source,
        wanted.source_ref
    from wanted
    inner join territories as territory on territory.code = wanted.territory_code
    inner join indicators as indicator on indicator.id = wanted.indicator_id
    order by
        case territory.kind when 'epci' then 0 when 'commune' then 1 else 2 end,
        wanted.territory_code,
        wanted.period
)

select * from final
