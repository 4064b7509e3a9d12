-- The evaluation indicators of one action with their targets and measured values by date;
-- an indicator with no value yet has one row with a null date.
-- Grain: one row per (indicator_id, kind, value_date).
-- Parameters: $action (action id).
with final as (
    select
        indicator.id as indicator_id,
        indicator.label,
        indicator.unit,
        indicator.note as indicator_note,
        source.short_title || ', ' || indicator.source_ref as indicator_source,
        measure.kind,
        kind.label as kind_label,
        measure.value_date,
        measure.value,
        measure.author,
        value_source.short_title || ', ' || measure.source_ref as value_source
    from action_indicators as indicator
    inner join sources as source on source.id = indicator.source_id
    left join action_indicator_values as measure on measure.indicator_id = indicator.id
    left join measure_kinds as kind on kind.code = measure.kind
    left join sources as value_source on value_source.id = measure.source_id
    where indicator.action_id = $action
    order by indicator.id, measure.value_date, kind.sort_order
)

select * from final
