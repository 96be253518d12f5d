-- The inventory version (0009) is bumped at commit instead of at the update: a sale marks
-- its seats sold early in its transaction, and the bump used to lock the event's one
-- version row from there to the commit, so every sale of an event waited for the one
-- before it to commit (the on-sale rehearsal saw backends queue on that row behind
-- transactions whose processes were starved of CPU). As deferred constraint triggers the
-- bumps run as the transaction commits, and the row is locked only for that moment. A
-- reader in REPEATABLE READ sees the version and the seats of one committed state either
-- way.
drop trigger event_seats_configuration_changed on lml.event_seats;
create constraint trigger event_seats_configuration_changed
    after update on lml.event_seats
    deferrable initially deferred
    for each row
    when (old.price_category is distinct from new.price_category
          or old.sales_channel_id is distinct from new.sales_channel_id
          or (old.status is distinct from new.status
              and (old.status in ('sold', 'blocked') or new.status in ('sold', 'blocked'))))
    execute function lml.bump_inventory_version();

drop trigger event_zones_configuration_changed on lml.event_zones;
create constraint trigger event_zones_configuration_changed
    after update on lml.event_zones
    deferrable initially deferred
    for each row
    when (old.capacity is distinct from new.capacity
          or old.price_category is distinct from new.price_category)
    execute function lml.bump_inventory_version();
