-- One vocabulary of the store (units, directions, statuses, sections, breakdowns): codes and labels, in order.
-- Grain: one row per code.
-- Parameters: $vocabulary (units, directions, statuses, sections or breakdowns).
with entries as (
    select 'units' as vocabulary, code, label, sort_order from units
    union all
    select 'directions', code, label, sort_order from directions
    union all
    select 'statuses', code, label, sort_order from statuses
    union all
    select 'sections', code, label, sort_order from sections
    union all
    select 'breakdowns', code, label, sort_order from breakdowns
),

final as (
    select code, label, sort_order
    from entries
    where entries.vocabulary = $vocabulary
    order by sort_order, code
)

select * from final
