import { randomUUID } from 'node:crypto';
import { maskNumber, type NumberMasking, type WebhookEventType } from '@switchboard/shared';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { signWebhook } from './webhook-signature';
import type { Subscriber, WebhookStore } from './webhook-store';

export interface WebhookTimings {
  /** Waits between attempts; the last repeats until `giveUpAfterMs` from the event. */
  retryDelaysMs?: number[];
  giveUpAfterMs?: number;
  /** How often due retries are looked for (new events are sent at once). */
  pollMs?: number;
  requestTimeoutMs?: number;
}

const MINUTE = 60_000;
const defaultRetryDelays = [
  10_000,
  30_000,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
  2 * 60 * MINUTE,
  4 * 60 * MINUTE,
  8 * 60 * MINUTE,
];
const RESPONSE_KEPT = 2000;
const BATCH = 10;

/** Keys whose values are phone numbers in the payloads Switchboard sends. */
const numberKeys = new Set(['number', 'otherParty', 'callerNumber', 'calledNumber', 'customerNumber']);

function maskPayload(value: unknown, mask: (n: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => maskPayload(v, mask));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        numberKeys.has(k) && typeof v === 'string' ? mask(v) : maskPayload(v, mask),
      ]),
    );
  return value;
}

/**
 * Outbound webhooks: each event becomes a delivery row per subscribed webhook (in the database, so a
 * restart loses none), sent signed at once and retried with growing waits for a day until the
 * receiver answers 2xx. Any node may send a due delivery; a claim keeps two from sending it at once.
 */
export class WebhookDeliveries {
  private readonly retryDelays: number[];
  private readonly giveUpAfterMs: number;
  private readonly pollMs: number;
  private readonly requestTimeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      store: WebhookStore;
      logger: Logger;
      masking: () => Promise<NumberMasking>;
      now?: () => number;
      /** Hears each attempt's outcome (metrics). */
      onAttempt?(outcome: 'delivered' | 'retrying' | 'failed'): void;
    },
    timings: WebhookTimings = {},
  ) {
    this.retryDelays = timings.retryDelaysMs ?? defaultRetryDelays;
    this.giveUpAfterMs = timings.giveUpAfterMs ?? 24 * 60 * MINUTE;
    this.pollMs = timings.pollMs ?? 5000;
    this.requestTimeoutMs = timings.requestTimeoutMs ?? 10_000;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /**
   * Queues an event for every enabled webhook that takes its type. `eventId` names the event: the
   * same id twice is delivered once. `data` is built only when some webhook wants the event.
   */
  async emit(type: WebhookEventType, eventId: string, data: () => Promise<object> | object): Promise<void> {
    const hooks = await this.deps.store.subscribedTo(type);
    if (!hooks.length) return;
    await this.insert(hooks, type, eventId, await data());
  }

  /** Whether some enabled webhook takes this event type (an event nobody takes need not be built). */
  async wanted(type: WebhookEventType): Promise<boolean> {
    return (await this.deps.store.subscribedTo(type)).length > 0;
  }

  /** A `ping` to one webhook, so an administrator can see their receiver answer. */
  async ping(webhookId: number, eventId: string): Promise<void> {
    await this.insert([await this.deps.store.get(webhookId)], 'ping', eventId, { ping: true });
  }

  private async insert(hooks: Subscriber[], type: WebhookEventType | 'ping', eventId: string, raw: object) {
    const masking = await this.deps.masking();
    const now = this.now();
    const rows = hooks.map((h) => {
      const payload =
        h.maskNumbers && masking.mode !== 'off' ? maskPayload(raw, (n) => maskNumber(n, masking)) : raw;
      return {
        webhook_id: h.id,
        event_type: type,
        event_id: eventId,
        payload: JSON.stringify({ id: eventId, type, createdAt: now, data: payload }),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_status_code: null,
        last_response: null,
        created_at: now,
        delivered_at: null,
      };
    });
    await this.deps.db
      .insertInto('webhook_deliveries')
      .values(rows)
      .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
      .execute();
    this.wake();
  }

  /** A fresh id for events that have no natural one. */
  static eventId(prefix: string): string {
    return `${prefix}:${randomUUID()}`;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  /** Resolves when nothing is being sent (tests wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sendDue()
      .catch((err) => this.deps.logger.error({ err }, 'webhook deliveries failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async sendDue(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const now = this.now();
      const due = await this.deps.db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
        .select([
          'webhook_deliveries.id',
          'webhook_deliveries.payload',
          'webhook_deliveries.event_type',
          'webhook_deliveries.attempts',
          'webhook_deliveries.created_at',
          'webhooks.url',
          'webhooks.secret',
        ])
        .where('webhook_deliveries.status', '=', 'pending')
        .where('webhook_deliveries.next_attempt_at', '<=', now)
        .where((eb) =>
          eb.or([
            eb('webhook_deliveries.claimed_until', 'is', null),
            eb('webhook_deliveries.claimed_until', '<', now),
          ]),
        )
        .orderBy('webhook_deliveries.next_attempt_at')
        .limit(BATCH)
        .execute();
      if (!due.length) return;
      await Promise.all(due.map((d) => this.attempt(d, now)));
    }
  }

  private async attempt(
    d: {
      id: number;
      payload: string;
      event_type: string;
      attempts: number;
      created_at: number;
      url: string;
      secret: string;
    },
    now: number,
  ): Promise<void> {
    const claim = await this.deps.db
      .updateTable('webhook_deliveries')
      .set({ claimed_until: now + this.requestTimeoutMs + 5000 })
      .where('id', '=', d.id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return;
    let status: number | null = null;
    let response: string;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'switchboard-event': d.event_type,
          'switchboard-delivery': String(d.id),
          'switchboard-signature': signWebhook(d.secret, d.payload, Math.floor(this.now() / 1000)),
        },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      status = res.status;
      response = (await res.text()).slice(0, RESPONSE_KEPT);
    } catch (err) {
      response = `Not delivered: ${(err as Error).message}`;
    }
    const done = this.now();
    const attempts = d.attempts + 1;
    const delivered = status !== null && status >= 200 && status < 300;
    const wait = this.retryDelays[Math.min(attempts - 1, this.retryDelays.length - 1)]!;
    const giveUp = !delivered && done + wait > Number(d.created_at) + this.giveUpAfterMs;
    await this.deps.db
      .updateTable('webhook_deliveries')
      .set({
        status: delivered ? 'delivered' : giveUp ? 'failed' : 'pending',
        attempts,
        next_attempt_at: delivered || giveUp ? null : done + wait,
        claimed_until: null,
        last_status_code: status,
        last_response: response,
        delivered_at: delivered ? done : null,
      })
      .where('id', '=', d.id)
      .execute();
    this.deps.onAttempt?.(delivered ? 'delivered' : giveUp ? 'failed' : 'retrying');
  }
}
