-- Order expiry in the worker (issue #13 item 5).
--
-- lml.claim_due_orders is the expirer's one read of orders across organisations: pending
-- orders whose expires_at has passed (by the database's clock), oldest due first, ids
-- only. Each order is then expired in its organisation's unit of work, by a move guarded
-- by its status (pending), so of two expirers, or an expirer and a cancel, one wins.
-- FOR UPDATE SKIP LOCKED passes over orders another transaction is moving right now. The
-- limit is bounded here, where the caller cannot get around it.
-- SECURITY DEFINER: it reads every organisation's orders, so it returns ids only.
create function lml.claim_due_orders(p_limit integer)
    returns table (tenant_id text, order_id text)
    language sql volatile security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select o.tenant_id, o.id from lml.orders o
        where o.status = 'pending' and o.expires_at <= now()
        order by o.expires_at, o.id
        limit least(greatest(coalesce(p_limit, 0), 0), 10000)
        for update skip locked
    $$;
comment on function lml.claim_due_orders(integer) is
    'Owner: ordering. The order expirer''s claim across organisations: ids only.';
revoke all on function lml.claim_due_orders(integer) from public;
grant execute on function lml.claim_due_orders(integer) to lml_app;
