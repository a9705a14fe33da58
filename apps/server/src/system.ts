import { mkdirSync } from 'node:fs';
import type { Server as NodeHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import type { AgentStatus } from '@switchboard/shared';
import { AgentStateService } from './agents/agent-state-service';
import { SessionStore } from './auth/sessions';
import { StoredSignInThrottle } from './auth/sign-in-throttle';
import { CALLBACK_PLAN_JOB, CallbackDialing } from './callback-plans/callback-dialing';
import { CallbackPlanScheduler } from './callback-plans/due-scheduler';
import { CallbackServices } from './callback-services/callback-service';
import { SmsCallback } from './callback-services/sms-callback';
import { CampaignDialing } from './campaigns/campaign-dialing';
import { CAMPAIGN_TASK_JOB, CampaignStore } from './campaigns/campaign-store';
import type { Config } from './config';
import { createDatabase, type Db, pingDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { ensureDefaults } from './db/seed/defaults';
import { isEmptyDatabase, seedDemoData } from './db/seed/demo-data';
import { ensureInitialAdmin } from './db/seed/initial-admin';
import { DoNotCallList } from './dialer/do-not-call';
import { type DialerTimings, startDialer } from './dialer/start-dialer';
import { EventBus } from './events/event-bus';
import { CallFlows } from './flows/call-flows';
import { runCallFlows } from './flows/flow-calls';
import { createApp } from './http/app';
import { HttpConnectionLimits } from './http/connection-limits';
import type { AppDeps, HealthCheck } from './http/deps';
import { trustedProxiesOf } from './http/trusted-proxies';
import { createLogger, type Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { QUEUED_CALLBACK_JOB, QueuedCallbacks } from './queued-callbacks/queued-callbacks';
import { QueueService } from './queues/queue-service';
import { RatingService } from './rating/rating-service';
import { seedDemoRecordings } from './recordings/demo-recordings';
import { purgeExpired, RetentionJob, retentionEnabled } from './retention/retention';
import { SettingsStore } from './settings/settings-store';
import { SoundLibrary } from './sounds/sound-library';
import { SubscriberAccounts } from './subscribers/subscriber-accounts';
import { checkRecordingsStorage } from './switch/call-recordings';
import { NodeDrain } from './switch/node-drain';
import { SipService, type SipServiceOptions } from './switch/sip-service';
import { Switch, type SwitchTimings } from './switch/switch';
import { TrunkManager, type TrunkManagerOptions } from './switch/trunks/trunk-manager';
import { WallboardService } from './wallboard/wallboard-service';
import { WebCallbackService } from './web-callback/web-callback-service';
import { WebCallbackSettingsStore } from './web-callback/web-callback-settings';
import { WebCallbackStore } from './web-callback/web-callback-store';
import { WebhookDeliveries, type WebhookTimings } from './webhooks/webhook-deliveries';
import { feedWebhooks } from './webhooks/webhook-sources';
import { WebhookStore } from './webhooks/webhook-store';

/**
 * The web build: `apps/web/dist` when run from source; in the server build (scripts/build-server.mjs)
 * the copy in `web/` beside the bundle. WEB_DIST_DIR overrides both.
 */
export const defaultWebDistDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  import.meta.url.endsWith('.ts') ? '../../web/dist' : 'web',
);

export interface RunningSystem {
  deps: AppDeps;
  http: ServerType;
  url: string;
  seeded: boolean;
  /** The SIP UDP/TCP port (config.sip.port, or the free one picked for 0). */
  sipPort: number;
  stop(): Promise<void>;
}

export interface SystemOptions {
  logger?: Logger;
  /** Webhook retry waits and polling (tests shorten them). */
  webhooks?: WebhookTimings;
  db?: Db;
  now?: () => number;
  /** Trunk timings (keep-alive period, retry backoff...), e.g. shortened in tests. */
  trunks?: Partial<Omit<TrunkManagerOptions, 'db' | 'stack' | 'logger'>>;
  /** Registrar limits (min/max expires, nonce lifetime...). */
  registrar?: SipServiceOptions['registrar'];
  /** Call engine timings (ring timeout, media inactivity). */
  calls?: SwitchTimings;
  /** Dialer clock and lease timings (tests). */
  dialer?: DialerTimings;
}

/** What every part of the composition needs: the settings, the database and the log. */
interface Base {
  config: Config;
  options: SystemOptions;
  db: Db;
  logger: Logger;
}
type Signalling = Base & Awaited<ReturnType<typeof composeSignalling>>;
type Desk = Signalling & Awaited<ReturnType<typeof composeDesk>>;
type Calls = Desk & Awaited<ReturnType<typeof composeCalls>>;
type Services = Calls & Awaited<ReturnType<typeof composeCallbackServices>>;
type Outbound = Services & Awaited<ReturnType<typeof composeDialer>>;
type Webhooks = Outbound & ReturnType<typeof composeWebhooks>;
type Queued = Webhooks & Awaited<ReturnType<typeof composeQueuedWork>>;
type Observed = Queued & ReturnType<typeof composeObservability>;

/**
 * The composition root: config → db → (sip → media → switch, as they land) → http. Used by `main.ts`
 * and by integration tests, so both run the same wiring. Each part starts after the ones it needs, in
 * the order written here.
 */
export async function startSystem(config: Config, options: SystemOptions = {}): Promise<RunningSystem> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { db, seeded } = await prepareDatabase(config, options, logger);
  const base: Base = { config, options, db, logger };
  const signalling: Signalling = { ...base, ...(await composeSignalling(base)) };
  const desk: Desk = { ...signalling, ...(await composeDesk(signalling)) };
  const calls: Calls = { ...desk, ...(await composeCalls(desk)) };
  const services: Services = { ...calls, ...(await composeCallbackServices(calls)) };
  const outbound: Outbound = { ...services, ...(await composeDialer(services)) };
  const webhooks: Webhooks = { ...outbound, ...composeWebhooks(outbound) };
  const queued: Queued = { ...webhooks, ...(await composeQueuedWork(webhooks)) };
  const parts: Observed = { ...queued, ...composeObservability(queued) };
  const deps = composeDeps(parts);
  const { http, url } = await listenHttp(parts, deps);
  const purge = setInterval(() => {
    deps.sessions.purgeExpired().catch((err) => logger.warn({ err }, 'session purge failed'));
  }, 10 * 60_000);
  purge.unref();

  let stopped = false;
  return {
    deps,
    http,
    url,
    seeded,
    sipPort: parts.sip.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(purge);
      await stopSystem(parts);
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        if ('closeAllConnections' in http) (http as { closeAllConnections(): void }).closeAllConnections();
      });
      await db.destroy();
    },
  };
}

