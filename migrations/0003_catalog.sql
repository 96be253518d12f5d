-- Catalog: venues, the commercial shape of an event, and its general-admission zones.
--
-- A venue's seatmaps live in MongoDB (bound to the organisation there); PostgreSQL keeps
-- what must be transactional with inventory. Creating an event materialises one
-- lml.event_seats row per seat (0001) and one lml.event_zones row per GA zone (here).

create table lml.venues (
    tenant_id text not null references lml.tenants (tenant_id),
    id text primary key,
    name text not null check (name <> ''),
    created_at timestamptz not null default now(),
    unique (tenant_id, id)
);
create index venues_tenant_created on lml.venues (tenant_id, created_at, id);

-- Price categories ([{id, name, amount}]) and sales channels ([{id, name}]) are small
-- per-event lists, read and written with the event.
alter table lml.events
    add column price_categories jsonb not null default '[]'::jsonb,
    add column sales_channels jsonb not null default '[]'::jsonb,
    add foreign key (tenant_id, venue_id) references lml.venues (tenant_id, id);

-- held and sold count GA places; available = capacity - held - sold, never negative.
create table lml.event_zones (
    tenant_id text not null,
    event_id text not null,
    zone_id text not null,
    name text not null,
    price_category text not null,
    capacity integer not null check (capacity > 0),
    held integer not null default 0 check (held >= 0),
    sold integer not null default 0 check (sold >= 0),
    version bigint not null default 0,
    primary key (event_id, zone_id),
    foreign key (tenant_id, event_id) references lml.events (tenant_id, id) on delete cascade,
    check (held + sold <= capacity)
);
create index event_zones_tenant_event on lml.event_zones (tenant_id, event_id);

select lml.isolate_tenant(table_name::regclass)
from unnest(array['lml.venues', 'lml.event_zones']) as table_name;

grant select, insert, update, delete on lml.venues, lml.event_zones to lml_app;
