import type { SipStack } from '@switchboard/sip';
import type { AgentStateService } from '../agents/agent-state-service';
import type { SessionStore } from '../auth/sessions';
import type { SignInThrottle } from '../auth/sign-in-throttle';
import type { CallbackPlanScheduler } from '../callback-plans/due-scheduler';
import type { CallbackServices } from '../callback-services/callback-service';
import type { SmsCallback } from '../callback-services/sms-callback';
import type { CampaignDialing } from '../campaigns/campaign-dialing';
import type { CampaignStore } from '../campaigns/campaign-store';
import type { Config } from '../config';
import type { Db } from '../db/database';
import type { Dialer } from '../dialer/dialer';
import type { DoNotCallList } from '../dialer/do-not-call';
import type { EventBus } from '../events/event-bus';
import type { CallFlows } from '../flows/call-flows';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { QueuedCallbacks } from '../queued-callbacks/queued-callbacks';
import type { QueueService } from '../queues/queue-service';
import type { RatingService } from '../rating/rating-service';
import type { SettingsStore } from '../settings/settings-store';
import type { SoundLibrary } from '../sounds/sound-library';
import type { SubscriberAccounts } from '../subscribers/subscriber-accounts';
import type { CallControl } from '../switch/calls/call-control';
import type { CallEngine } from '../switch/calls/call-engine';
import type { CallMonitor } from '../switch/calls/call-monitor';
import type { NodeDrain } from '../switch/node-drain';
import type { Registrar } from '../switch/registrar/registrar';
import type { CallScripts } from '../switch/scripts/call-scripts';
import type { SipSourceGuard } from '../switch/sip-guard';
import type { TrunkManager } from '../switch/trunks/trunk-manager';
import type { WallboardService } from '../wallboard/wallboard-service';
import type { WebCallbackService } from '../web-callback/web-callback-service';
import type { WebhookDeliveries } from '../webhooks/webhook-deliveries';
import type { WebhookStore } from '../webhooks/webhook-store';

/** A part of the system that /healthz asks; it throws when it is not working. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  /** Per-queue and overall figures now and today (the wallboard page, its live event, metrics). */
  wallboard: WallboardService;
  sessions: SessionStore;
  accountThrottle: SignInThrottle;
  addressThrottle: SignInThrottle;
  healthChecks: HealthCheck[];
  settings: SettingsStore;
  events: EventBus;
  /** Marks callback plans due; features poke it after writing a plan. */
  callbackPlans: CallbackPlanScheduler;
  /** The switch's SIP stack (UDP/TCP on config.sip, WebSocket at /sip on the HTTP server). */
  sip: SipStack;
  /** Registrar and location service (in memory, this node's bindings). */
  registrar: Registrar;
  /** SIP per-source rate limits and bans (admin: list, unban). */
  sipGuard: SipSourceGuard;
  /** Carrier trunks: `pick()`, `trunkForAddress()`, `state()`; `reload()` after admin changes. */
  trunks: TrunkManager;
  /** The call engine (B2BUA): click-to-dial, hang-up, active calls. */
  calls: CallEngine;
  /** Hold, mute, DTMF, transfer, consult on calls in progress. */
  callControl: CallControl;
  /** Supervisor monitoring (listen, whisper, barge) of live calls. */
  callMonitor: CallMonitor;
  /** Calls the server places or steers (web callback, access numbers, call flows, the dialer). */
  scripts: CallScripts;
  /** Due outbound work (scheduled callbacks), dialled once across restarts and nodes. */
  dialer: Dialer;
  /** Taking this node out of service: no new calls, live ones finish (`/readyz`, SIGTERM). */
  drain: NodeDrain;
  doNotCall: DoNotCallList;
  /** Outbound campaigns: their rows and the dialling of their tasks. */
  campaigns: { store: CampaignStore; dialing: CampaignDialing };
  /** Queued callback (virtual hold): callback placeholders kept in the queues. */
  queuedCallbacks: QueuedCallbacks;
  /** Agent state (idle/paused per queue, on call, wrap-up); the switch calls its AgentPresence methods. */
  agents: AgentStateService;
  /** The ACD: a dispatcher per queue; the switch calls enqueue()/hangup() and plugs in setOfferPort()/setCallPort(). */
  queues: QueueService;
  /** Prepaid rating: quote, reserve → settle | release; see src/rating/README.md. */
  rating: RatingService;
  /** Prepaid subscriber accounts: ledger top-ups, PIN check, authorized caller IDs. */
  subscriberAccounts: SubscriberAccounts;
  /** Web callback from the portal: leg A, then leg B, bridged and rated; see docs/web-callback.md. */
  webCallbacks: WebCallbackService;
  /** Call flows (IVR): drafts, versions, and the runner inbound routes to a flow use. */
  flows: CallFlows;
  /** Callback services: the trigger on access numbers, the call back, SMS callback. */
  callbackServices: CallbackServices;
  /** SMS callback: SIP MESSAGE from trunks and the signed webhook. */
  smsCallback: SmsCallback;
  /** The sound library: uploads converted to 8 kHz G.711, in folders; `sound:<id>` prompts. */
  sounds: SoundLibrary;
  /** Outbound webhooks: their settings and the deliveries (queued in the database, retried). */
  webhooks: { store: WebhookStore; deliveries: WebhookDeliveries };
}
