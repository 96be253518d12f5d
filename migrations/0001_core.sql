-- Core schema: tenants, events and their seats, orders, the Stripe inbox, the audit log.
--
-- Every tenant table carries tenant_id and Row-Level Security on
-- tenant_id = lml.current_tenant(), ENABLED and FORCED so even the owner is filtered
-- (superusers still bypass RLS: never run the application as one). Children reference
-- parents on (tenant_id, id), so a row can never point at another tenant's parent.

create schema if not exists lml;
revoke all on schema lml from public;

-- The tenant of the current transaction, set by with_tenant() through
-- set_config('app.tenant_id', ..., true). NULL when unset, which matches no row.
create or replace function lml.current_tenant() returns text
    language sql stable parallel safe
    as $$ select nullif(current_setting('app.tenant_id', true), '') $$;

-- RLS for one tenant table: enabled, forced, and one policy per command. Later
-- migrations call it for every tenant table they create.
create or replace function lml.isolate_tenant(target regclass) returns void
    language plpgsql
    as $$
begin
    execute format('alter table %s enable row level security', target);
    execute format('alter table %s force row level security', target);
    execute format(
        'create policy tenant_select on %s for select using (tenant_id = lml.current_tenant())',
        target);
    execute format(
        'create policy tenant_insert on %s for insert with check (tenant_id = lml.current_tenant())',
        target);
    execute format(
        'create policy tenant_update on %s for update using (tenant_id = lml.current_tenant())'
        ' with check (tenant_id = lml.current_tenant())',
        target);
    execute format(
        'create policy tenant_delete on %s for delete using (tenant_id = lml.current_tenant())',
        target);
end
$$;
revoke all on function lml.isolate_tenant(regclass) from public;

-- The application role. Roles are cluster-wide, so this must be idempotent across every
-- database of the cluster (and across test databases migrated concurrently). Local
-- development uses trust authentication; production sets its password in operations
-- (ALTER ROLE lml_app PASSWORD ...), never in a migration.
do $$
begin
    if not exists (select from pg_roles where rolname = 'lml_app') then
        begin
            create role lml_app login nosuperuser nobypassrls nocreatedb nocreaterole;
        exception when duplicate_object or unique_violation then
            null;  -- another database's migration created it a moment ago
        end;
    end if;
    if exists (
        select from pg_roles where rolname = 'lml_app' and (rolsuper or rolbypassrls)
    ) then
        raise exception 'role lml_app must be neither superuser nor BYPASSRLS';
    end if;
    execute format('grant connect on database %I to lml_app', current_database());
end
$$;

grant usage on schema lml to lml_app;
grant execute on function lml.current_tenant() to lml_app;
-- Tables and sequences that later migrations create (as this migrating role) are the
-- application's to use, but never to own.
alter default privileges in schema lml
    grant select, insert, update, delete on tables to lml_app;
alter default privileges in schema lml
    grant usage, select on sequences to lml_app;

create table lml.tenants (
    tenant_id text primary key,
    name text not null,
    created_at timestamptz not null default now()
);

create table lml.events (
    tenant_id text not null references lml.tenants (tenant_id),
    id text primary key,
    venue_id text not null,
    seatmap_id text not null,
    name text not null,
    starts_at timestamptz not null,
    currency char(3) not null,
    max_seats_per_hold integer not null check (max_seats_per_hold > 0),
    created_at timestamptz not null default now(),
    unique (tenant_id, id)
);
create index events_tenant_starts_at on lml.events (tenant_id, starts_at, id);

create table lml.event_seats (
    tenant_id text not null,
    event_id text not null,
    seat_id text not null,
    status text not null default 'available'
        check (status in ('available', 'held', 'sold', 'blocked')),
    price_category text not null,
    zone_id text,
    sales_channel_id text,
    version bigint not null default 0,
    hold_id text,
    hold_expires_at timestamptz,
    primary key (event_id, seat_id),
    foreign key (tenant_id, event_id) references lml.events (tenant_id, id) on delete cascade
);
create index event_seats_tenant_event on lml.event_seats (tenant_id, event_id);
create index event_seats_hold on lml.event_seats (hold_id) where hold_id is not null;

create table lml.orders (
    tenant_id text not null,
    id text primary key,
    event_id text not null,
    hold_id text not null,
    status text not null default 'pending'
        check (status in ('pending', 'paid', 'expired', 'canceled', 'refunded')),
    buyer_email text not null,
    buyer_name text not null,
    total_amount bigint not null check (total_amount >= 0),
    currency char(3) not null,
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (tenant_id, id),
    -- A hold becomes at most one order.
    unique (tenant_id, hold_id),
    foreign key (tenant_id, event_id) references lml.events (tenant_id, id)
);
create index orders_tenant_created on lml.orders (tenant_id, created_at, id);
create index orders_tenant_event on lml.orders (tenant_id, event_id);
create index orders_pending_expiry on lml.orders (expires_at) where status = 'pending';

create table lml.order_lines (
    tenant_id text not null,
    order_id text not null,
    line_no integer not null check (line_no > 0),
    seat_id text,
    zone_id text,
    price_category text not null,
    amount bigint not null check (amount >= 0),
    primary key (order_id, line_no),
    foreign key (tenant_id, order_id) references lml.orders (tenant_id, id) on delete cascade,
    check (num_nonnulls(seat_id, zone_id) = 1)
);
create index order_lines_tenant_order on lml.order_lines (tenant_id, order_id);

create table lml.stripe_events (
    tenant_id text not null references lml.tenants (tenant_id),
    id text primary key,
    type text not null,
    payload jsonb not null,
    status text not null default 'pending'
        check (status in ('pending', 'processing', 'processed', 'dead')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    last_error text,
    received_at timestamptz not null default now(),
    processed_at timestamptz
);
create index stripe_events_due on lml.stripe_events (next_attempt_at)
    where status in ('pending', 'processing');
create index stripe_events_tenant on lml.stripe_events (tenant_id, received_at);

create table lml.order_audit_log (
    tenant_id text not null,
    id bigint generated always as identity primary key,
    order_id text not null,
    from_status text
        check (from_status in ('pending', 'paid', 'expired', 'canceled', 'refunded')),
    to_status text not null
        check (to_status in ('pending', 'paid', 'expired', 'canceled', 'refunded')),
    reason text not null,
    at timestamptz not null default now(),
    foreign key (tenant_id, order_id) references lml.orders (tenant_id, id)
);
create index order_audit_log_order on lml.order_audit_log (tenant_id, order_id, id);

select lml.isolate_tenant(table_name::regclass)
from unnest(array[
    'lml.tenants', 'lml.events', 'lml.event_seats', 'lml.orders', 'lml.order_lines',
    'lml.stripe_events', 'lml.order_audit_log'
]) as table_name;

grant select, insert, update, delete on
    lml.tenants, lml.events, lml.event_seats, lml.orders, lml.order_lines,
    lml.stripe_events, lml.order_audit_log
    to lml_app;
