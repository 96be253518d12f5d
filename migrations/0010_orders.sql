-- Orders from holds (issue #13 item 1; docs/decisions/0006-table-ownership.md, section 3).
--
-- An order is written in the one transaction that converts its hold: ordering's adapters
-- write lml.orders, lml.order_lines and lml.order_audit_log; seating converts the hold
-- through lml.convert_hold; prices come from catalog's published lml.event_prices.

-- Who made each transition (a user, an API client, the system): the audit trail's actor.
alter table lml.order_audit_log add column actor text not null default 'system';

-- An event's currency and the amount of each price category, in minor units.
create view lml.event_prices with (security_invoker = true) as
select e.tenant_id,
       e.id as event_id,
       e.currency,
       coalesce((select jsonb_object_agg(c ->> 'id', (c ->> 'amount')::bigint)
                 from jsonb_array_elements(e.price_categories) as c), '{}'::jsonb) as amounts
from lml.events e;
comment on view lml.event_prices is
    'Owner: catalog. Published: an event''s currency and the amount of each price category.';
revoke all on lml.event_prices from lml_app;
grant select on lml.event_prices to lml_app;

-- Converts an active, unexpired hold whose token digest matches into an order's
-- reservation: the hold becomes 'converted'; its seats stay held by it and no longer
-- expire (hold_expires_at null, which lml.seat_status_at reads as held for good); its GA
-- places stay counted in held. Locks the hold's row, then its seats and zones through
-- lml.lock_places: the order lml.take_holds and lml.end_holds lock in, so a conversion and
-- an expiry of one hold end it exactly once, and never deadlock.
--
-- One row: outcome is 'converted', or the refusal ('unknown', 'token', 'converted_already',
-- 'ended': released, expired, or its seats are no longer its own), with the hold's scope and,
-- when converted, its seats and zones with their price categories.
-- SECURITY INVOKER: Row-Level Security applies, so another organisation's hold is 'unknown'.
create function lml.convert_hold(p_hold_id text, p_token_hash bytea, p_at timestamptz)
    returns table (outcome text, hold_id text, tenant_id text, event_id text,
                   seat_ids text[], ga text, sales_channel_id text, seats jsonb, zones jsonb)
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
#variable_conflict use_column
declare
    h lml.holds%rowtype;
    v_zones text[];
    v_owned integer;
    v_outcome text;
begin
    select * into h from lml.holds where id = p_hold_id for update;
    if not found then
        return query select 'unknown'::text, p_hold_id, null::text, null::text, null::text[],
                            null::text, null::text, null::jsonb, null::jsonb;
        return;
    end if;
    select array_agg(g.zone_id order by g.zone_id) into v_zones
    from jsonb_to_recordset(h.ga) as g (zone_id text);
    perform lml.lock_places(array[h.event_id], h.seat_ids, v_zones);

    select count(*) into v_owned from lml.event_seats s
    where s.event_id = h.event_id and s.seat_id = any(h.seat_ids)
      and s.hold_id = h.id and s.status = 'held';
    v_outcome := case
        when h.token_hash <> p_token_hash then 'token'
        when h.status = 'converted' then 'converted_already'
        when h.status <> 'active' or h.expires_at <= p_at
             or v_owned <> cardinality(h.seat_ids) then 'ended'
        else 'converted' end;
    if v_outcome = 'converted' then
        update lml.holds set status = 'converted', ended_at = p_at where id = h.id;
        update lml.event_seats s set hold_expires_at = null, version = s.version + 1
        where s.event_id = h.event_id and s.seat_id = any(h.seat_ids) and s.hold_id = h.id;
    end if;
    return query select
        v_outcome, h.id, h.tenant_id, h.event_id, h.seat_ids, h.ga::text, h.sales_channel_id,
        case when v_outcome = 'converted' then
            (select coalesce(jsonb_agg(jsonb_build_object('seat_id', s.seat_id,
                                                          'price_category', s.price_category)
                                       order by s.seat_id), '[]'::jsonb)
             from lml.event_seats s
             where s.event_id = h.event_id and s.seat_id = any(h.seat_ids)) end,
        case when v_outcome = 'converted' then
            (select coalesce(jsonb_agg(jsonb_build_object('zone_id', z.zone_id,
                                                          'price_category', z.price_category,
                                                          'quantity', g.quantity)
                                       order by z.zone_id), '[]'::jsonb)
             from jsonb_to_recordset(h.ga) as g (zone_id text, quantity integer)
             join lml.event_zones z on z.event_id = h.event_id and z.zone_id = g.zone_id) end;
end
$$;
comment on function lml.convert_hold(text, bytea, timestamptz) is 'Owner: seating.';
revoke all on function lml.convert_hold(text, bytea, timestamptz) from public;
grant execute on function lml.convert_hold(text, bytea, timestamptz) to lml_app;

-- Frees the places of a converted hold whose order was canceled (or expired), in the
-- order's transaction: the hold becomes 'released'; its seats still its own are available
-- again, its GA places leave held. Same lock order as every other statement: the hold's
-- row, then its seats and zones. No row when the hold is not converted.
create function lml.release_converted_hold(p_hold_id text, p_at timestamptz)
    returns table (hold_id text, tenant_id text, event_id text, seat_ids text[], ga text,
                   sales_channel_id text)
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
#variable_conflict use_column
declare
    h lml.holds%rowtype;
    v_zones text[];
begin
    select * into h from lml.holds where id = p_hold_id for update;
    if not found or h.status <> 'converted' then
        return;
    end if;
    select array_agg(g.zone_id order by g.zone_id) into v_zones
    from jsonb_to_recordset(h.ga) as g (zone_id text);
    perform lml.lock_places(array[h.event_id], h.seat_ids, v_zones);
    update lml.holds set status = 'released', ended_at = p_at where id = h.id;
    update lml.event_seats s
    set status = 'available', hold_id = null, hold_expires_at = null, version = s.version + 1
    where s.event_id = h.event_id and s.seat_id = any(h.seat_ids) and s.hold_id = h.id;
    update lml.event_zones z
    set held = greatest(z.held - g.quantity, 0), version = z.version + 1
    from jsonb_to_recordset(h.ga) as g (zone_id text, quantity integer)
    where z.event_id = h.event_id and z.zone_id = g.zone_id;
    return query select h.id, h.tenant_id, h.event_id, h.seat_ids, h.ga::text,
                        h.sales_channel_id;
end
$$;
comment on function lml.release_converted_hold(text, timestamptz) is 'Owner: seating.';
revoke all on function lml.release_converted_hold(text, timestamptz) from public;
grant execute on function lml.release_converted_hold(text, timestamptz) to lml_app;
