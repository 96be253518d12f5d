-- Seating: holds, the source of truth behind the Redis seat locks.
--
-- Redis is the fast gate; PostgreSQL enforces the fencing. A hold takes its seats in
-- lml.event_seats (hold_id, hold_expires_at, version + 1) and its GA places in
-- lml.event_zones.held in the same transaction that records it here, so a second hold
-- of seats that are still held is refused even when Redis has lost its state.

create table lml.holds (
    tenant_id text not null,
    id text primary key,
    event_id text not null,
    -- SHA-256 of the hold token: the token itself is only ever known to the client.
    token_hash bytea not null,
    sales_channel_id text,
    seat_ids text[] not null default '{}',
    -- [{"zone_id": "...", "quantity": n}], sorted by zone_id.
    ga jsonb not null default '[]'::jsonb,
    status text not null default 'active'
        check (status in ('active', 'released', 'expired', 'converted')),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    max_expires_at timestamptz not null,
    ended_at timestamptz,
    unique (tenant_id, id),
    foreign key (tenant_id, event_id) references lml.events (tenant_id, id) on delete cascade,
    check (expires_at <= max_expires_at),
    check ((status = 'active') = (ended_at is null))
);
create index holds_tenant_event on lml.holds (tenant_id, event_id);
create index holds_due on lml.holds (expires_at) where status = 'active';

select lml.isolate_tenant('lml.holds'::regclass);

grant select, insert, update, delete on lml.holds to lml_app;

-- The sweeper ends holds whose time ran out across every organisation, but the
-- application role sees one tenant per transaction. Redis tells it about most of them;
-- this lookup finds those Redis no longer knows (it restarted, failed over or was
-- flushed) so their places still come back. It returns ids and nothing else; the sweeper
-- then works on each hold inside its own tenant. SECURITY DEFINER runs it as the owner;
-- pg_temp goes last so no temporary object can shadow a name.
create function lml.overdue_holds(p_grace interval, p_limit integer)
    returns table (tenant_id text, event_id text, hold_id text)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select tenant_id, event_id, id from lml.holds
        where status = 'active' and expires_at <= now() - p_grace
        order by expires_at
        limit p_limit
    $$;
revoke all on function lml.overdue_holds(interval, integer) from public;
grant execute on function lml.overdue_holds(interval, integer) to lml_app;

-- As for lml.tenant_of_client in 0002: FORCE ROW LEVEL SECURITY filters the owner too,
-- so the owner may read lml.holds only while acting for another session user, which is
-- what running inside one of its SECURITY DEFINER functions means.
do $$
begin
    execute format(
        'create policy overdue_holds_lookup on lml.holds for select to %I'
        ' using (current_user <> session_user)',
        current_user);
end
$$;
