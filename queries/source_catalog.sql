-- Every source with its licence, period note and how many figures the product takes from it.
-- Grain: one row per source_id.
-- Parameters: none.
with usage as (
    select source_id, count(*) as observation_count, string_agg(distinct period, ', ') as periods
    from observations
    group by source_id
),

final as (
    select
        source.id as source_id,
        source.title,
        source.short_title,
        source.publisher,
        source.published,
        source.licence,
        source.location,
        source.period_note,
        source.note,
        coalesce(usage.observation_count, 0) as observation_count,
        usage.periods
    from sources as source
    left join usage on usage.source_id = source.id
    order by observation_count desc, source.published desc
)

select * from final
