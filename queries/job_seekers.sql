-- Job seekers of one QPV by sex, age band and training level: counts and shares, stored or derived.
-- A derived figure (count from share x total, or share from count / total) is flagged as derived.
-- Grain: one row per (breakdown, category).
-- Parameters: $qpv (QPV code), $period (millésime).
with figures as (
    select *
    from sourced_observations
    where territory_code = $qpv
        and period = $period
        and indicator_id in ('demandeurs_emploi', 'part_demandeurs_emploi')
),

total as (
    select value as total_count, source_label as total_source
    from figures
    where indicator_id = 'demandeurs_emploi' and breakdown = '' and status = 'publie'
),

counts as (
    select breakdown, category, value, source_label from figures
    where indicator_id = 'demandeurs_emploi' and breakdown <> ''
),

shares as (
    select breakdown, category, value, source_label from figures
    where indicator_id = 'part_demandeurs_emploi' and breakdown <> ''
),

cells as (
    select breakdown, category from counts
    union
    select breakdown, category from shares
),

final as (
    select
        cells.breakdown,
        breakdown.label as breakdown_label,
        cells.category,
        category.label as category_label,
        category.sort_order,
        coalesce(counts.value, round(shares.value * total.total_count / 100)) as job_seekers,
        counts.value is null and shares.value is not null and total.total_count is not null as count_derived,
        coalesce(shares.value, counts.value * 100 / nullif(total.total_count, 0)) as share,
        shares.value is null and counts.value is not null and total.total_count is not null as share_derived,
        total.total_count,
        coalesce(shares.source_label, counts.source_label) as source_label,
        total.total_source
    from cells
    inner join categories as category
        on category.breakdown = cells.breakdown and category.category = cells.category
    inner join breakdowns as breakdown on breakdown.code = cells.breakdown
    left join counts on counts.breakdown = cells.breakdown and counts.category = cells.category
    left join shares on shares.breakdown = cells.breakdown and shares.category = cells.category
    left join total on true
    order by breakdown.sort_order, category.sort_order
)

select * from final
