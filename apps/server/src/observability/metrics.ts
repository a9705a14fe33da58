import type { AgentStatus, Wallboard } from '@switchboard/shared';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Live SIP figures the gauges read when /metrics is scraped; set once the switch is up. */
export interface SipMetricsSource {
  registrations(): { extensions: number; contacts: number };
  /** Sources banned now. */
  bans?(): number;
  /** Open connections and refused ones by stream transport. */
  connections?(): Array<{ transport: string; open: number; refused: number }>;
  transactions(): { server: number; client: number };
  trunks(): Array<{ name: string; state: string }>;
}

const TRUNK_STATES = ['up', 'down', 'registering', 'unregistered', 'disabled'] as const;
const AGENT_STATES: readonly AgentStatus[] = ['idle', 'on_call', 'wrapup', 'paused', 'logged_out'];

/** A number from an unknown stored value, or null. */
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly inviteForward = new Histogram({
    name: 'switchboard_invite_forward_seconds',
    help: "An inbound INVITE's time in the switch: received by the SIP transport → the callee's INVITE sent",
    buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  /** Filled in by the composition root when the SIP stack starts. */
  sip: SipMetricsSource | undefined;
  readonly sipRegistrations = new Gauge({
    name: 'switchboard_sip_registrations',
    help: 'Registered extensions and their contacts (bindings) on this node',
    labelNames: ['kind'] as const,
    registers: [this.registry],
    collect: () => {
      const r = this.sip?.registrations() ?? { extensions: 0, contacts: 0 };
      this.sipRegistrations.set({ kind: 'extensions' }, r.extensions);
      this.sipRegistrations.set({ kind: 'contacts' }, r.contacts);
    },
  });
  readonly sipTransactions = new Gauge({
    name: 'switchboard_sip_transactions',
    help: 'Live SIP transactions by role',
    labelNames: ['role'] as const,
    registers: [this.registry],
    collect: () => {
      const t = this.sip?.transactions() ?? { server: 0, client: 0 };
      this.sipTransactions.set({ role: 'server' }, t.server);
      this.sipTransactions.set({ role: 'client' }, t.client);
    },
  });
  readonly sipRequests = new Counter({
    name: 'switchboard_sip_requests_total',
    help: 'SIP requests received outside dialogs, by method',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly sipRejected = new Counter({
    name: 'switchboard_sip_rejected_messages_total',
    help: 'SIP messages dropped or answered with an error at the transport layer',
    registers: [this.registry],
  });
  readonly sipDropped = new Counter({
    name: 'switchboard_sip_requests_dropped_total',
    help: 'New SIP requests dropped unanswered because their source was over its rate limit or banned',
    registers: [this.registry],
  });
  readonly sipAuthFailures = new Counter({
    name: 'switchboard_sip_auth_failures_total',
    help: 'SIP REGISTER requests that failed authentication',
    registers: [this.registry],
  });
  readonly sipBans = new Counter({
    name: 'switchboard_sip_bans_total',
    help: 'SIP sources banned, by reason (flood, auth_failures)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly sipBanned = new Gauge({
    name: 'switchboard_sip_banned_sources',
    help: 'SIP source addresses banned now',
    registers: [this.registry],
    collect: () => {
      this.sipBanned.set(this.sip?.bans?.() ?? 0);
    },
  });
  readonly sipConnections = new Gauge({
    name: 'switchboard_sip_connections',
    help: 'Open incoming SIP stream connections by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
    collect: () => {
      for (const c of this.sip?.connections?.() ?? [])
        this.sipConnections.set({ transport: c.transport }, c.open);
    },
  });
  readonly sipConnectionsRefused = new Gauge({
    name: 'switchboard_sip_connections_refused',
    help: 'Incoming SIP stream connections refused by the connection limits since start, by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
    collect: () => {
      for (const c of this.sip?.connections?.() ?? [])
        this.sipConnectionsRefused.set({ transport: c.transport }, c.refused);
    },
  });
  readonly eventStreamsRefused = new Counter({
    name: 'switchboard_event_streams_refused_total',
    help: 'Live event streams refused because the session already had its maximum open',
    registers: [this.registry],
  });
  /** Filled in by the composition root: HTTP connections open now. */
  httpConnectionsSource: (() => number) | undefined;
  readonly httpConnections = new Gauge({
    name: 'switchboard_http_connections',
    help: 'HTTP connections open now (WebSocket and event streams included)',
    registers: [this.registry],
    collect: () => {
      this.httpConnections.set(this.httpConnectionsSource?.() ?? 0);
    },
  });
  readonly httpConnectionsRefused = new Counter({
    name: 'switchboard_http_connections_refused_total',
    help: 'HTTP connections closed by the connection limits (address, total) and requests refused on a reserve connection (reserve)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly trunkState = new Gauge({
    name: 'switchboard_trunk_state',
    help: 'Trunk state: 1 for the state the trunk is in',
    labelNames: ['trunk', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      this.trunkState.reset();
      for (const t of this.sip?.trunks() ?? [])
        for (const s of TRUNK_STATES) this.trunkState.set({ trunk: t.name, state: s }, t.state === s ? 1 : 0);
    },
  });

  /** Filled in by the composition root when the call engine starts. */
  activeCallsSource: (() => number) | undefined;
  readonly activeCalls = new Gauge({
    name: 'switchboard_active_calls',
    help: 'Calls in progress on this node (ringing or connected)',
    registers: [this.registry],
    collect: () => {
      this.activeCalls.set(this.activeCallsSource?.() ?? 0);
    },
  });
  /** Filled in by the composition root: call record writes waiting for the database, and totals. */
  callRecordsSource:
    | (() => { backlog: number; journaled: number; dropped: number; recordingFailures: number })
    | undefined;
  readonly recordingFailures = new Gauge({
    name: 'switchboard_recording_failures',
    help: 'Recordings since start that could not start or were cut short (truncated) because the disk refused a write',
    registers: [this.registry],
    collect: () => {
      this.recordingFailures.set(this.callRecordsSource?.().recordingFailures ?? 0);
    },
  });
  readonly callRecordBacklog = new Gauge({
    name: 'switchboard_call_record_backlog',
    help: 'Call record writes waiting in the local journal for the database',
    registers: [this.registry],
    collect: () => {
      this.callRecordBacklog.set(this.callRecordsSource?.().backlog ?? 0);
    },
  });
  readonly callRecordWrites = new Gauge({
    name: 'switchboard_call_record_journaled_writes',
    help: 'Call record writes since start that went to the journal (journaled) or were refused on replay (dropped)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
    collect: () => {
      const r = this.callRecordsSource?.() ?? { journaled: 0, dropped: 0 };
      this.callRecordWrites.set({ outcome: 'journaled' }, r.journaled);
      this.callRecordWrites.set({ outcome: 'dropped' }, r.dropped);
    },
  });
  readonly callsStarted = new Counter({
    name: 'switchboard_calls_started_total',
    help: 'Calls started, by direction (inbound, outbound, internal)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly callsEnded = new Counter({
    name: 'switchboard_calls_ended_total',
    help: 'Calls ended, by disposition',
    labelNames: ['disposition'] as const,
    registers: [this.registry],
  });

  /** Filled in by the composition root: the wallboard's figures (per queue, today). */
  wallboardSource: (() => Promise<Wallboard>) | undefined;
  private wallboardScrape: Promise<Wallboard | null> | null = null;
  /** One wallboard computation serves every queue gauge of a scrape. */
  private wallboard(): Promise<Wallboard | null> {
    const source = this.wallboardSource;
    this.wallboardScrape ??= source ? source().catch(() => null) : Promise.resolve(null);
    return this.wallboardScrape;
  }

  /** The Prometheus text of every metric, read fresh. */
  async text(): Promise<string> {
    this.wallboardScrape = null;
    try {
      return await this.registry.metrics();
    } finally {
      this.wallboardScrape = null;
    }
  }
  readonly queueWaiting = new Gauge({
    name: 'switchboard_queue_waiting',
    help: 'Callers waiting in each queue now',
    labelNames: ['queue'] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueWaiting.reset();
      for (const q of (await this.wallboard())?.queues ?? [])
        this.queueWaiting.set({ queue: q.name }, q.waiting);
    },
  });
  readonly queueLongestWait = new Gauge({
    name: 'switchboard_queue_longest_wait_seconds',
    help: 'How long the longest-waiting caller of each queue has waited',
    labelNames: ['queue'] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueLongestWait.reset();
      for (const q of (await this.wallboard())?.queues ?? [])
        this.queueLongestWait.set({ queue: q.name }, q.longestWaitSeconds);
    },
  });
  readonly queueCallsToday = new Gauge({
    name: 'switchboard_queue_calls_today',
    help: 'Queue calls since midnight UTC by outcome (answered, abandoned)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueCallsToday.reset();
      for (const q of (await this.wallboard())?.queues ?? []) {
        this.queueCallsToday.set({ queue: q.name, outcome: 'answered' }, q.answeredToday);
        this.queueCallsToday.set({ queue: q.name, outcome: 'abandoned' }, q.abandonedToday);
      }
    },
  });
  readonly queueServiceLevel = new Gauge({
    name: 'switchboard_queue_service_level_ratio',
    help: "Share of today's offered queue calls answered within the queue's threshold (absent before the first call)",
    labelNames: ['queue'] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueServiceLevel.reset();
      for (const q of (await this.wallboard())?.queues ?? [])
        if (q.serviceLevel.percent !== null)
          this.queueServiceLevel.set({ queue: q.name }, q.serviceLevel.percent / 100);
    },
  });
  readonly queueAgents = new Gauge({
    name: 'switchboard_queue_agents',
    help: 'Members of each queue by agent state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueAgents.reset();
      for (const q of (await this.wallboard())?.queues ?? [])
        for (const state of AGENT_STATES) this.queueAgents.set({ queue: q.name, state }, q.agents[state]);
    },
  });
  /** Filled in by the composition root: agents by state on the board. */
  agentStatesSource: (() => Partial<Record<AgentStatus, number>>) | undefined;
  readonly agents = new Gauge({
    name: 'switchboard_agents',
    help: 'Agents by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      const counts = this.agentStatesSource?.() ?? {};
      for (const state of AGENT_STATES) this.agents.set({ state }, counts[state] ?? 0);
    },
  });
  readonly trunkCalls = new Counter({
    name: 'switchboard_trunk_calls_total',
    help: 'Calls through each trunk by direction (outbound counted when the INVITE ends)',
    labelNames: ['trunk', 'direction'] as const,
    registers: [this.registry],
  });
  readonly trunkCallFailures = new Counter({
    name: 'switchboard_trunk_call_failures_total',
    help: 'Outbound trunk calls not answered, by trunk and final SIP status (487: we cancelled)',
    labelNames: ['trunk', 'status'] as const,
    registers: [this.registry],
  });
  countTrunkCall(trunk: string, direction: 'inbound' | 'outbound', status?: number): void {
    this.trunkCalls.inc({ trunk, direction });
    if (direction === 'outbound' && status !== undefined && status >= 300)
      this.trunkCallFailures.inc({ trunk, status: String(status) });
  }
  readonly mediaLoss = new Histogram({
    name: 'switchboard_media_packet_loss_ratio',
    help: 'Packet loss of each call leg over the whole call, as the switch received it',
    buckets: [0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
    registers: [this.registry],
  });
  readonly mediaJitter = new Histogram({
    name: 'switchboard_media_jitter_seconds',
    help: 'Interarrival jitter of each call leg at its end (RFC 3550 §6.4.1), as the switch received it',
    buckets: [0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2],
    registers: [this.registry],
  });
  /** An ended call's `calls.quality`: one object per leg with `lossRate` and `jitterMs`. */
  observeCallQuality(quality: unknown): void {
    if (!quality || typeof quality !== 'object') return;
    for (const leg of Object.values(quality as Record<string, unknown>)) {
      if (!leg || typeof leg !== 'object') continue;
      const { lossRate, jitterMs, packetsReceived } = leg as Record<string, unknown>;
      // A leg that never received media says nothing about the network.
      if (num(packetsReceived) === 0) continue;
      const loss = num(lossRate);
      const jitter = num(jitterMs);
      if (loss !== null) this.mediaLoss.observe(loss);
      if (jitter !== null) this.mediaJitter.observe(jitter / 1000);
    }
  }
  readonly webhookDeliveries = new Counter({
    name: 'switchboard_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retrying, failed: given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly dialerLateness = new Histogram({
    name: 'switchboard_dialer_lateness_seconds',
    help: 'How late each dialer job started past its due time, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  constructor() {
    // No prefix: stock Node.js dashboards look for process_* and nodejs_* as prom-client names them.
    collectDefaultMetrics({ register: this.registry });
  }
}
