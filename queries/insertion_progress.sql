-- Insertion clause: hours worked by QPV residents against all hours worked, by operation and year.
-- Grain: one row per (operation, qpv_code, year).
-- Parameters: none.
with final as (
    select
        hours.operation,
        hours.territory_code as qpv_code,
        territory.name as qpv_name,
        hours.year,
        hours.total_hours,
        hours.insertion_hours,
        100 * hours.insertion_hours / hours.total_hours as insertion_share,
        hours.note,
        source.short_title || ', ' || hours.source_ref as source_label
    from insertion_hours as hours
    inner join territories as territory on territory.code = hours.territory_code
    inner join sources as source on source.id = hours.source_id
    order by hours.year, hours.territory_code, hours.operation
)

select * from final
