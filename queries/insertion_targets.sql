-- The insertion targets: share of the hours worked reserved for QPV residents, with the charter's words.
-- Grain: one row per code.
-- Parameters: none.
with final as (
    select
        target.code,
        target.label,
        target.share,
        target.text,
        target.note,
        source.short_title || ', ' || target.source_ref as source_label
    from insertion_targets as target
    inner join sources as source on source.id = target.source_id
    order by target.rank
)

select * from final
