-- Display contours for the map of one EPCI: its QPV, and the communes that make up its base layer.
-- Grain: one row per territory_code.
-- Parameters: $epci (SIREN of the EPCI).
with members as (
    select member_code as code
    from epci_members
    where epci_code = $epci and member_kind in ('qpv', 'commune')
),

final as (
    select
        territory.code as territory_code,
        territory.name,
        territory.kind,
        geometry.display_geom,
        geometry.xmin, geometry.ymin, geometry.xmax, geometry.ymax
    from members
    inner join territories as territory on territory.code = members.code
    inner join geometries as geometry on geometry.territory_code = territory.code
    order by territory.kind desc, territory.code
)

select * from final
