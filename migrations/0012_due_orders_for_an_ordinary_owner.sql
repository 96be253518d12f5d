-- lml.claim_due_orders (0011) found nothing when the schema's owner is an ordinary role,
-- as on managed PostgreSQL: FORCE ROW LEVEL SECURITY filters the owner too, so its
-- SECURITY DEFINER function saw no organisation's orders and no order ever expired. As
-- for lml.overdue_holds (0004), the owner may read lml.orders while acting for another
-- session user, which is what running inside one of its SECURITY DEFINER functions means.
do $$
begin
    execute format(
        'create policy due_orders_lookup on lml.orders for select to %I'
        ' using (current_user <> session_user)',
        current_user);
end
$$;

-- The claim no longer locks: its locks lasted only as long as its own statement (each
-- order is then expired in a transaction of its own), and FOR UPDATE would need an update
-- policy for the owner as well. Exactly once comes from the move guarded by the order's
-- status (pending), as before.
create or replace function lml.claim_due_orders(p_limit integer)
    returns table (tenant_id text, order_id text)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select o.tenant_id, o.id from lml.orders o
        where o.status = 'pending' and o.expires_at <= now()
        order by o.expires_at, o.id
        limit least(greatest(coalesce(p_limit, 0), 0), 10000)
    $$;
comment on function lml.claim_due_orders(integer) is
    'Owner: ordering. The order expirer''s read across organisations: ids only.';
