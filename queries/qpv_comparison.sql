-- Each QPV of an EPCI against the EPCI and its commune, for every headline indicator of a period.
-- A QPV with no figure for an indicator still has its row, with a null value and status 'non_disponible'.
-- Grain: one row per (qpv_code, indicator_id).
-- Parameters: $epci (SIREN of the EPCI), $period (millésime, e.g. '2024').
with qpv as (
    select territory.code as qpv_code, territory.name as qpv_name, territory.communes
    from epci_members as member
    inner join territories as territory on territory.code = member.member_code
    where member.epci_code = $epci and member.member_kind = 'qpv'
),

headline as (
    select *
    from sourced_observations
    where period = $period and breakdown = ''
),

shown_indicators as (
    select * from indicators
    where id in (select indicator_id from headline)
),

grid as (
    select qpv.*, shown_indicators.id as indicator_id
    from qpv
    cross join shown_indicators
),

commune_figures as (
    select
        link.child_code as qpv_code,
        headline.indicator_id,
        commune.code as commune_code,
        commune.name as commune_name,
        headline.value as commune_value,
        headline.source_label as commune_source_label,
        row_number() over (
            partition by link.child_code, headline.indicator_id
            order by commune.population desc nulls last, commune.code
        ) as preference
    from territory_links as link
    inner join territories as commune on commune.code = link.parent_code and commune.kind = 'commune'
    inner join headline on headline.territory_code = commune.code and headline.status = 'publie'
),

final as (
    select
        grid.qpv_code,
        grid.qpv_name,
        grid.communes,
        grid.indicator_id,
        indicator.label,
        indicator.short_label,
        indicator.unit,
        indicator.direction,
        indicator.theme,
        indicator.sort_order,
        $period as period,
        figure.value,
        coalesce(figure.status, 'non_disponible') as status,
        figure.source_label,
        figure.source_title,
        figure.note,
        epci.code as epci_code,
        epci.name as epci_name,
        reference.value as epci_value,
        reference.source_label as epci_source_label,
        reference.source_title as epci_source_title,
        commune.commune_code,
        commune.commune_name,
        commune.commune_value,
        commune.commune_source_label,
        figure.value - reference.value as gap  -- colours the map; words and verdicts come from qpv.present.compare
    from grid
    inner join indicators as indicator on indicator.id = grid.indicator_id
    inner join territories as epci on epci.code = $epci
    left join headline as figure
        on figure.territory_code = grid.qpv_code and figure.indicator_id = grid.indicator_id
    left join headline as reference
        on reference.territory_code = $epci and reference.indicator_id = grid.indicator_id
    left join commune_figures as commune
        on commune.qpv_code = grid.qpv_code and commune.indicator_id = grid.indicator_id
        and commune.preference = 1
    order by indicator.sort_order, grid.qpv_name
)

select * from final
