-- A webhook delivery used to cost two round trips (whose intent is it, then the inbox
-- insert in that organisation's transaction), one delivery at a time. Payments now
-- publishes one function that does both for a batch of deliveries: the organisation of
-- each event is that of our payment of its intent, believed only where the metadata the
-- event carries (if any) names the same organisation and order; events of no such payment
-- are nobody's and written nowhere. Each new event is kept once by its id, with its outbox
-- row, in the one statement; a concurrent delivery of the same id waits for the first to
-- commit and then writes nothing.

do $$
begin
    execute format(
        'create policy stripe_events_receive on lml.stripe_events for insert to %I'
        ' with check (current_user <> session_user)',
        current_user);
end
$$;

-- p_events: a JSON array of {id, type, payload, intent_id, tenant_id, order_id} (the last
-- two from the event's metadata, null when it has none), ids distinct. One row per element,
-- in order: 'stored', 'duplicate' (kept before) or 'unknown_tenant'.
create function lml.receive_stripe_events(p_events jsonb, p_topic text)
    returns table (outcome text)
    language sql volatile security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        with given as (
            select e.n, e.event ->> 'id' as id, e.event ->> 'type' as type,
                   e.event -> 'payload' as payload, p.tenant_id
            from jsonb_array_elements(p_events) with ordinality as e(event, n)
            left join lml.payments p
              on p.intent_id = e.event ->> 'intent_id'
             and p.tenant_id = coalesce(e.event ->> 'tenant_id', p.tenant_id)
             and p.order_id = coalesce(e.event ->> 'order_id', p.order_id)
        ), stored as (
            insert into lml.stripe_events (tenant_id, id, type, payload)
            select g.tenant_id, g.id, g.type, g.payload from given g
            where g.tenant_id is not null
            on conflict (id) do nothing
            returning tenant_id, id, type
        ), enqueued as (
            insert into lml.outbox (tenant_id, topic, payload)
            select s.tenant_id, p_topic, jsonb_build_object('stripe_event_id', s.id, 'type', s.type)
            from stored s
        )
        select case
                   when g.tenant_id is null then 'unknown_tenant'
                   when exists (select from stored s where s.id = g.id) then 'stored'
                   else 'duplicate'
               end
        from given g
        order by g.n
    $$;
comment on function lml.receive_stripe_events(jsonb, text) is
    'Owner: payments. The webhook inbox''s write: a batch of deliveries, their organisations found and checked, each new event kept once with its outbox row.';
revoke all on function lml.receive_stripe_events(jsonb, text) from public;
grant execute on function lml.receive_stripe_events(jsonb, text) to lml_app;
