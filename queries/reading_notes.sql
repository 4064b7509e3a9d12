-- What the project noted while reading the documents: damaged cells, counts that disagree, choices made.
-- Grain: one row per note_id.
-- Parameters: none.
with final as (
    select
        note.id as note_id,
        note.topic,
        note.text,
        case when note.source_id is null then null else source.short_title || ', ' || note.source_ref end
            as source_label
    from reading_notes as note
    left join sources as source on source.id = note.source_id
    order by note.topic, note.id
)

select * from final
