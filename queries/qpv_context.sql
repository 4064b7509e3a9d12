-- One QPV with its communes and each EPCI it belongs to (a QPV spanning two EPCI has two rows).
-- Grain: one row per epci_code.
-- Parameters: $qpv (QPV code).
with qpv as (
    select code as qpv_code, name as qpv_name, communes
    from territories
    where code = $qpv and kind = 'qpv'
),

parents as (
    select member.member_code as qpv_code, epci.code as epci_code, epci.name as epci_name
    from epci_members as member
    inner join territories as epci on epci.code = member.epci_code
    where member.member_code = $qpv
),

final as (
    select qpv.qpv_code, qpv.qpv_name, qpv.communes, parents.epci_code, parents.epci_name
    from qpv
    inner join parents on parents.qpv_code = qpv.qpv_code
    order by parents.epci_code
)

select * from final
