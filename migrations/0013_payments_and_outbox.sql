-- Payments, the webhook inbox and the worker's outbox (issue #13 items 2-5;
-- docs/decisions/0012-outbox.md).

-- lml.stripe_events is the inbox: each Stripe event once, by its id. Its processing moves
-- to lml.outbox, the one queue the worker drains, so the columns that tracked it go.
drop index lml.stripe_events_due;
alter table lml.stripe_events
    drop column status,
    drop column attempts,
    drop column next_attempt_at,
    drop column last_error,
    drop column processed_at;
comment on table lml.stripe_events is 'Owner: payments. The webhook inbox: each Stripe event once.';

-- Work to do after a commit, written in the transaction that makes it due: an applied
-- Stripe event, a converted hold's locks to settle. The worker claims due rows across
-- organisations, applies each in its organisation's unit of work, and marks it processed
-- in that same transaction, so a row's effects commit exactly once.
create table lml.outbox (
    tenant_id text not null references lml.tenants (tenant_id),
    id bigint generated always as identity primary key,
    topic text not null,
    payload jsonb not null,
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    last_error text,
    created_at timestamptz not null default now(),
    processed_at timestamptz,
    dead_at timestamptz,
    check (processed_at is null or dead_at is null)
);
create index outbox_due on lml.outbox (next_attempt_at, id)
    where processed_at is null and dead_at is null;
create index outbox_dead on lml.outbox (dead_at, id) where dead_at is not null;
select lml.isolate_tenant('lml.outbox'::regclass);
grant select, insert, update on lml.outbox to lml_app;
comment on table lml.outbox is
    'Owner: platform. The outbox (lml_outbox): written by the sale''s wiring and payments in their own transactions, drained by the worker.';

-- As for lml.orders (0012): the owner reads and leases rows of every organisation only
-- inside its SECURITY DEFINER functions.
do $$
begin
    execute format(
        'create policy outbox_claim on lml.outbox for all to %I'
        ' using (current_user <> session_user) with check (current_user <> session_user)',
        current_user);
end
$$;

-- Due rows, oldest first, leased for p_lease: each claim counts as an attempt, so a row
-- whose worker died is claimed again once its lease ends, and a row that kills every
-- worker still runs out of attempts. SKIP LOCKED passes over rows another claim holds.
create function lml.claim_outbox(p_limit integer, p_lease interval)
    returns table (tenant_id text, id bigint, topic text, payload jsonb, attempts integer,
                   created_at timestamptz)
    language sql volatile security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        update lml.outbox o
        set next_attempt_at = now() + p_lease, attempts = o.attempts + 1
        from (select d.id from lml.outbox d
              where d.processed_at is null and d.dead_at is null and d.next_attempt_at <= now()
              order by d.next_attempt_at, d.id
              limit least(greatest(coalesce(p_limit, 0), 0), 1000)
              for update skip locked) due
        where o.id = due.id
        returning o.tenant_id, o.id, o.topic, o.payload, o.attempts, o.created_at
    $$;
comment on function lml.claim_outbox(integer, interval) is 'Owner: platform.';
revoke all on function lml.claim_outbox(integer, interval) from public;
grant execute on function lml.claim_outbox(integer, interval) to lml_app;

-- The age of the oldest due row (null when none is due): the outbox lag.
create function lml.outbox_lag() returns interval
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select now() - min(o.created_at) from lml.outbox o
        where o.processed_at is null and o.dead_at is null
    $$;
comment on function lml.outbox_lag() is 'Owner: platform.';
revoke all on function lml.outbox_lag() from public;
grant execute on function lml.outbox_lag() to lml_app;

-- Dead letters, newest first, and the operator's replay of one.
create function lml.dead_outbox(p_limit integer)
    returns table (tenant_id text, id bigint, topic text, payload jsonb, attempts integer,
                   last_error text, dead_at timestamptz)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select o.tenant_id, o.id, o.topic, o.payload, o.attempts, o.last_error, o.dead_at
        from lml.outbox o where o.dead_at is not null
        order by o.dead_at desc, o.id desc
        limit least(greatest(coalesce(p_limit, 0), 0), 1000)
    $$;
comment on function lml.dead_outbox(integer) is 'Owner: platform.';
revoke all on function lml.dead_outbox(integer) from public;
grant execute on function lml.dead_outbox(integer) to lml_app;

create function lml.retry_outbox(p_id bigint) returns boolean
    language sql volatile security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        with revived as (
            update lml.outbox o
            set dead_at = null, attempts = 0, next_attempt_at = now()
            where o.id = p_id and o.dead_at is not null
            returning 1)
        select exists (select from revived)
    $$;
comment on function lml.retry_outbox(bigint) is 'Owner: platform.';
revoke all on function lml.retry_outbox(bigint) from public;
grant execute on function lml.retry_outbox(bigint) to lml_app;

