-- The six GUSP fiches thématiques: context, stakes (under their heading) and working leads, line by line.
-- Grain: one row per (theme_code, rank).
-- Parameters: none.
with final as (
    select
        theme.code as theme_code,
        theme.rank as theme_rank,
        theme.title as theme_title,
        theme.gusp_kinds,
        item.part,
        part.label as part_label,
        item.rank,
        item.heading,
        item.text,
        source.short_title || ', ' || item.source_ref as source_label,
        source.short_title || ', ' || theme.title_ref as theme_source
    from gusp_theme_items as item
    inner join gusp_themes as theme on theme.code = item.theme_code
    inner join theme_parts as part on part.code = item.part
    inner join sources as source on source.id = item.source_id
    order by theme.rank, item.rank
)

select * from final
