import { randomUUID } from 'node:crypto';
import { digitsOnly } from '@switchboard/shared';
import { hashPassword } from '../../auth/password';
import { seedMainMenuFlow } from '../../flows/demo-flow';
import { changeBalance } from '../../rating/ledger';
import type { Db } from '../database';
import type { CallType, Disposition, NewCall } from '../schema';
import { seedCrmDemoData } from './crm-demo-data';

export const demoCredentials = [
  { role: 'admin', username: 'admin', agentId: null, password: 'admin', extension: null },
  { role: 'supervisor', username: 'sam', agentId: '2001', password: 'sam', extension: '2001 (web)' },
  { role: 'agent', username: 'alice', agentId: '1001', password: 'alice', extension: '1001 (web)' },
  { role: 'agent', username: 'bob', agentId: '1002', password: 'bob', extension: '1002 (web)' },
  { role: 'agent', username: 'carol', agentId: '1003', password: 'carol', extension: '1003 (web)' },
  {
    role: 'agent',
    username: 'dave',
    agentId: '1004',
    password: 'dave',
    extension: '1004 (SIP, secret dave-secret)',
  },
] as const;
export const demoSubscriber = {
  phoneNumber: '18005550100',
  password: 'demo',
  displayName: 'Demo Subscriber',
  pin: '1234',
  balanceMinor: 2000,
  callerId: '+14155550132',
} as const;

/** The demo rate table (USD): a toll-free, a per-6-seconds, a 30/6 and a per-minute destination. */
export const demoRates = [
  {
    prefix: '1',
    description: 'USA and Canada',
    pricePerMinuteMicros: 10_000,
    connectFeeMicros: 0,
    initialIncrementS: 6,
    incrementS: 6,
  },
  {
    prefix: '1800',
    description: 'USA toll free',
    pricePerMinuteMicros: 0,
    connectFeeMicros: 0,
    initialIncrementS: 60,
    incrementS: 60,
  },
  {
    prefix: '44',
    description: 'United Kingdom',
    pricePerMinuteMicros: 20_000,
    connectFeeMicros: 0,
    initialIncrementS: 30,
    incrementS: 6,
  },
  {
    prefix: '447',
    description: 'United Kingdom mobile',
    pricePerMinuteMicros: 80_000,
    connectFeeMicros: 50_000,
    initialIncrementS: 30,
    incrementS: 6,
  },
  {
    prefix: '84',
    description: 'Vietnam',
    pricePerMinuteMicros: 90_000,
    connectFeeMicros: 0,
    initialIncrementS: 60,
    incrementS: 60,
  },
] as const;

