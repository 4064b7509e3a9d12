-- What the convention states for one QPV: irritants, opportunities, priority stakes, objectives.
-- Grain: one row per (section, rank).
-- Parameters: $qpv (QPV code).
with final as (
    select
        statement.section,
        section.label as section_label,
        statement.rank,
        statement.text,
        source.short_title || ', ' || statement.source_ref as source_label
    from statements as statement
    inner join sections as section on section.code = statement.section
    inner join sources as source on source.id = statement.source_id
    where statement.territory_code = $qpv
    order by section.sort_order, statement.rank
)

select * from final
