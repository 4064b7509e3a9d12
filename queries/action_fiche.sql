-- Every field of the fiche type for one action, in the fiche's order; a field the fiche leaves empty has its row,
-- with an empty text and the state non_renseigne.
-- Grain: one row per (field, rank).
-- Parameters: $action (action id).
with final as (
    select
        field.code as field,
        field.label as field_label,
        field.sort_order,
        entry.rank,
        entry.text,
        entry.text_state,
        state.label as text_state_label,
        entry.note,
        source.short_title || ', ' || entry.source_ref as source_label
    from fiche_fields as field
    inner join action_fiche_fields as entry on entry.field = field.code and entry.action_id = $action
    inner join text_states as state on state.code = entry.text_state
    inner join sources as source on source.id = entry.source_id
    order by field.sort_order, entry.rank
)

select * from final
