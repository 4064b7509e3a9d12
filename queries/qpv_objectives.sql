-- The objectives tree of one QPV (enjeu → two levels of intercommunal objectives → operational objective),
-- each with its level, the state of its text in the extraction, its source line and note.
-- Grain: one row per objective_id.
-- Parameters: $qpv (QPV code).
with final as (
    select
        objective.id as objective_id,
        objective.parent_id,
        objective.level,
        level.label as level_label,
        level.sort_order as depth,
        objective.rank,
        objective.text,
        objective.text_state,
        state.label as text_state_label,
        objective.note,
        source.short_title || ', ' || objective.source_ref as source_label
    from objectives as objective
    inner join objective_levels as level on level.code = objective.level
    inner join text_states as state on state.code = objective.text_state
    inner join sources as source on source.id = objective.source_id
    where objective.territory_code = $qpv
    order by objective.id
)

select * from final
