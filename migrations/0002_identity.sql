-- Identity: the users and API clients of each organisation (a tenant of lml.tenants).
--
-- Both tables are tenant tables with the same Row-Level Security as 0001. Passwords and
-- client secrets are stored only as password hashes (Argon2 PHC strings). Usernames are
-- stored normalised (NFKC, case-folded, trimmed) by the application, so the unique
-- constraint is the case-insensitive uniqueness rule.

create table lml.users (
    tenant_id text not null references lml.tenants (tenant_id),
    id text primary key,
    username text not null check (username <> ''),
    password_hash text not null,
    scopes text[] not null default '{}',
    created_at timestamptz not null default now(),
    constraint users_tenant_id_key unique (tenant_id, id),
    constraint users_username_key unique (tenant_id, username)
);

create table lml.api_clients (
    tenant_id text not null references lml.tenants (tenant_id),
    client_id text primary key,
    name text not null,
    secret_hash text not null,
    scopes text[] not null default '{}',
    created_at timestamptz not null default now(),
    constraint api_clients_tenant_client_id_key unique (tenant_id, client_id)
);

select lml.isolate_tenant(table_name::regclass)
from unnest(array['lml.users', 'lml.api_clients']) as table_name;

grant select, insert, update, delete on lml.users, lml.api_clients to lml_app;

-- The token endpoint learns the organisation from the client_id before any tenant is
-- set, so it needs this one lookup across tenants. It returns the tenant id and
-- nothing else; every other read of api_clients stays behind RLS. SECURITY DEFINER
-- runs it as the owner; pg_temp goes last so no temporary object can shadow a name.
create function lml.tenant_of_client(p_client_id text) returns text
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$ select tenant_id from lml.api_clients where client_id = p_client_id $$;
revoke all on function lml.tenant_of_client(text) from public;
grant execute on function lml.tenant_of_client(text) to lml_app;

-- FORCE ROW LEVEL SECURITY filters the owner too, so unless the owner is a superuser
-- the function above would find nothing. This policy lets the owner read api_clients
-- only while it acts for another session user, which is what running inside one of
-- its SECURITY DEFINER functions means; the owner's own sessions stay filtered.
do $$
begin
    execute format(
        'create policy tenant_of_client_lookup on lml.api_clients for select to %I'
        ' using (current_user <> session_user)',
        current_user);
end
$$;
