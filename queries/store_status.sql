-- What the store holds: when it was built and which contour layers it has (file names, comma-separated).
-- Grain: one row per (store).
-- Parameters: none.
with settings as (
    select
        max(value) filter (where key = 'built_at') as built_at,
        coalesce(max(value) filter (where key = 'contours'), '') as contour_layers,
        max(value) filter (where key = 'schema_version') as schema_version
    from meta
),

final as (
    select
        'store' as store,
        built_at,
        contour_layers,
        contains(contour_layers, 'qpv2024_france.geojson') as has_qpv_contours,
        schema_version,
        (select count(*) from geometries) as geometry_count
    from settings
)

select * from final
