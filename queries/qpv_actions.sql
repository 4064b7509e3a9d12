-- The roadmap actions of some QPV with their theme, year, partners, pilots and status as of a date
-- (the latest status dated on or before $as_of; null when none is known yet).
-- Grain: one row per action_id.
-- Parameters: $qpv_codes (list of QPV codes), $as_of (date, 'YYYY-MM-DD').
with statuses as (
    select
        history.*,
        row_number() over (partition by history.action_id order by history.status_date desc, status.sort_order desc)
            as recency
    from action_status_history as history
    inner join action_statuses as status on status.code = history.status
    where history.status_date <= cast($as_of as date)
),

actors as (
    select
        action_id,
        list(name order by name) filter (where role = 'partenaire') as partners,
        list(name order by name) filter (where role = 'pilote') as pilots
    from action_actors
    group by action_id
),

final as (
    select
        action.id as action_id,
        action.territory_code as qpv_code,
        territory.name as qpv_name,
        action.commune,
        action.theme_code,
        theme.label as theme_label,
        theme.rank as theme_rank,
        action.title,
        action.year,
        action.year_note,
        action.note,
        statuses.status,
        status.label as status_label,
        statuses.status_date,
        statuses.author as status_author,
        coalesce(actors.partners, []) as partners,
        coalesce(actors.pilots, []) as pilots,
        exists (select 1 from action_fiche_fields as field where field.action_id = action.id) as has_fiche,
        source.short_title || ', ' || action.source_ref as source_label
    from actions as action
    inner join territories as territory on territory.code = action.territory_code
    inner join gusp_themes as theme on theme.code = action.theme_code
    inner join sources as source on source.id = action.source_id
    left join statuses on statuses.action_id = action.id and statuses.recency = 1
    left join action_statuses as status on status.code = statuses.status
    left join actors on actors.action_id = action.id
    where list_contains($qpv_codes, action.territory_code)
    order by theme.rank, action.year, action.id
)

select * from final
