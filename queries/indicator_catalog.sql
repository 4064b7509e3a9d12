-- The indicator catalogue: labels, unit, definition, favourable direction, sources and coverage.
-- Grain: one row per indicator_id.
-- Parameters: none.
with coverage as (
    select
        observation.indicator_id,
        count(distinct observation.territory_code) filter (where territory.kind = 'qpv') as qpv_count,
        string_agg(distinct observation.period, ', ' order by observation.period) as periods,
        string_agg(distinct source.title, ' ; ') as sources
    from observations as observation
    inner join territories as territory on territory.code = observation.territory_code
    inner join sources as source on source.id = observation.source_id
    group by observation.indicator_id
),

final as (
    select
        indicator.id as indicator_id,
        indicator.label,
        indicator.short_label,
        indicator.unit,
        indicator.definition,
        indicator.direction,
        direction.label as direction_label,
        unit.label as unit_label,
        indicator.theme,
        indicator.min_value,
        indicator.max_value,
        coalesce(coverage.qpv_count, 0) as qpv_count,
        coverage.periods,
        coverage.sources,
        indicator.sort_order
    from indicators as indicator
    inner join directions as direction on direction.code = indicator.direction
    inner join units as unit on unit.code = indicator.unit
    left join coverage on coverage.indicator_id = indicator.id
    order by indicator.sort_order
)

select * from final
