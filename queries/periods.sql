-- Periods (millésimes) for which the QPV of one EPCI, or the EPCI itself, have figures.
-- Grain: one row per period.
-- Parameters: $epci (SIREN of the EPCI).
with territories_of_epci as (
    select member_code as code from epci_members where epci_code = $epci
    union
    select $epci as code
),

final as (
    select distinct observation.period
    from observations as observation
    inner join territories_of_epci on territories_of_epci.code = observation.territory_code
    order by observation.period desc
)

select * from final
