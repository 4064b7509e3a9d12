-- TFPB abatement programmes: for each programme, year and axis of the national frame, the planned, engaged
-- and remaining amounts (the axis subtotal when the file gives one, else the sum of its action lines), and the
-- lines they come from (« document, line », joined by ' ; ').
-- A programme with no amount loaded still lists its axes for its own year, amounts null (never 0).
-- Grain: one row per (programme_id, year, axis_code).
-- Parameters: none.
with axis_lines as (
    select
        programme_id, year, axis_code,
        max(planned) filter (where line_kind = 'sous_total') as subtotal_planned,
        max(engaged) filter (where line_kind = 'sous_total') as subtotal_engaged,
        max(remaining) filter (where line_kind = 'sous_total') as subtotal_remaining,
        sum(planned) filter (where line_kind = 'action') as action_planned,
        sum(engaged) filter (where line_kind = 'action') as action_engaged,
        sum(remaining) filter (where line_kind = 'action') as action_remaining,
        string_agg(distinct coalesce(source.short_title, line.source_id) || ', ' || line.source_ref, ' ; ') as refs
    from tfpb_lines as line
    left join sources as source on source.id = line.source_id
    where line_kind in ('action', 'sous_total')
    group by programme_id, year, axis_code
),

years as (
    select distinct programme_id, year from tfpb_lines
    union
    select id, year from tfpb_programmes
),

final as (
    select
        programme.id as programme_id,
        programme.landlord,
        programme.territory_code as qpv_code,
        territory.name as qpv_name,
        programme.commune,
        years.year,
        axis.code as axis_code,
        axis.rank as axis_rank,
        axis.label as axis_label,
        axis.label_state,
        axis.note as axis_note,
        coalesce(axis_lines.subtotal_planned, axis_lines.action_planned) as planned,
        coalesce(axis_lines.subtotal_engaged, axis_lines.action_engaged) as engaged,
        coalesce(axis_lines.subtotal_remaining, axis_lines.action_remaining) as remaining,
        axis_lines.refs as amount_refs,
        source.short_title || ', ' || programme.source_ref as programme_source,
        programme.note as programme_note
    from tfpb_programmes as programme
    inner join territories as territory on territory.code = programme.territory_code
    inner join sources as source on source.id = programme.source_id
    inner join years on years.programme_id = programme.id
    cross join tfpb_axes as axis
    left join axis_lines
        on axis_lines.programme_id = programme.id and axis_lines.year = years.year
        and axis_lines.axis_code = axis.code
    order by programme.id, years.year, axis.rank
)

select * from final
