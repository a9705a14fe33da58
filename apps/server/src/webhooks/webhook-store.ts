import { randomBytes } from 'node:crypto';
import type {
  Webhook,
  WebhookDelivery,
  WebhookEventType,
  WebhookInput,
  WebhookUpdate,
} from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { WebhooksTable } from '../db/schema';
import { CachedRead } from '../db/table-writes';
import { ApiError } from '../http/api-error';

type Row = Omit<WebhooksTable, 'id' | 'description' | 'enabled' | 'mask_numbers'> & {
  id: number;
  description: string;
  enabled: number;
  mask_numbers: number;
};

function toWebhook(r: Row, pending: number): Webhook {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as WebhookEventType[],
    enabled: r.enabled === 1,
    maskNumbers: r.mask_numbers === 1,
    secret: r.secret,
    createdAt: Number(r.created_at),
    pending,
  };
}

/** Where an event goes: a webhook that takes it, as deliveries need it. */
export type Subscriber = Pick<Webhook, 'id' | 'maskNumbers'>;

/** Webhooks as administrators set them up, and their delivery log. */
export class WebhookStore {
  /**
   * Every call's start, answer and end asks who subscribes: kept in memory until the webhooks are
   * written (`CachedRead`).
   */
  private readonly subscribers: CachedRead<Array<Subscriber & { events: string[] }>>;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.subscribers = new CachedRead(db, ['webhooks'], async () =>
      (
        await db
          .selectFrom('webhooks')
          .select(['id', 'events', 'mask_numbers'])
          .where('enabled', '=', 1)
          .orderBy('id')
          .execute()
      ).map((r) => ({
        id: r.id,
        maskNumbers: r.mask_numbers === 1,
        events: JSON.parse(r.events) as string[],
      })),
    );
  }

  async list(): Promise<Webhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().orderBy('id').execute();
    const pending = await this.db
      .selectFrom('webhook_deliveries')
      .select(['webhook_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'pending')
      .groupBy('webhook_id')
      .execute();
    const byId = new Map(pending.map((p) => [p.webhook_id, Number(p.n)]));
    return rows.map((r) => toWebhook(r, byId.get(r.id) ?? 0));
  }

  async get(id: number): Promise<Webhook> {
    const found = (await this.list()).find((w) => w.id === id);
    if (!found) throw ApiError.notFound('No such webhook');
    return found;
  }

  /** The enabled webhooks that receive this event type. */
  async subscribedTo(type: WebhookEventType): Promise<Subscriber[]> {
    return (await this.subscribers.get()).filter((w) => w.events.includes(type));
  }

  async create(input: Required<WebhookInput>, adminId: number): Promise<number> {
    const now = this.now();
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('webhooks')
        .values({
          url: input.url,
          description: input.description,
          events: JSON.stringify([...new Set(input.events)]),
          secret: `whsec_${randomBytes(24).toString('base64url')}`,
          enabled: input.enabled ? 1 : 0,
          mask_numbers: input.maskNumbers ? 1 : 0,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(
        tx,
        {
          actor: { kind: 'user', id: adminId },
          action: 'create',
          entity: 'webhook',
          entityId: row.id,
          after: { url: input.url, events: input.events },
        },
        now,
      );
      return row.id;
    });
  }

  async update(id: number, patch: WebhookUpdate, adminId: number): Promise<void> {
    const before = await this.get(id);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('webhooks')
        .set({
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.events !== undefined ? { events: JSON.stringify([...new Set(patch.events)]) } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
          ...(patch.maskNumbers !== undefined ? { mask_numbers: patch.maskNumbers ? 1 : 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(tx, {
        actor: { kind: 'user', id: adminId },
        action: 'update',
        entity: 'webhook',
        entityId: id,
        before: { url: before.url, events: before.events, enabled: before.enabled },
        after: patch,
      });
    });
  }

  async remove(id: number, adminId: number): Promise<void> {
    const before = await this.get(id);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
      await tx.deleteFrom('webhooks').where('id', '=', id).execute();
      await recordAudit(tx, {
        actor: { kind: 'user', id: adminId },
        action: 'delete',
        entity: 'webhook',
        entityId: id,
        before: { url: before.url, events: before.events },
      });
    });
  }

  /** The newest deliveries of a webhook first. */
  async deliveries(webhookId: number, limit = 100): Promise<WebhookDelivery[]> {
    await this.get(webhookId);
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      eventType: r.event_type as WebhookEventType | 'ping',
      eventId: r.event_id,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
      lastStatusCode: r.last_status_code,
      lastResponse: r.last_response,
      createdAt: Number(r.created_at),
      deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
    }));
  }
}