/** The database migrated, seeded with demo data when empty (outside production), with its defaults. */
async function prepareDatabase(config: Config, options: SystemOptions, logger: Logger) {
  const db = options.db ?? createDatabase(config.database, { queryTimeoutMs: config.databaseQueryTimeoutMs });
  await migrateToLatest(db);
  let seeded = false;
  if (config.seedDemoData && (await isEmptyDatabase(db))) {
    await seedDemoData(db);
    await seedDemoRecordings(db, config.recordingsDir);
    seeded = true;
  }
  await ensureDefaults(db, config);
  try {
    await ensureInitialAdmin(db, config, logger);
  } catch (err) {
    if (!options.db) await db.destroy();
    throw err;
  }
  mkdirSync(config.recordingsDir, { recursive: true });
  return { db, seeded };
}

/** SIP listeners, registrar and trunks, with the health checks and metrics that watch them. */
async function composeSignalling({ config, options, db, logger }: Base) {
  const metrics = new Metrics();
  const sip = await SipService.start({
    config,
    db,
    logger,
    metrics,
    now: options.now,
    registrar: options.registrar,
  });
  const healthChecks: HealthCheck[] = [
    { name: 'database', check: () => pingDatabase(db) },
    { name: 'sip', check: () => sip.check() },
  ];
  const trunks = new TrunkManager({
    db,
    stack: sip.stack,
    logger,
    now: options.now,
    onCall: (trunk, direction, status) => metrics.countTrunkCall(trunk, direction, status),
    ...options.trunks,
  });
  // Carriers are exempt from the SIP rate limits, bans and connection deadline.
  sip.setTrustedAddresses((address) => trunks.trunkForAddress(address, 0) !== null);
  return { metrics, sip, trunks, healthChecks };
}

