import { formatMinor, type WebCallback, type WebCallbackLeg } from '@switchboard/shared';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { WebCallbacksTable } from '../db/schema';

export type WebCallbackRow = Selectable<WebCallbacksTable>;

function parseLegs(json: string): WebCallbackLeg[] {
  try {
    const legs = JSON.parse(json) as WebCallbackLeg[];
    return Array.isArray(legs) ? legs : [];
  } catch {
    return [];
  }
}

/** A stored web callback as the portal sees it. */
export function toWebCallback(row: WebCallbackRow): WebCallback {
  const connectedAt = row.connected_at === null ? null : Number(row.connected_at);
  const endedAt = row.ended_at === null ? null : Number(row.ended_at);
  return {
    id: row.id,
    callId: row.call_uuid ?? '',
    status: row.status,
    mode: row.mode,
    legs: parseLegs(row.legs),
    createdAt: Number(row.created_at),
    connectedAt,
    endedAt,
    durationS:
      connectedAt !== null && endedAt !== null ? Math.max(0, Math.round((endedAt - connectedAt) / 1000)) : 0,
    cost: row.cost_minor === null ? null : formatMinor(Number(row.cost_minor), row.currency),
    currency: row.currency,
    outcome: row.outcome,
    maxDurationS: row.max_duration_s,
    version: 0,
  };
}

/** The web_callbacks table: one row per request, legs as JSON. */
export class WebCallbackStore {
  constructor(private readonly db: Db) {}

  async insert(values: {
    subscriberId: number;
    mode: WebCallbackRow['mode'];
    legA: string;
    legB: string;
    legs: WebCallbackLeg[];
    clientIp: string | null;
    currency: string;
    nodeId: string | null;
    at: number;
  }): Promise<number> {
    const row = await this.db
      .insertInto('web_callbacks')
      .values({
        subscriber_id: values.subscriberId,
        mode: values.mode,
        leg_a_number: values.legA,
        leg_b_number: values.legB,
        status: 'calling_you',
        legs: JSON.stringify(values.legs),
        client_ip: values.clientIp,
        currency: values.currency,
        node_id: values.nodeId,
        created_at: values.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * How many requests, up to and including `id`, the subscriber (or the address) made in the
   * window: counting by id makes two requests racing at the limit both see each other.
   */
  async countRecent(by: { subscriberId: number } | { clientIp: string }, since: number, upToId: number) {
    let q = this.db
      .selectFrom('web_callbacks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>', since)
      .where('id', '<=', upToId);
    q =
      'subscriberId' in by
        ? q.where('subscriber_id', '=', by.subscriberId)
        : q.where('client_ip', '=', by.clientIp);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('web_callbacks').where('id', '=', id).execute();
  }

  async update(
    id: number,
    fields: Partial<
      Pick<
        WebCallbackRow,
        | 'call_id'
        | 'call_uuid'
        | 'status'
        | 'outcome'
        | 'cost_minor'
        | 'max_duration_s'
        | 'connected_at'
        | 'ended_at'
      >
    > & { legs?: WebCallbackLeg[] },
  ): Promise<void> {
    const { legs, ...rest } = fields;
    await this.db
      .updateTable('web_callbacks')
      .set({ ...rest, ...(legs ? { legs: JSON.stringify(legs) } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async get(subscriberId: number, id: number): Promise<WebCallbackRow | undefined> {
    return this.db
      .selectFrom('web_callbacks')
      .selectAll()
      .where('id', '=', id)
      .where('subscriber_id', '=', subscriberId)
      .executeTakeFirst();
  }

  async list(subscriberId: number, page: number, pageSize: number) {
    const [rows, total] = await Promise.all([
      this.db
        .selectFrom('web_callbacks')
        .selectAll()
        .where('subscriber_id', '=', subscriberId)
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.db
        .selectFrom('web_callbacks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subscriber_id', '=', subscriberId)
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  /** Rows this node left in progress (a crash): closed as interrupted at start-up. */
  async closeInterrupted(nodeId: string | null, at: number): Promise<number> {
    const r = await this.db
      .updateTable('web_callbacks')
      .set({ status: 'ended', ended_at: at, outcome: 'Interrupted: the service restarted during the call' })
      .where('status', '<>', 'ended')
      .where((eb) => (nodeId === null ? eb('node_id', 'is', null) : eb('node_id', '=', nodeId)))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