/** Small deterministic generator so every fresh demo database looks the same. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Mateo',
  'Sofia',
  'Lucas',
  'Mia',
  'Ethan',
  'Chloe',
  'Aarav',
  'Yuki',
  'Omar',
  'Hana',
  'Leon',
  'Zara',
  'Ivan',
  'Nina',
  'Tariq',
  'Elena',
  'Kofi',
  'Lena',
  'Diego',
  'Maya',
];
const LAST = [
  'Nguyen',
  'Smith',
  'Garcia',
  'Okafor',
  'Müller',
  'Rossi',
  'Kim',
  'Patel',
  'Silva',
  'Haddad',
  'Novak',
  'Tanaka',
  'Brown',
  'Dubois',
  'Larsen',
];
const COMPANIES = [
  'Northwind Traders',
  'Contoso Ltd',
  'Fabrikam',
  'Tailspin Toys',
  'Wide World Importers',
  null,
  null,
];

/** True when the database has no users yet: the only time demo data may be written. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

export async function seedDemoData(db: Db, now = Date.now()): Promise<void> {
  const rnd = random(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  await db.transaction().execute(async (tx) => {
    const userIds = new Map<string, number>();
    for (const c of demoCredentials) {
      const row = await tx
        .insertInto('users')
        .values({
          username: c.username,
          agent_id: c.agentId,
          display_name: c.username[0]!.toUpperCase() + c.username.slice(1),
          role: c.role,
          password_hash: await hashPassword(c.password),
          time_zone: 'UTC',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      userIds.set(c.username, row.id);
    }
    const uid = (name: string) => userIds.get(name)!;

    const extensions = [
      { user: 'sam', number: '2001', type: 'web' as const, secret: null, rec: 1 },
      { user: 'alice', number: '1001', type: 'web' as const, secret: null, rec: 1 },
      { user: 'bob', number: '1002', type: 'web' as const, secret: null, rec: 0 },
      { user: 'carol', number: '1003', type: 'web' as const, secret: null, rec: 1 },
      { user: 'dave', number: '1004', type: 'sip' as const, secret: 'dave-secret', rec: 0 },
    ];
    await tx
      .insertInto('extensions')
      .values(
        extensions.map((e) => ({
          user_id: uid(e.user),
          number: e.number,
          type: e.type,
          sip_secret: e.secret,
          recording_enabled: e.rec,
          created_at: now,
        })),
      )
      .execute();

    await tx
      .insertInto('pause_reasons')
      .values(
        ['Break', 'Lunch', 'Meeting', 'Training', 'After-call work', 'missed'].map((name, i) => ({
          name,
          sort_order: i,
        })),
      )
      .execute();

    const sales = await tx
      .insertInto('queues')
      .values({ name: 'sales', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const support = await tx
      .insertInto('queues')
      .values({ name: 'support', strategy: 'round-robin', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('queue_members')
      .values([
        { queue_id: sales.id, user_id: uid('alice'), penalty: 0 },
        { queue_id: sales.id, user_id: uid('bob'), penalty: 0 },
        { queue_id: sales.id, user_id: uid('sam'), penalty: 1 },
        { queue_id: support.id, user_id: uid('carol'), penalty: 0 },
        { queue_id: support.id, user_id: uid('dave'), penalty: 0 },
        { queue_id: support.id, user_id: uid('sam'), penalty: 1 },
      ])
      .execute();
    await tx
      .insertInto('agent_states')
      .values(
        [...userIds.entries()]
          .filter(([n]) => n !== 'admin')
          .map(([, id]) => ({ user_id: id, status: 'logged_out', reason: null, changed_at: now })),
      )
      .execute();

    await tx
      .insertInto('inbound_routes')
      .values([
        { number: '5550100', target_type: 'queue', target_id: String(sales.id), created_at: now },
        { number: '5550101', target_type: 'queue', target_id: String(support.id), created_at: now },
        { number: '5550104', target_type: 'extension', target_id: '1004', created_at: now },
      ])
      .execute();
    await seedMainMenuFlow(tx, {
      sales: sales.id,
      support: support.id,
      number: '5550102',
      publishedBy: uid('admin'),
      now,
    });

    // Customers, owned by the agents who "added" them.
    const owners = ['alice', 'bob', 'carol', 'dave', 'sam'];
    const customers: { id: number; owner: number; number: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const owner = uid(owners[i % owners.length]!);
      const c = await tx
        .insertInto('customers')
        .values({
          owner_user_id: owner,
          name: `${pick(FIRST)} ${pick(LAST)}`,
          company: pick(COMPANIES),
          email: null,
          notes: null,
          created_at: now - 60 * 86_400_000,
          updated_at: now - 60 * 86_400_000,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const phoneCount = rnd() < 0.3 ? 2 : 1;
      for (let p = 0; p < phoneCount; p++) {
        const number = `+1${pick(['202', '415', '312', '617', '646'])}555${String(1000 + Math.floor(rnd() * 8999))}`;
        await tx
          .insertInto('customer_phones')
          .values({
            customer_id: c.id,
            number,
            digits: digitsOnly(number),
            label: p === 0 ? 'mobile' : 'office',
          })
          .execute();
        if (p === 0) customers.push({ id: c.id, owner, number });
      }
    }

    // Call history: about 2,000 calls over the last 60 days.
    const agents = ['alice', 'bob', 'carol', 'dave', 'sam'];
    const calls: NewCall[] = [];
    for (let i = 0; i < 2000; i++) {
      const started = now - Math.floor(rnd() * 60 * 86_400_000);
      const type: CallType = rnd() < 0.6 ? 'inbound' : rnd() < 0.7 ? 'manual' : 'auto';
      const roll = rnd();
      const disposition: Disposition =
        roll < 0.72 ? 'answered' : roll < 0.9 ? 'unanswered' : roll < 0.97 ? 'busy' : 'failed';
      const agent = uid(pick(agents));
      const known = rnd() < 0.5 ? pick(customers) : null;
      const number =
        known?.number ??
        `+1${pick(['212', '305', '404', '503', '713'])}555${String(1000 + Math.floor(rnd() * 8999))}`;
      const ring = 2 + Math.floor(rnd() * 20);
      const talk = disposition === 'answered' ? 20 + Math.floor(rnd() * 600) : 0;
      const answered = disposition === 'answered' ? started + ring * 1000 : null;
      const ended = started + (ring + talk) * 1000;
      calls.push({
        call_uuid: randomUUID(),
        type,
        queue_id: type === 'inbound' ? (rnd() < 0.6 ? sales.id : support.id) : null,
        agent_user_id: disposition === 'answered' || type !== 'inbound' ? agent : null,
        customer_id: known?.id ?? null,
        customer_number: number,
        customer_digits: digitsOnly(number),
        caller_number: type === 'inbound' ? number : null,
        called_number: type === 'inbound' ? '5550100' : number,
        started_at: started,
        answered_at: answered,
        ended_at: ended,
        // for manual calls that were unanswered or busy, the duration is the ringing time.
        duration_s: disposition === 'answered' ? talk : type === 'manual' ? ring : 0,
        ring_time_s: ring,
        disposition,
        hangup_cause:
          disposition === 'answered'
            ? 'normal_clearing'
            : disposition === 'busy'
              ? 'user_busy'
              : disposition === 'failed'
                ? 'network_failure'
                : 'no_answer',
        hangup_side: disposition === 'answered' ? (rnd() < 0.5 ? 'customer' : 'agent') : 'system',
        status: 'closed',
        node_id: 'demo',
      });
    }
    for (let i = 0; i < calls.length; i += 250) {
      await tx
        .insertInto('calls')
        .values(calls.slice(i, i + 250))
        .execute();
    }

    // Signed-in time for occupancy: per agent and UTC day with calls, one span from half an hour
    // before their first call to half an hour after their last, with a 30-minute lunch pause in the
    // middle of spans longer than 4 hours.
    const days = new Map<string, { user: number; start: number; end: number }>();
    for (const c of calls) {
      if (c.agent_user_id == null) continue;
      const key = `${c.agent_user_id}:${Math.floor(Number(c.started_at) / 86_400_000)}`;
      const d = days.get(key) ?? { user: c.agent_user_id, start: Infinity, end: -Infinity };
      d.start = Math.min(d.start, Number(c.started_at) - 1_800_000);
      d.end = Math.min(now, Math.max(d.end, Number(c.ended_at) + 1_800_000));
      days.set(key, d);
    }
    for (const d of days.values()) {
      const span = await tx
        .insertInto('agent_sessions')
        .values({
          user_id: d.user,
          node_id: 'demo',
          signed_in_at: d.start,
          signed_out_at: d.end,
          end_reason: 'signed_out',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (d.end - d.start <= 4 * 3_600_000) continue;
      const mid = Math.floor((d.start + d.end) / 2);
      await tx
        .insertInto('agent_pauses')
        .values({
          session_id: span.id,
          user_id: d.user,
          reason: 'Lunch',
          started_at: mid,
          ended_at: mid + 1_800_000,
        })
        .execute();
    }

    await seedCrmDemoData(tx, { userId: uid, customers, now });

    // Prepaid: the default rate table and plan come from migration 0007; the demo
    // subscriber has PIN 1234, 20.00 USD topped up through the ledger and one authorized caller ID.
    const table = await tx
      .selectFrom('rate_tables')
      .select('id')
      .where('name', '=', 'Default')
      .executeTakeFirstOrThrow();
    const plan = await tx
      .selectFrom('plans')
      .select('id')
      .where('rate_table_id', '=', table.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('rate_table_rates')
      .values(
        demoRates.map((r) => ({
          rate_table_id: table.id,
          prefix: r.prefix,
          description: r.description,
          price_per_minute_micros: r.pricePerMinuteMicros,
          connect_fee_micros: r.connectFeeMicros,
          initial_increment_s: r.initialIncrementS,
          increment_s: r.incrementS,
          effective_from: 0,
        })),
      )
      .execute();
    const sub = await tx
      .insertInto('subscribers')
      .values({
        phone_number: demoSubscriber.phoneNumber,
        display_name: demoSubscriber.displayName,
        password_hash: await hashPassword(demoSubscriber.password),
        balance_minor: 0,
        currency: 'USD',
        plan_id: plan.id,
        callback_country: null,
        callback_area: null,
        callback_number: null,
        pin_hash: await hashPassword(demoSubscriber.pin),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await changeBalance(tx, {
      subscriberId: sub.id,
      kind: 'top_up',
      amountMinor: demoSubscriber.balanceMinor,
      actor: { kind: 'system', id: null },
      reason: 'Demo credit',
      at: now,
    });
    await tx
      .insertInto('subscriber_caller_ids')
      .values({ subscriber_id: sub.id, number: demoSubscriber.callerId, created_at: now })
      .execute();

    // Access-number callback: a call to 5550199 rings 2 s, gets busy, and is called back 3 s later;
    // the PIN is asked unless the caller ID is authorized; the balance is played.
    const service = await tx
      .insertInto('callback_services')
      .values({
        name: 'Demo callback',
        access_number: '5550199',
        method: 'call_caller',
        trunk_id: null,
        number: null,
        extension: null,
        caller_id: null,
        ring_ms: 2000,
        delay_ms: 3000,
        first_digit_timeout_ms: 10_000,
        inter_digit_timeout_ms: 5000,
        authorized_only: 0,
        announce_balance: 1,
        credit_query: 1,
        ask_pin: 1,
        security: 'pin',
        trigger: 'ring_then_busy',
        credit_exhausted_prompt: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('inbound_routes')
      .values({
        number: '5550199',
        target_type: 'callback_service',
        target_id: String(service.id),
        created_at: now,
      })
      .execute();

    await tx
      .insertInto('settings')
      .values({
        key: 'numberMasking',
        value: JSON.stringify({ mode: 'off', keepFirst: 2, keepLast: 2, exemptSupervisors: true }),
        updated_at: now,
      })
      .execute();
  });
}