/** Live events, settings, callback plans, agent state, the ACD and prepaid rating, started. */
async function composeDesk(parts: Signalling) {
  const { config, options, db, logger, sip } = parts;
  const events = new EventBus();
  const settings = new SettingsStore(db);
  const callbackPlans = new CallbackPlanScheduler(db, { logger, now: options.now });
  // Agent state and the ACD; the switch drives them through AgentPresence and the queue ports.
  const agents = new AgentStateService({
    db,
    events,
    logger,
    location: sip.registrar,
    signInState: () => settings.agentSignIn(),
    deskClosedGraceMs: config.deskClosedGraceMs,
    nodeId: config.nodeId,
    now: options.now,
  });
  const queues = new QueueService({ db, events, logger, agents, now: options.now });
  // Prepaid rating: the call side reserves when a leg rings and settles when it ends.
  const rating = new RatingService({
    db,
    logger,
    settings,
    nodeId: config.nodeId,
    defaultCountry: config.defaultCountry,
    now: options.now,
  });
  observeSignalling(parts);
  publishLiveChanges({ ...parts, events, agents, callbackPlans });
  await callbackPlans.start();
  await agents.start();
  await queues.start();
  return { events, settings, callbackPlans, agents, queues, rating };
}

/** The SIP figures on /metrics: registrations, transactions, trunks, bans and connections. */
function observeSignalling({ metrics, sip, trunks }: Signalling) {
  metrics.sip = {
    registrations: () => sip.registrar.counts(),
    transactions: () => ({
      server: sip.stack.transactions.servers.size,
      client: sip.stack.transactions.clients.size,
    }),
    trunks: () => trunks.statuses(),
    bans: () => sip.guard.bans().length,
    connections: () =>
      sip.stack.transport.transports
        .filter((t) => t.name !== 'UDP')
        .map((t) => ({
          transport: t.name,
          open: t.connectionCount(),
          refused: 'refused' in t && typeof t.refused === 'number' ? t.refused : 0,
        })),
  };
}

/** Registration, trunk and callback-plan changes, as live events to the people who watch them. */
function publishLiveChanges({
  sip,
  trunks,
  events,
  agents,
  callbackPlans,
}: Signalling & Pick<Desk, 'events' | 'agents' | 'callbackPlans'>) {
  // The desk shows "your desk phone is not registered": the owner and supervisors hear of changes.
  sip.registrar.onChange((change) => {
    agents.onRegistrationChange(change.extension, change.registered);
    const owner = sip.registrar.ownerOf(change.extension);
    events.publish(
      { type: 'registration', ...change, at: Date.now() },
      { userIds: owner !== null ? [owner] : [], minRole: 'supervisor' },
    );
  });
  // Administrators see a trunk go up, down or registering on the trunks page as it happens.
  const trunkStates = new Map<number, string>();
  trunks.onChange((t) => {
    if (trunkStates.get(t.id) === t.state) return;
    trunkStates.set(t.id, t.state);
    events.publish(
      { type: 'trunk_state', trunkId: t.id, name: t.name, state: t.state, at: Date.now() },
      { minRole: 'admin' },
    );
  });
  // A plan coming due reminds its owner on the desk through the live stream.
  callbackPlans.onChange((changes) => {
    for (const c of changes) {
      events.publish(
        { type: 'callback_plan', planId: c.id, status: c.status, at: Date.now() },
        { userIds: [c.ownerUserId] },
      );
    }
  });
}

