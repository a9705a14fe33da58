import type { AgentStatus, LiveEvent, Wallboard, WallboardFigures } from '@switchboard/shared';
import type { AgentStateService } from '../agents/agent-state-service';
import type { Db } from '../db/database';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../observability/logger';
import type { QueueService } from '../queues/queue-service';
import { type QueueCallTotals, WallboardStore } from './wallboard-store';

type Agents = WallboardFigures['agents'];

function startOfUtcDay(now: number): number {
  const d = new Date(now);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function figures(
  t: Omit<QueueCallTotals, 'queueId'>,
  live: { waiting: number; oldest: number | null; agents: Agents },
  thresholdSeconds: number | null,
  now: number,
  targetPercent: number | null = null,
): WallboardFigures {
  const offered = t.answered + t.notAnswered;
  return {
    waiting: live.waiting,
    longestWaitSeconds: live.oldest === null ? 0 : Math.max(0, Math.floor((now - live.oldest) / 1000)),
    oldestWaitingSince: live.oldest,
    agents: live.agents,
    answeredToday: t.answered,
    abandonedToday: t.notAnswered,
    serviceLevel: {
      percent: offered === 0 ? null : round1((t.answeredWithin / offered) * 100),
      thresholdSeconds,
      targetPercent,
      answeredWithin: t.answeredWithin,
      offered,
    },
    averageSpeedOfAnswerSeconds: t.answered === 0 ? null : round1(t.answerWaitMs / 1000 / t.answered),
    averageHandleTimeSeconds: t.answered === 0 ? null : round1(t.talkSeconds / t.answered),
  };
}

const noAgents = (): Agents => ({ idle: 0, on_call: 0, wrapup: 0, paused: 0, logged_out: 0 });
const zero: Omit<QueueCallTotals, 'queueId'> = {
  answered: 0,
  notAnswered: 0,
  answeredWithin: 0,
  answerWaitMs: 0,
  talkSeconds: 0,
};

/** What moves the wallboard: calls, waiting lists, agents. */
const moving = new Set<LiveEvent['type']>(['call', 'queue_waiting', 'queue_agents', 'agent_state']);

/**
 * The wallboard (docs/supervisor.md): per queue and overall, today's answered/abandoned, service
 * level, ASA and AHT from the CDR, and the waiting lists and agent states now. After a change it
 * publishes the figures again as one `wallboard` event, coalesced so a burst of calls makes one
 * recompute per interval rather than one per event.
 */
export class WallboardService {
  readonly store: WallboardStore;
  private timer: NodeJS.Timeout | null = null;
  private readonly off: () => void;

  constructor(
    db: Db,
    private readonly deps: {
      events: EventBus;
      queues: QueueService;
      agents: AgentStateService;
      logger: Logger;
    },
    private readonly coalesceMs = 500,
  ) {
    this.store = new WallboardStore(db);
    this.off = deps.events.subscribe({ userId: 0, role: 'admin' }, (p) => {
      if (moving.has(p.event.type)) this.changed();
    });
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.current().then(
        (wallboard) =>
          this.deps.events.publish(
            { type: 'wallboard', wallboard, at: wallboard.at },
            { minRole: 'supervisor' },
          ),
        (err) => this.deps.logger.warn({ err }, 'wallboard not computed'),
      );
    }, this.coalesceMs);
    this.timer.unref();
  }

  async current(now = Date.now()): Promise<Wallboard> {
    const since = startOfUtcDay(now);
    const [queues, members, totals] = await Promise.all([
      this.store.queues(),
      this.store.members(),
      this.store.totals(since),
    ]);
    const statusOf = (userId: number): AgentStatus =>
      this.deps.agents.board.get(userId)?.status ?? 'logged_out';
    const overallAgents = noAgents();
    const counted = new Set<number>();
    let overallWaiting = 0;
    let overallOldest: number | null = null;
    const overallTotals = { ...zero };
    const perQueue = queues.map((q) => {
      const agents = noAgents();
      for (const m of members) {
        if (m.queue_id !== q.id) continue;
        const s = statusOf(m.user_id);
        agents[s]++;
        if (!counted.has(m.user_id)) {
          counted.add(m.user_id);
          overallAgents[s]++;
        }
      }
      const waiting = this.deps.queues.waiting(q.id);
      let oldest: number | null = null;
      for (const w of waiting) if (oldest === null || w.joinedAt < oldest) oldest = w.joinedAt;
      overallWaiting += waiting.length;
      if (oldest !== null && (overallOldest === null || oldest < overallOldest)) overallOldest = oldest;
      const t = totals.find((r) => r.queueId === q.id) ?? { ...zero, queueId: q.id };
      for (const k of Object.keys(zero) as Array<keyof typeof zero>) overallTotals[k] += t[k];
      return {
        queueId: q.id,
        name: q.name,
        ...figures(
          t,
          { waiting: waiting.length, oldest, agents },
          q.service_level_s,
          now,
          q.service_level_target,
        ),
      };
    });
    return {
      since,
      at: now,
      queues: perQueue,
      overall: figures(
        overallTotals,
        { waiting: overallWaiting, oldest: overallOldest, agents: overallAgents },
        null,
        now,
      ),
    };
  }

  close(): void {
    this.off();
    if (this.timer) clearTimeout(this.timer);
  }
}
