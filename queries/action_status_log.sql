-- The status history of one action: each status with its date, author and source, oldest first.
-- Grain: one row per (status_date, status).
-- Parameters: $action (action id).
with final as (
    select
        history.status_date,
        history.status,
        status.label as status_label,
        history.author,
        history.note,
        source.short_title || ', ' || history.source_ref as source_label
    from action_status_history as history
    inner join action_statuses as status on status.code = history.status
    inner join sources as source on source.id = history.source_id
    where history.action_id = $action
    order by history.status_date, status.sort_order
)

select * from final
