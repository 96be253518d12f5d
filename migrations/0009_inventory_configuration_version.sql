-- A version of each event's inventory configuration, read by primary key
-- (docs/decisions/0008-consistent-availability-snapshot.md).
--
-- The availability snapshot's entity tag is made of the stream id (the live state) and
-- this version (what inventory adds): it goes up in the transaction of every change of a
-- seat's sold or blocked status, its price category or its sales channel reservation, and
-- of a zone's capacity or price category. Holds change none of these (a seat going from
-- available to held and back, a zone's held count), so the hot path never touches it: the
-- triggers' WHEN clauses are false for every statement the hold path runs. An event with
-- no row is at version 0; seats and zones are stocked with the event, before anyone can
-- read it, so stocking needs no trigger.

create table lml.event_inventory_versions (
    tenant_id text not null,
    event_id text primary key,
    version bigint not null,
    foreign key (tenant_id, event_id) references lml.events (tenant_id, id) on delete cascade
);

select lml.isolate_tenant('lml.event_inventory_versions'::regclass);

grant select, insert, update, delete on lml.event_inventory_versions to lml_app;

comment on table lml.event_inventory_versions is 'Owner: seating.';

-- SECURITY INVOKER: the row is written under the changing transaction's tenant policy.
create function lml.bump_inventory_version() returns trigger
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
begin
    insert into lml.event_inventory_versions as v (tenant_id, event_id, version)
    values (new.tenant_id, new.event_id, 1)
    on conflict (event_id) do update set version = v.version + 1;
    return null;
end
$$;
comment on function lml.bump_inventory_version() is 'Owner: seating.';

create trigger event_seats_configuration_changed
    after update on lml.event_seats
    for each row
    when (old.price_category is distinct from new.price_category
          or old.sales_channel_id is distinct from new.sales_channel_id
          or (old.status is distinct from new.status
              and (old.status in ('sold', 'blocked') or new.status in ('sold', 'blocked'))))
    execute function lml.bump_inventory_version();

create trigger event_zones_configuration_changed
    after update on lml.event_zones
    for each row
    when (old.capacity is distinct from new.capacity
          or old.price_category is distinct from new.price_category)
    execute function lml.bump_inventory_version();
