-- The QPV of one EPCI (a QPV spanning two EPCI belongs to both), with their communes.
-- Grain: one row per qpv_code.
-- Parameters: $epci (SIREN of the EPCI).
with members as (
    select member_code as qpv_code
    from epci_members
    where epci_code = $epci and member_kind = 'qpv'
),

figures as (
    select territory_code, count(*) as observation_count
    from observations
    group by territory_code
),

final as (
    select
        qpv.code as qpv_code,
        qpv.name as qpv_name,
        qpv.communes,
        coalesce(figures.observation_count, 0) as observation_count
    from members
    inner join territories as qpv on qpv.code = members.qpv_code
    left join figures on figures.territory_code = qpv.code
    order by qpv.name
)

select * from final