-- One payment intent per order; its client secret stays with Stripe (asked for again on a
-- repeated request), never in this database.
create table lml.payments (
    tenant_id text not null,
    order_id text primary key,
    intent_id text not null unique,
    amount bigint not null check (amount >= 0),
    currency char(3) not null,
    status text not null default 'requires_payment'
        check (status in ('requires_payment', 'processing', 'succeeded', 'failed', 'refunded')),
    last_error text,
    refund_due_at timestamptz,
    refund_id text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (tenant_id, order_id),
    foreign key (tenant_id, order_id) references lml.orders (tenant_id, id)
);
create index payments_refund_due on lml.payments (refund_due_at)
    where refund_due_at is not null and refund_id is null;
select lml.isolate_tenant('lml.payments'::regclass);
grant select, insert, update on lml.payments to lml_app;
comment on table lml.payments is 'Owner: payments.';

do $$
begin
    execute format(
        'create policy payments_lookup on lml.payments for select to %I'
        ' using (current_user <> session_user)',
        current_user);
end
$$;

-- The organisation and order of an intent, for a Stripe event whose object carries no
-- metadata (a charge names its payment intent only).
create function lml.payment_of_intent(p_intent_id text)
    returns table (tenant_id text, order_id text)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select p.tenant_id, p.order_id from lml.payments p where p.intent_id = p_intent_id
    $$;
comment on function lml.payment_of_intent(text) is 'Owner: payments.';
revoke all on function lml.payment_of_intent(text) from public;
grant execute on function lml.payment_of_intent(text) to lml_app;

-- Payments that succeeded for an order that had already ended unpaid, not yet refunded.
create function lml.refunds_due(p_limit integer)
    returns table (tenant_id text, order_id text, intent_id text, amount bigint,
                   currency char(3), refund_due_at timestamptz)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select p.tenant_id, p.order_id, p.intent_id, p.amount, p.currency, p.refund_due_at
        from lml.payments p
        where p.refund_due_at is not null and p.refund_id is null
        order by p.refund_due_at, p.order_id
        limit least(greatest(coalesce(p_limit, 0), 0), 1000)
    $$;
comment on function lml.refunds_due(integer) is 'Owner: payments.';
revoke all on function lml.refunds_due(integer) from public;
grant execute on function lml.refunds_due(integer) to lml_app;

-- A payment in flight (Stripe said processing) keeps its order from expiring, up to the
-- hard limit the expirer passes.
alter table lml.orders add column payment_in_flight_since timestamptz;

drop function lml.claim_due_orders(integer);
create function lml.claim_due_orders(p_limit integer, p_in_flight_limit interval)
    returns table (tenant_id text, order_id text)
    language sql stable security definer
    set search_path = pg_catalog, lml, pg_temp
    as $$
        select o.tenant_id, o.id from lml.orders o
        where o.status = 'pending' and o.expires_at <= now()
          and (o.payment_in_flight_since is null
               or o.payment_in_flight_since <= now() - p_in_flight_limit)
        order by o.expires_at, o.id
        limit least(greatest(coalesce(p_limit, 0), 0), 10000)
    $$;
comment on function lml.claim_due_orders(integer, interval) is
    'Owner: ordering. The order expirer''s read across organisations: ids only.';
revoke all on function lml.claim_due_orders(integer, interval) from public;
grant execute on function lml.claim_due_orders(integer, interval) to lml_app;

-- A sold hold: its order was paid, its seats are sold for good.
alter table lml.holds drop constraint holds_status_check;
alter table lml.holds add constraint holds_status_check
    check (status in ('active', 'released', 'expired', 'converted', 'sold'));

-- Sells a converted hold's places, in the paid order's transaction: the hold becomes
-- 'sold', its seats still its own 'sold' (their configuration changes, so the event's
-- inventory version goes up), its GA places move from held to sold. Same lock order as
-- every other statement. No row when the hold is not converted (sold already, or freed).
create function lml.sell_converted_hold(p_hold_id text)
    returns table (hold_id text, tenant_id text, event_id text, seat_ids text[], ga text,
                   sales_channel_id text)
    language plpgsql
    set search_path = pg_catalog, lml, pg_temp
    as $$
#variable_conflict use_column
declare
    h lml.holds%rowtype;
    v_zones text[];
begin
    select * into h from lml.holds where id = p_hold_id for update;
    if not found or h.status <> 'converted' then
        return;
    end if;
    select array_agg(g.zone_id order by g.zone_id) into v_zones
    from jsonb_to_recordset(h.ga) as g (zone_id text);
    perform lml.lock_places(array[h.event_id], h.seat_ids, v_zones);
    update lml.holds set status = 'sold' where id = h.id;
    update lml.event_seats s
    set status = 'sold', hold_expires_at = null, version = s.version + 1
    where s.event_id = h.event_id and s.seat_id = any(h.seat_ids) and s.hold_id = h.id;
    update lml.event_zones z
    set held = greatest(z.held - g.quantity, 0), sold = z.sold + g.quantity,
        version = z.version + 1
    from jsonb_to_recordset(h.ga) as g (zone_id text, quantity integer)
    where z.event_id = h.event_id and z.zone_id = g.zone_id;
    return query select h.id, h.tenant_id, h.event_id, h.seat_ids, h.ga::text,
                        h.sales_channel_id;
end
$$;
comment on function lml.sell_converted_hold(text) is 'Owner: seating.';
revoke all on function lml.sell_converted_hold(text) from public;
grant execute on function lml.sell_converted_hold(text) to lml_app;
