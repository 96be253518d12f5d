-- A payment Stripe reported while its order was pending must not lose the order to the
-- expirer because no worker has applied it yet (the worker was down or behind when the
-- order's time ran out): it would then be applied late and refunded, though the buyer
-- paid in time. Payments publishes the payment events it has received and not yet
-- applied; the expirer's claim leaves their orders alone, for at most the same limit as a
-- payment Stripe says is processing.

-- As for lml.payments (0013): the owner reads the inbox of every organisation only inside
-- its SECURITY DEFINER functions (the view runs as its caller: here, that function).
do $$
begin
    execute format(
        'create policy stripe_events_lookup on lml.stripe_events for select to %I'
        ' using (current_user <> session_user)',
        current_user);
end
$$;

create view lml.unapplied_payment_events with (security_invoker = true) as
    select e.tenant_id, p.order_id, e.received_at
    from lml.outbox ob
    join lml.stripe_events e on e.id = ob.payload ->> 'stripe_event_id'
    join lml.payments p on p.intent_id = e.payload -> 'object' ->> 'id'
    where ob.topic = 'stripe.event' and ob.processed_at is null and ob.dead_at is null
      and e.type in ('payment_intent.succeeded', 'payment_intent.processing');
comment on view lml.unapplied_payment_events is
    'Owner: payments. Published: payment events received and not yet applied, by order (the order expirer''s claim waits for them).';
revoke all on lml.unapplied_payment_events from public;

create or replace function lml.claim_due_orders(p_limit integer, p_in_flight_limit interval)
    returns table (tenant_id text, order_id text)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select o.tenant_id, o.id from lml.orders o
        where o.status = 'pending' and o.expires_at <= now()
          and (o.payment_in_flight_since is null
               or o.payment_in_flight_since <= now() - p_in_flight_limit)
          and not exists (
              select 1 from lml.unapplied_payment_events u
              where u.order_id = o.id and u.tenant_id = o.tenant_id
                and u.received_at <= o.expires_at
                and u.received_at > now() - p_in_flight_limit)
        order by o.expires_at, o.id
        limit least(greatest(coalesce(p_limit, 0), 0), 10000)
    $$;
