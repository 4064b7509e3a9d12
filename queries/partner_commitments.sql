-- The signatories of the GUSP charter and their commitments, as the charter words them.
-- Grain: one row per (partner_id, rank).
-- Parameters: none.
with final as (
    select
        partner.id as partner_id,
        partner.heading as partner_heading,
        partner.name as partner_name,
        partner.kind as partner_kind,
        partner.rank as partner_rank,
        commitment.rank,
        commitment.kind,
        commitment.text,
        commitment.text_state,
        commitment.note,
        source.short_title || ', ' || commitment.source_ref as source_label
    from partner_commitments as commitment
    inner join partners as partner on partner.id = commitment.partner_id
    inner join sources as source on source.id = commitment.source_id
    order by partner.rank, commitment.rank
)

select * from final
