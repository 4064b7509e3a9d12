-- EPCI that hold at least one QPV, with how many QPV and how many carry a figure.
-- Grain: one row per epci_code.
-- Parameters: none.
with qpv_members as (
    select epci_code, member_code as qpv_code
    from epci_members
    where member_kind = 'qpv'
),

with_figures as (
    select distinct territory_code from observations
),

final as (
    select
        epci.code as epci_code,
        epci.name as epci_name,
        count(*) as qpv_count,
        count(with_figures.territory_code) as qpv_with_figures
    from qpv_members
    inner join territories as epci on epci.code = qpv_members.epci_code
    left join with_figures on with_figures.territory_code = qpv_members.qpv_code
    group by epci.code, epci.name
    order by epci.name
)

select * from final
