-- The links an admin set between the objectives of one QPV and actions or indicators (data/contrat/liens.csv).
-- Grain: one row per (objective_id, link_kind, target_id).
-- Parameters: $qpv (QPV code).
with final as (
    select
        link.objective_id,
        case when link.action_id is not null then 'action' else 'indicateur' end as link_kind,
        coalesce(link.action_id, link.indicator_id) as target_id,
        link.set_by,
        link.set_on,
        link.note
    from objective_links as link
    inner join objectives as objective on objective.id = link.objective_id
    where objective.territory_code = $qpv
    order by link.objective_id, link_kind, target_id
)

select * from final
