-- One QPV with its communes and each EPCI it belongs to (a QPV spanning two EPCI has two rows).
-- Grain: one row per epci_code.
-- Parameters: $quarter (QPV code).
with quarter as (
    select code as qpv_code, name as qpv_name, communes
    from territories
    where code = $quarter and kind = 'qpv'
),

parents as (
    select link.child_code as qpv_code, epci.code as epci_code, epci.name as epci_name
    from territory_links as link
    inner join territories as epci on epci.code = link.parent_code and epci.kind = 'epci'
    where link.child_code = $quarter
),

final as (
    select quarter.qpv_code, quarter.qpv_name, quarter.communes, parents.epci_code, parents.epci_name
    from quarter
    inner join parents on parents.qpv_code = quarter.qpv_code
    order by parents.epci_code
)

select * from final