/** The switch, once CDRs and recordings a crash left open are closed; then open reservations settled. */
async function composeCalls(parts: Desk) {
  const { config, options, db, logger, metrics, events, settings, sip, trunks, agents, queues } = parts;
  // Calls: CDRs and recordings a crash left open are closed/repaired before the first new call.
  const sw = await Switch.start(
    { config, db, logger, metrics, events, settings, sip, trunks, agents, queues },
    options.calls,
  );
  parts.healthChecks.push({
    name: 'call-records',
    check: async () => {
      if (sw.records.backlog > 0)
        throw new Error(`${sw.records.backlog} call record writes wait for the database`);
    },
  });
  parts.healthChecks.push({ name: 'recordings', check: () => checkRecordingsStorage(config.recordingsDir) });
  metrics.callRecordsSource = () => ({
    backlog: sw.records.backlog,
    journaled: sw.records.journaledTotal,
    dropped: sw.records.droppedTotal,
    recordingFailures: sw.records.recordingFailures,
  });
  // Reservations a crash left open are settled from the call records the switch has just closed.
  await parts.rating.settleOpen();
  parts.rating.start();
  return { sw };
}

/** Web callback, subscriber accounts, sounds, call flows, callback services and SMS callback. */
async function composeCallbackServices(parts: Calls) {
  const { config, options, db, logger, events, settings, rating, sw, sip } = parts;
  const webCallbacks = new WebCallbackService({
    db,
    logger,
    events,
    scripts: sw.scripts,
    rating,
    settings: new WebCallbackSettingsStore(db),
    store: new WebCallbackStore(db),
    nodeId: config.nodeId,
  });
  await webCallbacks.recover();
  const subscriberAccounts = new SubscriberAccounts(db, config.defaultCountry, options.now);
  mkdirSync(config.soundsDir, { recursive: true });
  const sounds = new SoundLibrary(db, config.soundsDir, options.now);
  const flows = new CallFlows(db, { now: options.now, events, sounds });
  flows.start();
  // Callback services take the inbound routes to `callback_service` and place the call backs.
  const callbackServices = new CallbackServices({
    db,
    logger,
    scripts: sw.scripts,
    rating,
    accounts: subscriberAccounts,
    sounds,
    nodeId: config.nodeId,
    defaultCountry: config.defaultCountry,
    now: options.now,
    settings,
    events,
  });
  await callbackServices.start();
  runCallFlows({ scripts: sw.scripts, flows, logger, callbacks: callbackServices });
  const smsCallback = new SmsCallback({
    db,
    logger,
    services: callbackServices,
    accounts: subscriberAccounts,
    stack: sip.stack,
    defaultCountry: config.defaultCountry,
  });
  sw.engine.messageHandler = smsCallback.onSipMessage;
  return { webCallbacks, subscriberAccounts, sounds, flows, callbackServices, smsCallback };
}

/** The dialer, once the switch has closed what a crash left open, with the node drain and callback plans. */
async function composeDialer(parts: Services) {
  const { config, options, db, logger, metrics, sip, sw, events } = parts;
  // Due outbound work runs once the switch has closed what a crash left open.
  const dialer = await startDialer({
    config,
    db,
    logger,
    now: options.now,
    onLaunch: (kind, latenessMs) => metrics.dialerLateness.observe({ kind }, latenessMs / 1000),
    ...options.dialer,
  });
  const doNotCall = new DoNotCallList(db);
  const drain = new NodeDrain({
    dispatcher: sip.dispatcher,
    dialer,
    liveCalls: () => sw.engine.activeCount + sw.scripts.calls.length,
    logger,
    announce: ({ draining, since }) =>
      events.publish({ type: 'node_drain', draining, since, at: Date.now() }, { minRole: 'agent' }),
  });
  dialer.handle(
    CALLBACK_PLAN_JOB,
    new CallbackDialing({ db, scripts: sw.scripts, doNotCall, events, logger }),
  );
  return { dialer, doNotCall, drain };
}

