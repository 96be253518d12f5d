-- Table ownership (docs/decisions/0006-table-ownership.md).
--
-- Every table, view and function of the schema names the one context that owns it: only
-- that context's code writes it or reads it. What another context may use, the owner
-- publishes (a view, a function) and says so with "Published:". The comments are the
-- record tests/integration/test_table_ownership.py holds every service's SQL to; a new
-- table or function gets its comment in the migration that creates it.
--
-- Read paths are views WITH (security_invoker): they run as the caller, so Row-Level
-- Security filters them to the caller's tenant exactly as the table would, and they are
-- read-only to the application (a simple view is otherwise updatable through).

-- Platform: Row-Level Security and the schema's own machinery (lml_tenancy).
comment on function lml.current_tenant() is
    'Owner: platform. Published: the tenant of the transaction, set by with_tenant.';
comment on function lml.isolate_tenant(regclass) is
    'Owner: platform. Row-Level Security for a tenant table, called by migrations.';

-- Identity: organisations, their users and API clients.
comment on table lml.tenants is
    'Owner: identity. The organisations; every tenant table references them by key.';
comment on table lml.users is 'Owner: identity.';
comment on table lml.api_clients is 'Owner: identity.';
comment on function lml.tenant_of_client(text) is
    'Owner: identity. The one lookup across tenants the token endpoint needs.';

-- Catalog: venues and the commercial shape of an event.
comment on table lml.venues is 'Owner: catalog.';
comment on table lml.events is 'Owner: catalog. Read by others through lml.event_hold_terms.';

-- Seating: the inventory of an event (seats and GA counters) and the holds on it.
comment on table lml.event_seats is
    'Owner: seating. Stocked by catalog through lml.stage_event_seats and lml.stock_event.';
comment on table lml.event_zones is
    'Owner: seating. Stocked by lml.stock_event; read by others through lml.event_ga_zones.';
comment on table lml.holds is 'Owner: seating.';
comment on function lml.lock_places(text[], text[], text[]) is 'Owner: seating.';
comment on function lml.take_holds(jsonb) is 'Owner: seating.';
comment on function lml.end_holds(jsonb) is 'Owner: seating.';
comment on function lml.overdue_holds(interval, integer) is 'Owner: seating.';

-- Ordering: orders, their lines and their audit trail (the outbox comes with orders).
comment on table lml.orders is 'Owner: ordering.';
comment on table lml.order_lines is 'Owner: ordering.';
comment on table lml.order_audit_log is 'Owner: ordering.';

-- Payments: the Stripe inbox.
comment on table lml.stripe_events is 'Owner: payments.';

-- What an event lets a hold do: seating checks holds against it.
create view lml.event_hold_terms with (security_invoker = true) as
select e.tenant_id,
       e.id as event_id,
       e.max_seats_per_hold,
       array(
           select channel ->> 'id' from jsonb_array_elements(e.sales_channels) as channel
       ) as sales_channel_ids
from lml.events e;
comment on view lml.event_hold_terms is
    'Owner: catalog. Published: an event''s hold terms (seats per hold, sales channel ids).';

-- An event's GA zones as stocked: catalog lists them with its events.
create view lml.event_ga_zones with (security_invoker = true) as
select z.tenant_id, z.event_id, z.zone_id, z.name, z.price_category, z.capacity
from lml.event_zones z;
comment on view lml.event_ga_zones is
    'Owner: seating. Published: an event''s GA zones as stocked (name, category, capacity).';

revoke all on lml.event_hold_terms, lml.event_ga_zones from lml_app;
grant select on lml.event_hold_terms, lml.event_ga_zones to lml_app;

-- Stocking an event's inventory, in the creating transaction: lml.stage_event_seats
-- creates pg_temp.staged_event_seats (seat_id, price_category, zone_id), dropped at
-- commit, which the caller fills with COPY (PostgreSQL refuses COPY into a table under
-- Row-Level Security); lml.stock_event then writes the event's GA zones from p_zones, a
-- JSON array of {id, name, price_category, capacity}, and moves the staged seats in.
-- SECURITY INVOKER: every row passes the caller's tenant policy.
create function lml.stage_event_seats() returns void
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
begin
    create temporary table staged_event_seats (
        seat_id text, price_category text, zone_id text
    ) on commit drop;
end
$$;
comment on function lml.stage_event_seats() is
    'Owner: seating. Published: stage an event''s seats for lml.stock_event.';
revoke all on function lml.stage_event_seats() from public;
grant execute on function lml.stage_event_seats() to lml_app;

create function lml.stock_event(p_event_id text, p_zones jsonb) returns void
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
declare
    -- Once, not once per row of a stadium.
    v_tenant text := lml.current_tenant();
begin
    insert into lml.event_zones (tenant_id, event_id, zone_id, name, price_category, capacity)
    select v_tenant, p_event_id, z.id, z.name, z.price_category, z.capacity
    from jsonb_to_recordset(p_zones) as z (id text, name text, price_category text, capacity integer);
    insert into lml.event_seats (tenant_id, event_id, seat_id, price_category, zone_id)
    select v_tenant, p_event_id, s.seat_id, s.price_category, s.zone_id
    from pg_temp.staged_event_seats s;
end
$$;
comment on function lml.stock_event(text, jsonb) is
    'Owner: seating. Published: stock a new event''s GA zones and its staged seats.';
revoke all on function lml.stock_event(text, jsonb) from public;
grant execute on function lml.stock_event(text, jsonb) to lml_app;
