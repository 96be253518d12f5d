-- lml.overdue_holds is the one function that reads holds across organisations, and the
-- application role may call it with any arguments: a negative grace would list holds
-- that have not expired yet, a huge limit would walk every hold. Bound both here, where
-- the caller cannot get around them.

create or replace function lml.overdue_holds(p_grace interval, p_limit integer)
    returns table (tenant_id text, event_id text, hold_id text)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select tenant_id, event_id, id from lml.holds
        where status = 'active'
          and expires_at <= now() - greatest(coalesce(p_grace, interval '0'), interval '0')
        order by expires_at
        limit least(greatest(coalesce(p_limit, 0), 0), 10000)
    $$;
