-- Display contours for the map of one EPCI: its QPV, and the communes that make up its base layer.
-- Grain: one row per territory_code.
-- Parameters: $epci (SIREN of the EPCI).
with members as (
    select child_code as code from territory_links where parent_code = $epci
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
    where territory.kind in ('qpv', 'commune')
    order by territory.kind desc, territory.code
)

select * from final
