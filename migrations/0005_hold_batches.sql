-- Holds recorded and ended in batches: one transaction, one round trip, for every hold a
-- busy API process has waiting (lml_batching). Each hold is still all or nothing on its
-- own.
--
-- lml.take_holds records holds and takes their seats and places.
--
-- p_holds is a JSON array of holds: {tenant_id, id, event_id, token_hash (hex),
-- sales_channel_id, seat_ids, ga: [{zone_id, quantity}], created_at, expires_at,
-- max_expires_at}. One row comes back per hold, in the same order: empty arrays when the
-- hold was recorded and took all its seats and places, else what stopped it (unknown
-- seats; seats sold, blocked, held or reserved for another channel; zones short of
-- room) and nothing of it was taken.
--
-- A hold changes only non-indexed columns of its seats' rows, so PostgreSQL can update
-- them in place (HOT: no new index entries, no index bloat at an on-sale's rate of
-- updates) when the page has room: hence the fill factor, and no index on hold_id
-- (a hold's seats are found by their ids, which lml.holds records).
drop index lml.event_seats_hold;
alter table lml.event_seats set (fillfactor = 70);

-- Indexes that lead with tenant_id match the Row-Level Security filter alone, and a
-- plan made while a table is small (a new deployment, the first minute of an on-sale)
-- may then pick one to find a single row: each lookup of a hold by id walked every hold
-- of its organisation, slower and slower as the on-sale went on. The primary keys
-- already lead with event_id for the seats and zones of an event (and for deleting an
-- event's rows); holds get an index on event_id for that.
drop index lml.event_seats_tenant_event;
drop index lml.event_zones_tenant_event;
drop index lml.holds_tenant_event;
create index holds_event on lml.holds (event_id);

-- Locks these seats, then these zones, of these events in one order (event, then id), the
-- order every statement that locks more than one of them uses, so no two transactions
-- deadlock. A batch spanning events may lock a few more rows than it needs; it is rare,
-- and the arrays keep the lookups on the primary keys.
create function lml.lock_places(p_events text[], p_seats text[], p_zones text[])
    returns void
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    set plan_cache_mode = force_generic_plan
    as $$
begin
    perform 1 from lml.event_seats s
    where s.event_id = any(p_events) and s.seat_id = any(p_seats)
    order by s.event_id, s.seat_id
    for update of s;
    if p_zones is not null then
        perform 1 from lml.event_zones z
        where z.event_id = any(p_events) and z.zone_id = any(p_zones)
        order by z.event_id, z.zone_id
        for update of z;
    end if;
end
$$;
revoke all on function lml.lock_places(text[], text[], text[]) from public;
grant execute on function lml.lock_places(text[], text[], text[]) to lml_app;

-- SECURITY INVOKER: it runs as lml_app under the caller's tenant, so Row-Level Security
-- applies to every statement as it does to the application's own.
create function lml.take_holds(p_holds jsonb)
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
            tenant_id text, id text, event_id text, token_hash text, sales_channel_id text,
            seat_ids text[], ga jsonb, created_at timestamptz, expires_at timestamptz,
            max_expires_at timestamptz)
    loop
        hold := h.id;
        -- A seat can be taken when it is available, or held by a hold that expired by
        -- this one's creation, and when its sales channel allows this hold's.
        select coalesce(array_agg(w.seat_id order by w.n) filter (where s.seat_id is null), '{}'),
               coalesce(array_agg(w.seat_id order by w.n) filter (
                   where s.seat_id is not null
                     and not coalesce(
                         (s.status = 'available'
                          or (s.status = 'held' and s.hold_expires_at <= h.created_at))
                         and (s.sales_channel_id is null
                              or s.sales_channel_id = h.sales_channel_id),
                         false)), '{}')
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
            values (h.tenant_id, h.id, h.event_id, decode(h.token_hash, 'hex'),
                    h.sales_channel_id, h.seat_ids, h.ga, h.created_at, h.expires_at,
                    h.max_expires_at);
        end if;
        return next;
    end loop;
end
$$;
revoke all on function lml.take_holds(jsonb) from public;
grant execute on function lml.take_holds(jsonb) to lml_app;

-- lml.end_holds ends active holds and frees what they still hold. p_ends is a JSON array
-- of {id, status, at, token_hash (hex or null)}: with a token digest, only the hold with
-- that token, before it expires (a release); without, any active hold (expiry). One row
-- comes back per hold ended, as it was, with n, its 1-based place in p_ends. A hold named
-- twice ends once.
create function lml.end_holds(p_ends jsonb)
    returns table (id text, tenant_id text, event_id text, seat_ids text[], ga text,
                   sales_channel_id text, status text, created_at timestamptz,
                   expires_at timestamptz, max_expires_at timestamptz, n bigint)
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    set plan_cache_mode = force_generic_plan
    as $$
#variable_conflict use_column
declare
    e record;
    v_ids text[];
    v_events text[];
    v_seats text[];
    v_zones text[];
begin
    -- The holds' rows first (by id), then their seats and zones (lml.lock_places).
    select array_agg(distinct x.id) into v_ids
    from jsonb_to_recordset(p_ends) as x (id text);
    -- Each hold looked up by its key on its own: with statistics that lag an on-sale's
    -- inserts, a plan over all ids at once may scan every active hold instead.
    perform 1 from unnest(v_ids) as w (id)
    cross join lateral (select 1 from lml.holds h where h.id = w.id for update) as locked;
    select array_agg(distinct h.event_id),
           array_agg(distinct s.seat_id) filter (where s.seat_id is not null),
           array_agg(distinct g.zone_id) filter (where g.zone_id is not null)
    into v_events, v_seats, v_zones
    from unnest(v_ids) as w (id)
    cross join lateral (
        select h.event_id, h.seat_ids, h.ga from lml.holds h
        where h.id = w.id and h.status = 'active'
        offset 0
    ) as h
    left join lateral unnest(h.seat_ids) as s (seat_id) on true
    left join lateral jsonb_to_recordset(h.ga) as g (zone_id text) on true;
    perform lml.lock_places(v_events, v_seats, v_zones);

    for e in
        select * from rows from (
            jsonb_to_recordset(p_ends) as (id text, status text, at timestamptz, token_hash text)
        ) with ordinality as x (id, status, at, token_hash, n)
    loop
        return query
        with ended as (
            update lml.holds h set status = e.status, ended_at = e.at
            where h.id = e.id and h.status = 'active'
              and (e.token_hash is null
                   or (h.token_hash = decode(e.token_hash, 'hex') and h.expires_at > e.at))
            returning h.id, h.tenant_id, h.event_id, h.seat_ids, h.ga, h.sales_channel_id,
                      h.created_at, h.expires_at, h.max_expires_at
        ),
        freed as (
            update lml.event_seats s
            set status = 'available', hold_id = null, hold_expires_at = null,
                version = s.version + 1
            from ended
            where s.event_id = ended.event_id and s.seat_id = any(ended.seat_ids)
              and s.hold_id = ended.id
        ),
        returned as (
            update lml.event_zones z
            set held = greatest(z.held - g.quantity, 0), version = z.version + 1
            from ended, jsonb_to_recordset(ended.ga) as g (zone_id text, quantity integer)
            where z.event_id = ended.event_id and z.zone_id = g.zone_id
        )
        select ended.id, ended.tenant_id, ended.event_id, ended.seat_ids, ended.ga::text,
               ended.sales_channel_id, 'active'::text, ended.created_at, ended.expires_at,
               ended.max_expires_at, e.n
        from ended;
    end loop;
end
$$;
revoke all on function lml.end_holds(jsonb) from public;
grant execute on function lml.end_holds(jsonb) to lml_app;
