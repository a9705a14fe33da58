import { callbackPlanMissedAfterMs } from '@switchboard/shared';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';

export interface PlanStatusChange {
  id: number;
  ownerUserId: number;
  status: 'due' | 'missed';
}

interface Options {
  now?: () => number;
  logger?: Pick<Logger, 'warn'>;
  /** A due plan not closed within this long becomes missed. */
  missedAfterMs?: number;
  /** Re-read the next due time at least this often (plans written by other nodes). */
  maxDelayMs?: number;
}

/**
 * Turns `scheduled` callback plans `due` when their time passes, and unclosed `due` plans `missed`
 * a day later. One timer, set for the next plan to change — never a poll per plan. The updates are
 * conditional, so several nodes running this agree without coordination.
 */
export class CallbackPlanScheduler {
  private readonly now: () => number;
  private readonly missedAfterMs: number;
  private readonly maxDelayMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly listeners = new Set<(changes: PlanStatusChange[]) => void>();
  /** When the timer fires next (epoch ms), for tests and metrics; null when idle. */
  nextRunAt: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: Options = {},
  ) {
    this.now = options.now ?? Date.now;
    this.missedAfterMs = options.missedAfterMs ?? callbackPlanMissedAfterMs;
    this.maxDelayMs = options.maxDelayMs ?? 3_600_000;
  }

  /** Called with the plans that became due or missed, after the change is stored. */
  onChange(listener: (changes: PlanStatusChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clear();
    await this.running;
  }

  /** A plan was created or rescheduled: re-check now and re-arm the timer. */
  poke(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.run();
  }

  private clear() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAt = null;
  }

  private run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.tick();
        } catch (err) {
          this.options.logger?.warn({ err }, 'callback plan scheduler failed; retrying in a minute');
          this.arm(this.now() + 60_000);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    const becameDue = await this.db
      .updateTable('callback_plans')
      .set({ status: 'due', updated_at: now })
      .where('status', '=', 'scheduled')
      .where('due_at', '<=', now)
      .returning(['id', 'owner_user_id'])
      .execute();
    const missed = await this.db
      .updateTable('callback_plans')
      .set({ status: 'missed', updated_at: now })
      .where('status', '=', 'due')
      .where('due_at', '<=', now - this.missedAfterMs)
      .returning(['id', 'owner_user_id'])
      .execute();
    const changes: PlanStatusChange[] = [
      ...becameDue.map((r) => ({ id: r.id, ownerUserId: r.owner_user_id, status: 'due' as const })),
      ...missed.map((r) => ({ id: r.id, ownerUserId: r.owner_user_id, status: 'missed' as const })),
    ];
    if (changes.length) {
      for (const l of this.listeners) {
        try {
          l(changes);
        } catch (err) {
          this.options.logger?.warn({ err }, 'callback plan listener failed');
        }
      }
    }
    const next = await this.db
      .selectFrom('callback_plans')
      .select((eb) => [
        eb.fn.min('due_at').filterWhere('status', '=', 'scheduled').as('next_due'),
        eb.fn.min('due_at').filterWhere('status', '=', 'due').as('oldest_due'),
      ])
      .executeTakeFirst();
    const candidates = [
      next?.next_due == null ? null : Number(next.next_due),
      next?.oldest_due == null ? null : Number(next.oldest_due) + this.missedAfterMs,
      now + this.maxDelayMs,
    ].filter((v): v is number => v !== null);
    this.arm(Math.min(...candidates));
  }

  private arm(at: number) {
    if (this.stopped) return;
    this.clear();
    const delay = Math.max(0, at - this.now());
    this.nextRunAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delay);
    this.timer.unref?.();
  }
}
