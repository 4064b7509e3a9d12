-- The six GUSP themes of the charter, in its order, with the kinds of GUSP each fiche thématique names.
-- Grain: one row per code.
-- Parameters: none.
with final as (
    select
        theme.code,
        theme.rank,
        theme.label,
        theme.title,
        theme.gusp_kinds,
        source.short_title || ', ' || theme.title_ref as source_label
    from gusp_themes as theme
    inner join sources as source on source.id = theme.source_id
    order by theme.rank
)

select * from final