/** Outbound webhooks (events queued as delivery rows, sent and retried from there) and retention. */
function composeWebhooks({ config, options, db, logger, metrics, settings, events, sw }: Outbound) {
  const webhookStore = new WebhookStore(db, options.now);
  const webhookDeliveries = new WebhookDeliveries(
    {
      db,
      store: webhookStore,
      logger,
      masking: () => settings.numberMasking(),
      now: options.now,
      onAttempt: (outcome) => metrics.webhookDeliveries.inc({ outcome }),
    },
    options.webhooks,
  );
  const stopFeedingWebhooks = feedWebhooks({
    deliveries: webhookDeliveries,
    db,
    events,
    records: sw.records,
    logger,
  });
  webhookDeliveries.start();
  const retention = retentionEnabled(config.retention)
    ? new RetentionJob(() => purgeExpired(db, config.recordingsDir, config.retention, logger), logger)
    : null;
  retention?.start();
  return { webhookStore, webhookDeliveries, stopFeedingWebhooks, retention };
}

/** Queued callbacks (stored placeholders take their places again) and outbound campaigns. */
async function composeQueuedWork(parts: Webhooks) {
  const { options, db, logger, queues, agents, dialer, sw, doNotCall, events, sounds } = parts;
  const queuedCallbacks = new QueuedCallbacks({
    db,
    queues,
    dialer,
    scripts: sw.scripts,
    doNotCall,
    logger,
    now: options.now,
    nodeId: parts.config.nodeId,
  });
  await queuedCallbacks.restore();
  queuedCallbacks.start();
  dialer.handle(QUEUED_CALLBACK_JOB, queuedCallbacks);
  // Outbound campaigns: progressive ones dial for their idle agents, preview ones when asked.
  const campaignStore = new CampaignStore(db);
  const campaignDialing = new CampaignDialing({
    db,
    store: campaignStore,
    board: agents.board,
    dialer,
    scripts: sw.scripts,
    doNotCall,
    events,
    logger,
    sounds,
  });
  dialer.handle(CAMPAIGN_TASK_JOB, campaignDialing);
  campaignDialing.start();
  queues.setCallbackPort(queuedCallbacks);
  sw.queueCalls.virtualHold = queuedCallbacks;
  return { queuedCallbacks, campaignStore, campaignDialing };
}

/** What operators graph: queues and agents from the wallboard's figures, media quality per ended call. */
function composeObservability({ db, events, queues, agents, logger, metrics, sw }: Queued) {
  const wallboard = new WallboardService(db, { events, queues, agents, logger });
  metrics.wallboardSource = () => wallboard.current();
  metrics.agentStatesSource = () => {
    const counts: Partial<Record<AgentStatus, number>> = {};
    for (const a of agents.board.all()) counts[a.status] = (counts[a.status] ?? 0) + 1;
    return counts;
  };
  const stopObservingQuality = sw.records.onCallChange((change) => {
    if (change.kind === 'ended') metrics.observeCallQuality(change.quality);
  });
  return { wallboard, stopObservingQuality };
}

