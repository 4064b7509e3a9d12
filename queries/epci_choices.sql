-- EPCI that hold at least one QPV, with how many QPV and how many carry a figure.
-- Grain: one row per epci_code.
-- Parameters: none.
with qpv_links as (
    select link.parent_code as epci_code, link.child_code as qpv_code
    from territory_links as link
    inner join territories as child on child.code = link.child_code and child.kind = 'qpv'
    inner join territories as parent on parent.code = link.parent_code and parent.kind = 'epci'
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
    from qpv_links
    inner join territories as epci on epci.code = qpv_links.epci_code
    left join with_figures on with_figures.territory_code = qpv_links.qpv_code
    group by epci.code, epci.name
    order by epci.name
)

select * from final
