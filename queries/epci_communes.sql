-- The communes of one EPCI, with their population, for the fill-in template of a territory.
-- Grain: one row per commune_code.
-- Parameters: $epci (SIREN of the EPCI).
with members as (
    select member_code
    from epci_members
    where epci_code = $epci and member_kind = 'commune'
),

final as (
    select
        commune.code as commune_code,
        commune.name as commune_name,
        commune.population
    from members
    inner join territories as commune on commune.code = members.member_code
    order by commune.name
)

select * from final