/** The HTTP layer's view of the running parts. */
function composeDeps(p: Observed): AppDeps {
  const { config, options, sw } = p;
  return {
    config,
    db: p.db,
    logger: p.logger,
    metrics: p.metrics,
    wallboard: p.wallboard,
    sessions: new SessionStore(p.db, config.session.idleMs, config.session.maxMs, options.now),
    accountThrottle: new StoredSignInThrottle(p.db, 'account', 5, 60_000, options.now),
    addressThrottle: new StoredSignInThrottle(p.db, 'address', 30, 60_000, options.now),
    healthChecks: p.healthChecks,
    settings: p.settings,
    events: p.events,
    callbackPlans: p.callbackPlans,
    sip: p.sip.stack,
    registrar: p.sip.registrar,
    sipGuard: p.sip.guard,
    trunks: p.trunks,
    agents: p.agents,
    queues: p.queues,
    calls: sw.engine,
    callControl: sw.control,
    callMonitor: sw.monitor,
    scripts: sw.scripts,
    dialer: p.dialer,
    drain: p.drain,
    doNotCall: p.doNotCall,
    campaigns: { store: p.campaignStore, dialing: p.campaignDialing },
    queuedCallbacks: p.queuedCallbacks,
    rating: p.rating,
    webCallbacks: p.webCallbacks,
    flows: p.flows,
    subscriberAccounts: p.subscriberAccounts,
    callbackServices: p.callbackServices,
    smsCallback: p.smsCallback,
    sounds: p.sounds,
    webhooks: { store: p.webhookStore, deliveries: p.webhookDeliveries },
  };
}

/**
 * The HTTP server listening, with SIP over WebSocket and the connection limits attached. When it
 * cannot listen (port taken) the SIP ports and trunks are released before failing.
 */
async function listenHttp(parts: Observed, deps: AppDeps) {
  const { config, metrics, sip } = parts;
  const connectionLimits = new HttpConnectionLimits(
    {
      total: config.security.httpMaxConnections,
      perAddress: config.security.httpMaxConnectionsPerAddress,
      reserve: config.security.httpReservedConnections,
      isProxy: (address) => trustedProxiesOf(config.security.trustedProxies).trusts(address),
    },
    metrics,
  );
  metrics.httpConnectionsSource = () => connectionLimits.openConnections;
  const app = createApp(deps, { webDistDir: config.webDistDir ?? defaultWebDistDir, connectionLimits });

  const http = await new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: config.http.host, port: config.http.port }, () =>
      resolve(server),
    );
    server.once('error', reject);
  }).catch(async (err) => {
    await releaseAfterFailedListen(parts);
    throw err;
  });
  const address = http.address() as AddressInfo;
  const url = `http://${config.http.host}:${address.port}`;
  // @hono/node-server's default server is a node:http Server (no TLS/HTTP2 options passed).
  sip.attachWebSocket(http as NodeHttpServer);
  connectionLimits.attach(http as NodeHttpServer);
  return { http, url };
}

/** What a failed HTTP listen leaves running, stopped so the SIP ports and trunks are free again. */
async function releaseAfterFailedListen(p: Observed) {
  p.stopObservingQuality();
  p.wallboard.close();
  p.stopFeedingWebhooks();
  await p.webhookDeliveries.stop();
  await p.retention?.stop();
  await p.callbackServices.stop();
  await p.queuedCallbacks.stop();
  await p.campaignDialing.stop();
  await p.dialer.stop();
  p.rating.stop();
  await p.sw.stop();
  p.queues.stop();
  await p.agents.stop();
}

/** Every part stopped, dialing first and the switch after the desk; the HTTP server and db are the caller's. */
async function stopSystem(p: Observed) {
  await p.retention?.stop();
  await p.callbackServices.stop();
  await p.queuedCallbacks.stop();
  await p.campaignDialing.stop();
  await p.dialer.stop();
  p.rating.stop();
  await p.webCallbacks.stop();
  await p.callbackPlans.stop();
  p.queues.stop();
  await p.agents.stop();
  await p.sw.stop();
  await p.flows.stop();
  await p.dialer.drain();
  p.stopObservingQuality();
  p.wallboard.close();
  p.stopFeedingWebhooks();
  await p.webhookDeliveries.stop();
}
