-- Imports in force, newest first: who, when, which file, counts, declared source, figures still citing it.
-- Grain: one row per import_id.
-- Parameters: none.
with cited as (
    select source_id, count(*) as observation_count
    from observations
    group by source_id
),

final as (
    select
        entry.id as import_id,
        entry.imported_at,
        entry.imported_by,
        entry.file_name,
        entry.shape,
        entry.mapping,
        entry.row_count,
        entry.new_count,
        entry.changed_count,
        entry.unchanged_count,
        entry.ignored_count,
        entry.source_id,
        source.title as source_title,
        coalesce(cited.observation_count, 0) as observation_count,
        entry.sha256
    from imports as entry
    left join sources as source on source.id = entry.source_id
    left join cited on cited.source_id = entry.source_id
    order by entry.id desc
)

select * from final
