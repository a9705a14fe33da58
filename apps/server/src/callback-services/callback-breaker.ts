import type { CallbackBreakerSettings, CallbackBreakerStatus } from '@switchboard/shared';
import { recordAudit } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';

const HOUR_MS = 3_600_000;

export interface CallbackBreakerOptions {
  db: Db;
  logger: Logger;
  settings: { callbackBreaker(): Promise<CallbackBreakerSettings> };
  events?: EventBus;
  now: () => number;
}

/**
 * The circuit breaker over all callback services (docs/callback-services.md, "Toll-fraud
 * protection"): the last hour's call back minutes (every answered leg, the ones still up counted to
 * now) and accepted call backs, against the caps in the admin settings. Each node notices the trip
 * itself from the shared tables; it logs, audits and alerts administrators once per trip.
 */
export class CallbackBreaker {
  private trippedAt: number | null = null;

  constructor(private readonly o: CallbackBreakerOptions) {}

  async status(): Promise<CallbackBreakerStatus> {
    const caps = await this.o.settings.callbackBreaker();
    const now = this.o.now();
    const since = now - HOUR_MS;
    const accepted = await this.o.db
      .selectFrom('callback_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '<>', 'refused')
      .where('created_at', '>=', since)
      .executeTakeFirst();
    const legs = await this.o.db
      .selectFrom('call_legs')
      .innerJoin('calls', 'calls.id', 'call_legs.call_id')
      .select(['call_legs.answered_at', 'call_legs.ended_at'])
      .where('calls.service', '=', 'callback')
      .where('call_legs.answered_at', 'is not', null)
      .where((eb) => eb.or([eb('call_legs.ended_at', 'is', null), eb('call_legs.ended_at', '>=', since)]))
      .execute();
    let talkMs = 0;
    for (const l of legs) {
      const from = Math.max(Number(l.answered_at), since);
      const to = Math.min(l.ended_at === null ? now : Number(l.ended_at), now);
      if (to > from) talkMs += to - from;
    }
    // Shown to the hundredth, rounded down, so the figure never reads as the cap before it is reached.
    const minutesLastHour = Math.floor(talkMs / 600) / 100;
    const callsLastHour = Number(accepted?.n ?? 0);
    const reason =
      caps.maxMinutesPerHour !== null && talkMs >= caps.maxMinutesPerHour * 60_000
        ? ('minutes' as const)
        : caps.maxCallsPerHour !== null && callsLastHour >= caps.maxCallsPerHour
          ? ('calls' as const)
          : null;
    return {
      tripped: reason !== null,
      reason,
      minutesLastHour,
      callsLastHour,
      maxMinutesPerHour: caps.maxMinutesPerHour,
      maxCallsPerHour: caps.maxCallsPerHour,
      trippedAt: reason !== null ? (this.trippedAt ?? now) : null,
    };
  }

  /** The status before a new call back is accepted; a change (tripped, closed again) is logged, audited and published. */
  async check(): Promise<CallbackBreakerStatus> {
    const s = await this.status();
    if (s.tripped === (this.trippedAt !== null)) return s;
    this.trippedAt = s.tripped ? s.trippedAt : null;
    const figures = {
      reason: s.reason,
      minutesLastHour: s.minutesLastHour,
      callsLastHour: s.callsLastHour,
      maxMinutesPerHour: s.maxMinutesPerHour,
      maxCallsPerHour: s.maxCallsPerHour,
    };
    if (s.tripped)
      this.o.logger.warn(figures, 'callback circuit breaker tripped: new call backs are refused');
    else this.o.logger.info(figures, 'callback circuit breaker closed: call backs accepted again');
    await recordAudit(
      this.o.db,
      {
        actor: { kind: 'system', id: null },
        action: s.tripped ? 'callback.breaker_tripped' : 'callback.breaker_closed',
        entity: 'callback_breaker',
        entityId: null,
        after: figures,
      },
      this.o.now(),
    ).catch((err) => this.o.logger.warn({ err }, 'audit not written'));
    this.o.events?.publish(
      {
        type: 'callback_breaker',
        tripped: s.tripped,
        reason: s.reason,
        minutesLastHour: s.minutesLastHour,
        callsLastHour: s.callsLastHour,
        at: this.o.now(),
      },
      { minRole: 'admin' },
    );
    return s;
  }
}
