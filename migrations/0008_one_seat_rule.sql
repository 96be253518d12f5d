-- One rule for "a seat can be taken", written once (issue #11): lml.take_holds and the
-- refusal reads of PostgresInventory call it, and lml_seating.domain.seat_rule is the
-- same rule for the in-memory inventory; a contract test holds the two to the same
-- answers.
--
-- Both are plain SQL without a SET clause so the planner inlines them into the queries
-- that call them: the hot path pays nothing for the rule being a function.
--
-- lml.seat_status_at: a seat's status as of a moment. A seat still marked held by a hold
-- whose time ran out by then is available, swept or not.
create function lml.seat_status_at(p_status text, p_hold_expires_at timestamptz,
                                   p_at timestamptz)
    returns text
    language sql immutable parallel safe
    as $$
        select case when p_status = 'held' and p_hold_expires_at <= p_at then 'available'
                    else p_status end
    $$;
comment on function lml.seat_status_at(text, timestamptz, timestamptz) is 'Owner: seating.';

-- lml.seat_can_be_taken: available as of the moment, and not reserved for a sales channel
-- other than the one the hold comes through. Never null.
create function lml.seat_can_be_taken(p_status text, p_hold_expires_at timestamptz,
                                      p_seat_channel text, p_hold_channel text,
                                      p_at timestamptz)
    returns boolean
    language sql immutable parallel safe
    as $$
        select coalesce(lml.seat_status_at(p_status, p_hold_expires_at, p_at) = 'available'
                        and (p_seat_channel is null or p_seat_channel = p_hold_channel),
                        false)
    $$;
comment on function lml.seat_can_be_taken(text, timestamptz, text, text, timestamptz) is
    'Owner: seating.';

-- lml.take_holds as in 0005, on the one rule, and reading each hold's organisation as
-- org_id, the name the Python code now uses for it.
create or replace function lml.take_holds(p_holds jsonb)
    returns table (hold text, unknown_seats text[], unavailable_seats text[], short_zones text[])
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    -- Custom plans look cheaper for short arrays, so PostgreSQL would plan every
    -- statement on every call; the generic plans use the same primary-key lookups.
    set plan_cache_mode = force_generic_plan
    as $$
declare
    h record;
    v_events text[];
    v_seats text[];
    v_zones text[];
begin
    -- Every seat, then every zone, of the whole batch is locked first.
    select array_agg(distinct w.event_id),
           array_agg(distinct x.seat_id) filter (where x.seat_id is not null),
           array_agg(distinct g.zone_id) filter (where g.zone_id is not null)
    into v_events, v_seats, v_zones
    from jsonb_to_recordset(p_holds) as w (event_id text, seat_ids text[], ga jsonb)
    left join lateral unnest(w.seat_ids) as x (seat_id) on true
    left join lateral jsonb_to_recordset(w.ga) as g (zone_id text) on true;
    perform lml.lock_places(v_events, v_seats, v_zones);

    for h in
        select * from jsonb_to_recordset(p_holds) as x (
            org_id text, id text, event_id text, token_hash text, sales_channel_id text,
            seat_ids text[], ga jsonb, created_at timestamptz, expires_at timestamptz,
            max_expires_at timestamptz)
    loop
        hold := h.id;
        -- Whether a seat can be taken is decided as of this hold's creation: the lock
        -- store's moment, the one its expiries use.
        select coalesce(array_agg(w.seat_id order by w.n) filter (where s.seat_id is null), '{}'),
               coalesce(array_agg(w.seat_id order by w.n) filter (
                   where s.seat_id is not null
                     and not lml.seat_can_be_taken(s.status, s.hold_expires_at,
                                                   s.sales_channel_id, h.sales_channel_id,
                                                   h.created_at)), '{}')
        into unknown_seats, unavailable_seats
        from unnest(h.seat_ids) with ordinality as w (seat_id, n)
        left join lml.event_seats s on s.event_id = h.event_id and s.seat_id = w.seat_id;
        short_zones := '{}';
        if cardinality(unknown_seats) = 0 and cardinality(unavailable_seats) = 0
           and jsonb_array_length(h.ga) > 0 then
            select coalesce(array_agg(g.zone_id order by g.n) filter (
                       where z.zone_id is null or z.held + z.sold + g.quantity > z.capacity), '{}')
            into short_zones
            from rows from (jsonb_to_recordset(h.ga) as (zone_id text, quantity integer))
                with ordinality as g (zone_id, quantity, n)
            left join lml.event_zones z on z.event_id = h.event_id and z.zone_id = g.zone_id;
        end if;
        if cardinality(unknown_seats) = 0 and cardinality(unavailable_seats) = 0
           and cardinality(short_zones) = 0 then
            update lml.event_seats s
            set status = 'held', hold_id = h.id, hold_expires_at = h.expires_at,
                version = s.version + 1
            where s.event_id = h.event_id and s.seat_id = any(h.seat_ids);
            if jsonb_array_length(h.ga) > 0 then
                update lml.event_zones z
                set held = z.held + g.quantity, version = z.version + 1
                from jsonb_to_recordset(h.ga) as g (zone_id text, quantity integer)
                where z.event_id = h.event_id and z.zone_id = g.zone_id;
            end if;
            insert into lml.holds (tenant_id, id, event_id, token_hash, sales_channel_id,
                                   seat_ids, ga, created_at, expires_at, max_expires_at)
            values (h.org_id, h.id, h.event_id, decode(h.token_hash, 'hex'),
                    h.sales_channel_id, h.seat_ids, h.ga, h.created_at, h.expires_at,
                    h.max_expires_at);
        end if;
        return next;
    end loop;
end
$$;
revoke all on function lml.take_holds(jsonb) from public;
grant execute on function lml.take_holds(jsonb) to lml_app;
