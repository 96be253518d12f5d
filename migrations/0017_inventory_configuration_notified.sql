-- Every change of what an event's configuration read returns (migrations/0009: version,
-- zones, sales channels) is announced on the channel 'lml_inventory_configuration', so
-- API processes can keep that read in memory and drop it when it changes
-- (docs/decisions/0014-configuration-cached-until-notified.md). The payload is
-- {"tenant_id", "event_id"}. NOTIFY is delivered when the transaction commits, and only
-- then, so a listener hears of a change once a new read would see it; identical payloads
-- of one transaction are delivered once.
--
-- Zone counters (held, sold) are not announced: every hold changes them, and a NOTIFY
-- serialises the commits that send one. The revalidation reads them again whenever the
-- lock store has none to stand in for them.

-- Announces the event of the changed row. Works for any table with tenant_id and an event
-- id column named by the trigger's argument.
create function lml.notify_inventory_configuration() returns trigger
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
declare
    changed jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
begin
    perform pg_notify('lml_inventory_configuration',
                      json_build_object('tenant_id', changed ->> 'tenant_id',
                                        'event_id', changed ->> tg_argv[0])::text);
    return null;
end
$$;
comment on function lml.notify_inventory_configuration() is 'Owner: seating.';

-- A new version (0009's deferred bump, run as the changing transaction commits).
create trigger event_inventory_versions_bumped
    after insert or update on lml.event_inventory_versions
    for each row
    execute function lml.notify_inventory_configuration('event_id');

-- Zones stocked or removed, and an event's sales channels changed or the event deleted:
-- no version bump (they are not in the snapshot's seats), but the configuration read
-- returns them.
create trigger event_zones_stocked_or_removed
    after insert or delete on lml.event_zones
    for each row
    execute function lml.notify_inventory_configuration('event_id');

-- On catalog's table: it only announces, and what it announces is what catalog publishes
-- through lml.event_hold_terms (the event's sales channel ids, and the event itself).
create trigger events_sales_channels_changed
    after update of sales_channels on lml.events
    for each row
    when (old.sales_channels is distinct from new.sales_channels)
    execute function lml.notify_inventory_configuration('id');

create trigger events_deleted
    after delete on lml.events
    for each row
    execute function lml.notify_inventory_configuration('id');
