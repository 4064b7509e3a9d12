-- What the convention states for one QPV: irritants, opportunities, priority stakes, objectives.
-- Grain: one row per (section, rank).
-- Parameters: $quarter (QPV code).
with final as (
    select
        statement.section,
        statement.rank,
        statement.text,
        source.short_title || ', ' || statement.source_ref as source_label
    from statements as statement
    inner join sources as source on source.id = statement.source_id
    where statement.territory_code = $quarter
    order by
        case statement.section
            when 'irritants' then 1 when 'opportunites' then 2 when 'enjeux' then 3 else 4
        end,
        statement.rank
)

select * from final
