-- Job seekers of one QPV by sex, age band and training level: counts and shares, stored or derived.
-- A derived figure (count from share x total, or share from count / total) is flagged as derived.
-- Grain: one row per (dimension, category).
-- Parameters: $quarter (QPV code), $period (millésime).
with figures as (
    select observation.*, source.short_title || ', ' || observation.source_ref as source_label
    from observations as observation
    inner join sources as source on source.id = observation.source_id
    where observation.territory_code = $quarter
        and observation.period = $period
        and observation.indicator_id in ('demandeurs_emploi', 'part_demandeurs_emploi')
),

total as (
    select value as total_count, source_label as total_source
    from figures
    where indicator_id = 'demandeurs_emploi' and dimension = '' and status = 'publie'
),

counts as (
    select dimension, category, value, source_label from figures
    where indicator_id = 'demandeurs_emploi' and dimension <> ''
),

shares as (
    select dimension, category, value, source_label from figures
    where indicator_id = 'part_demandeurs_emploi' and dimension <> ''
),

breakdown as (
    select dimension, category from counts
    union
    select dimension, category from shares
),

final as (
    select
        breakdown.dimension,
        dimension_label.label as dimension_label,
        breakdown.category,
        category.label as category_label,
        category.sort_order,
        coalesce(counts.value, round(shares.value * total.total_count / 100)) as job_seekers,
        counts.value is null and shares.value is not null and total.total_count is not null as count_derived,
        coalesce(shares.value, counts.value * 100 / nullif(total.total_count, 0)) as share,
        shares.value is null and counts.value is not null and total.total_count is not null as share_derived,
        total.total_count,
        coalesce(shares.source_label, counts.source_label) as source_label,
        total.total_source
    from breakdown
    inner join categories as category
        on category.dimension = breakdown.dimension and category.category = breakdown.category
    inner join (
        values ('sexe', 'Sexe', 1), ('age', 'Âge', 2), ('niveau_formation', 'Niveau de formation', 3)
    ) as dimension_label(dimension, label, dimension_order) on dimension_label.dimension = breakdown.dimension
    left join counts on counts.dimension = breakdown.dimension and counts.category = breakdown.category
    left join shares on shares.dimension = breakdown.dimension and shares.category = breakdown.category
    left join total on true
    order by dimension_label.dimension_order, category.sort_order
)

select * from final
