-- Staging views of the store, created with it (the role dbt's staging models play):
-- SQL that several queries share is written once here, never copied into queries/.

-- Territories that belong to an EPCI: its QPV and its communes (a QPV spanning two EPCI belongs to both).
-- Grain: one row per (epci_code, member_code).
create view epci_members as
select
    link.parent_code as epci_code,
    link.child_code as member_code,
    member.kind as member_kind
from territory_links as link
inner join territories as member on member.code = link.child_code
inner join territories as epci on epci.code = link.parent_code and epci.kind = 'epci';

-- Observations with the label of their source: short title, and « short title, line » to cite one figure.
-- Grain: one row per observation (territory_code, indicator_id, period, breakdown, category).
create view sourced_observations as
select
    observation.*,
    source.title as source_full_title,
    source.short_title as source_title,
    source.short_title || ', ' || observation.source_ref as source_label
from observations as observation
inner join sources as source on source.id = observation.source_id;
