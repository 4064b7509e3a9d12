-- The rows of a territory's fill-in template: the EPCI and each of its QPV, for every indicator of the
-- catalogue; an indicator whose figures all come broken down (shares of job seekers by sex, age...) gets
-- one row per category of those breakdowns instead of a headline row.
-- Grain: one row per (territory_code, indicator_id, breakdown, category).
-- Parameters: $epci (SIREN of the EPCI).
with places as (
    select code as territory_code, name as territory_name, 0 as place_order
    from territories
    where code = $epci
    union all
    select territory.code, territory.name, 1
    from epci_members as member
    inner join territories as territory on territory.code = member.member_code
    where member.epci_code = $epci and member.member_kind = 'qpv'
),

breakdown_use as (
    select
        indicator_id,
        count(*) filter (where breakdown = '') as headline_count,
        count(*) filter (where breakdown <> '') as broken_down_count
    from observations
    group by indicator_id
),

broken_down as (
    select distinct observation.indicator_id, observation.breakdown
    from observations as observation
    inner join breakdown_use as usage on usage.indicator_id = observation.indicator_id
    where usage.headline_count = 0 and observation.breakdown <> ''
),

indicator_rows as (
    select indicator.id as indicator_id, '' as breakdown, '' as category, 0 as category_order
    from indicators as indicator
    where indicator.id not in (select indicator_id from broken_down)
    union all
    select broken_down.indicator_id, category.breakdown, category.category,
        breakdown.sort_order * 100 + category.sort_order
    from broken_down
    inner join categories as category on category.breakdown = broken_down.breakdown
    inner join breakdowns as breakdown on breakdown.code = category.breakdown
),

final as (
    select
        places.territory_code,
        places.territory_name,
        indicator_rows.indicator_id,
        indicator.label as indicator_label,
        indicator_rows.breakdown,
        indicator_rows.category,
        indicator.unit,
        places.place_order,
        indicator.sort_order,
        indicator_rows.category_order
    from places
    cross join indicator_rows
    inner join indicators as indicator on indicator.id = indicator_rows.indicator_id
    order by places.place_order, places.territory_name, indicator.sort_order, indicator_rows.category_order
)

select * from final
