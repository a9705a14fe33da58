import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The whole product's schema. Times are epoch milliseconds (bigint), flags are 0/1 integers and
 * structured values are JSON text, so SQLite and PostgreSQL hold exactly the same values.
 */
type Id = Generated<number>;
type Flag = number;
type Millis = number;
type Json = string;

export type Role = 'agent' | 'supervisor' | 'admin';
export type CallType = 'inbound' | 'manual' | 'auto';
export type Disposition = 'answered' | 'unanswered' | 'busy' | 'failed';

export interface UsersTable {
  id: Id;
  username: string;
  agent_id: string | null;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: ColumnType<Flag, Flag | undefined, Flag>;
  /** IANA zone the user chose; null: not chosen (the web app uses the browser's). */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Millis;
  updated_at: Millis;
}

export interface ExtensionsTable {
  id: Id;
  user_id: number | null;
  number: string;
  type: 'web' | 'sip';
  /** Digest auth needs the shared secret (or its HA1); SIP extensions only. */
  sip_secret: string | null;
  recording_enabled: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: Millis;
}

export interface PauseReasonsTable {
  id: Id;
  name: string;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  sort_order: ColumnType<number, number | undefined, number>;
}

export type QueueStrategy = 'ring-all' | 'longest-idle' | 'round-robin' | 'fewest-calls' | 'random';

export interface QueuesTable {
  id: Id;
  name: string;
  strategy: ColumnType<QueueStrategy, QueueStrategy | undefined, QueueStrategy>;
  ring_timeout_s: ColumnType<number, number | undefined, number>;
  retry_delay_s: ColumnType<number, number | undefined, number>;
  wrapup_s: ColumnType<number, number | undefined, number>;
  max_no_answer: ColumnType<number, number | undefined, number>;
  max_wait_s: ColumnType<number, number | undefined, number>;
  overflow_type: 'queue' | 'extension' | 'hangup' | null;
  overflow_target: string | null;
  max_length: ColumnType<number, number | undefined, number>;
  hold_music: string | null;
  announce_interval_s: ColumnType<number, number | undefined, number>;
  service_level_s: ColumnType<number, number | undefined, number>;
  /** Percent of calls the queue means to answer within service_level_s (the wallboard's colour). */
  service_level_target: ColumnType<number, number | undefined, number>;
  /** Shown to customers the dialer calls for this queue; null: the policy's or the trunk's. */
  caller_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Millis;
  /** The queue's agents stay in wrap-up until they pick a disposition code. */
  disposition_required: ColumnType<Flag, Flag | undefined, Flag>;
  /** Queued callback (virtual hold): waiting callers may keep their place and be called back. */
  virtual_hold: ColumnType<Flag, Flag | undefined, Flag>;
  /** Offered only when the caller's expected wait is above this. */
  virtual_hold_threshold_s: ColumnType<number, number | undefined, number>;
  virtual_hold_mode: ColumnType<VirtualHoldMode, VirtualHoldMode | undefined, VirtualHoldMode>;
  /** Dials of one callback, the first included. */
  virtual_hold_max_attempts: ColumnType<number, number | undefined, number>;
  virtual_hold_retry_s: ColumnType<number, number | undefined, number>;
}

export type VirtualHoldMode = 'customer_first' | 'agent_first';

export type QueuedCallbackStatus = 'waiting' | 'calling' | 'connected' | 'dropped';

/** A caller's kept place in a queue (a callback placeholder). */
export interface QueuedCallbacksTable {
  id: Id;
  queue_id: number;
  /** E.164, as confirmed or keyed in by the caller. */
  number: string;
  caller_name: string | null;
  /** The call the caller made (calls.call_uuid), which ended when they chose to be called back. */
  origin_call_uuid: string | null;
  joined_at: Millis;
  status: ColumnType<QueuedCallbackStatus, QueuedCallbackStatus | undefined, QueuedCallbackStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  not_before: Millis | null;
  outcome: string | null;
  /** Its place among the queue's waiting placeholders as last ordered; null: arrival order. */
  queue_order: ColumnType<number | null, number | null | undefined, number | null>;
  /** The node whose waiting list holds it; null: written before nodes owned placeholders. */
  node_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Millis;
  updated_at: Millis;
}

export interface QueueMembersTable {
  queue_id: number;
  user_id: number;
  penalty: ColumnType<number, number | undefined, number>;
  paused: ColumnType<Flag, Flag | undefined, Flag>;
  pause_reason: string | null;
  paused_at: Millis | null;
}

export interface AgentStatesTable {
  user_id: number;
  status: 'logged_out' | 'idle' | 'paused' | 'on_call' | 'wrapup';
  reason: string | null;
  changed_at: Millis;
}

/** One signed-in span of an agent on a node (migration 0030). */
export interface AgentSessionsTable {
  id: Id;
  user_id: number;
  node_id: string;
  signed_in_at: Millis;
  signed_out_at: Millis | null;
  end_reason: AgentSessionEnd | null;
}

/** How a signed-in span ended. */
export type AgentSessionEnd = 'signed_out' | 'forced' | 'desk_closed' | 'removed' | 'node_restart';

/** A span of an agent session Paused in every queue. */
export interface AgentPausesTable {
  id: Id;
  session_id: number;
  user_id: number;
  reason: string | null;
  started_at: Millis;
  ended_at: Millis | null;
}

export interface CustomersTable {
  id: Id;
  owner_user_id: number;
  name: string;
  company: string | null;
  email: string | null;
  notes: string | null;
  /** IANA zone the dialer reads calling hours in; null: the number's country. */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  last_contact_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface ApiTokensTable {
  id: Id;
  name: string;
  /** SHA-256 of the secret, hex. */
  secret_hash: string;
  prefix: string;
  /** JSON array of scope names. */
  scopes: string;
  acts_as_user_id: number;
  requests_per_minute: number;
  expires_at: Millis | null;
  revoked_at: Millis | null;
  last_used_at: Millis | null;
  created_by_user_id: number | null;
  created_at: Millis;
}

export interface WebhooksTable {
  id: Id;
  url: string;
  description: Generated<string>;
  /** JSON array of event types. */
  events: string;
  secret: string;
  enabled: Generated<number>;
  mask_numbers: Generated<number>;
  created_at: Millis;
}

export interface WebhookDeliveriesTable {
  id: Id;
  webhook_id: number;
  event_type: string;
  event_id: string;
  /** The JSON body, as signed and sent. */
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Millis | null;
  claimed_until: Millis | null;
  last_status_code: number | null;
  last_response: string | null;
  created_at: Millis;
  delivered_at: Millis | null;
}

export interface CustomerPhonesTable {
  id: Id;
  customer_id: number;
  /** E.164 */
  number: string;
  /** Digits only, for partial-number search. */
  digits: string;
  label: string | null;
}

export interface CallsTable {
  id: Id;
  call_uuid: string;
  type: CallType;
  queue_id: number | null;
  agent_user_id: number | null;
  customer_id: number | null;
  customer_number: string | null;
  customer_digits: string | null;
  caller_number: string | null;
  called_number: string | null;
  started_at: Millis;
  answered_at: Millis | null;
  ended_at: Millis | null;
  duration_s: ColumnType<number, number | undefined, number>;
  ring_time_s: ColumnType<number, number | undefined, number>;
  disposition: Disposition | null;
  hangup_cause: string | null;
  hangup_side: 'customer' | 'agent' | 'system' | null;
  transfer_chain: Json | null;
  recording_id: number | null;
  quality: Json | null;
  /** Open until the call ends; a crash leaves it open and start-up closes it as interrupted. */
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  node_id: string | null;
  source_ref: string | null;
  /** The service that placed or steered the call (call scripts): `web_callback`, `callback`, `flow`… */
  service: ColumnType<string | null, string | null | undefined, string | null>;
  /** The prepaid subscriber the call is billed to (set by the rating engine's reserve). */
  subscriber_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The disposition code the agent picked at wrap-up (by name), and their note. */
  wrapup_code: ColumnType<string | null, string | null | undefined, string | null>;
  wrapup_note: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DispositionCodesTable {
  id: Id;
  name: string;
  /** Null: offered after calls from every queue. */
  queue_id: number | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  sort_order: ColumnType<number, number | undefined, number>;
  created_at: Millis;
}

export interface CallLegsTable {
  id: Id;
  call_id: number;
  leg_uuid: string;
  role: 'customer' | 'agent' | 'supervisor' | 'destination' | 'callback';
  peer: string | null;
  started_at: Millis;
  answered_at: Millis | null;
  ended_at: Millis | null;
  disposition: Disposition | null;
  hangup_cause: string | null;
  /** What the leg cost its subscriber (the ledger's debit), in micros of cost_currency. */
  cost_micros: ColumnType<number | null, number | null | undefined, number | null>;
  cost_currency: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecordingsTable {
  id: Id;
  call_id: number;
  agent_user_id: number | null;
  path: string;
  duration_ms: ColumnType<number, number | undefined, number>;
  size_bytes: ColumnType<number, number | undefined, number>;
  started_at: Millis;
  status: ColumnType<
    'recording' | 'complete' | 'repaired' | 'truncated',
    'recording' | 'complete' | 'repaired' | 'truncated' | undefined
  >;
}

export interface CallbackPlansTable {
  id: Id;
  customer_id: number | null;
  phone_id: number | null;
  number: string | null;
  owner_user_id: number;
  due_at: Millis;
  note: string | null;
  status: ColumnType<
    'scheduled' | 'due' | 'done' | 'missed' | 'cancelled',
    'scheduled' | 'due' | 'done' | 'missed' | 'cancelled' | undefined
  >;
  attempts: ColumnType<number, number | undefined, number>;
  last_attempt_at: Millis | null;
  /** Dialer claim: which node took the plan and when, so nothing is dialed twice. */
  claimed_by: string | null;
  claimed_at: Millis | null;
  mode: ColumnType<CallbackPlanMode, CallbackPlanMode | undefined, CallbackPlanMode>;
  queue_id: number | null;
  created_at: Millis;
  updated_at: Millis;
}

export type CallbackPlanMode = 'remind' | 'agent_first' | 'customer_first';

export type DialerJobStatus = 'pending' | 'dialling' | 'done' | 'cancelled' | 'interrupted';

export interface DialerJobsTable {
  id: Id;
  kind: string;
  subject_id: number | null;
  number: string | null;
  trunk_id: number | null;
  payload: string | null;
  due_at: Millis;
  status: ColumnType<DialerJobStatus, DialerJobStatus | undefined, DialerJobStatus>;
  attempt: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_until: Millis | null;
  call_id: number | null;
  outcome: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface DialerAttemptsTable {
  id: Id;
  job_id: number;
  kind: string;
  subject_id: number | null;
  at: Millis;
  outcome: string;
  call_id: number | null;
}

export interface DoNotCallTable {
  id: Id;
  number: string;
  reason: string | null;
  created_by: number | null;
  created_at: Millis;
}

export type DialTaskResult =
  | 'pending'
  | 'reached'
  | 'no_answer'
  | 'busy'
  | 'wrong_number'
  | 'callback_requested'
  | 'done';

export interface DialTasksTable {
  id: Id;
  customer_id: number | null;
  number: string;
  assigned_user_id: number;
  created_by_user_id: number;
  start_at: Millis;
  end_at: Millis;
  note: string | null;
  result: ColumnType<DialTaskResult, DialTaskResult | undefined, DialTaskResult>;
  attempts: ColumnType<number, number | undefined, number>;
  claimed_by: string | null;
  claimed_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export type CampaignMode = 'preview' | 'progressive' | 'predictive';
export type CampaignState = 'draft' | 'running' | 'paused' | 'finished';
export type CampaignTaskStatus = 'pending' | 'reserved' | 'dialling' | 'done' | 'closed';

export interface CampaignsTable {
  id: Id;
  name: string;
  mode: CampaignMode;
  state: ColumnType<CampaignState, CampaignState | undefined, CampaignState>;
  queue_id: number | null;
  caller_id: string | null;
  max_attempts: number;
  /** JSON: seconds before the next dial, by the last result (busy, no_answer, failed, abandoned). */
  retry_delays: Json;
  /** Calling hours `HH:MM`; null: the dialing policy's. */
  calling_from: string | null;
  calling_to: string | null;
  /** Predictive: the abandon-rate cap in percent. */
  abandon_cap: ColumnType<number, number | undefined, number>;
  /** What an abandoned customer hears (a prompt name or `sound:<id>`); null: "agents busy". */
  abandon_prompt: string | null;
  created_by_user_id: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface CampaignAgentsTable {
  campaign_id: number;
  user_id: number;
  /** On the campaign's agent list (else here only because they joined as a member of its queue). */
  listed: ColumnType<Flag, Flag | undefined, Flag>;
  /** Joined (taking the campaign's calls) since; null: not joined. */
  joined_at: Millis | null;
}

export interface CampaignTasksTable {
  /** The dial task (in one campaign at a time). */
  task_id: number;
  campaign_id: number;
  status: ColumnType<CampaignTaskStatus, CampaignTaskStatus | undefined, CampaignTaskStatus>;
  /** Not dialled before this (the task's start, a retry's wait, calling hours). */
  next_at: Millis;
  attempts: ColumnType<number, number | undefined, number>;
  /** The agent it is reserved to or was last dialled for. */
  agent_user_id: number | null;
  outcome: string | null;
  added_at: Millis;
  updated_at: Millis;
}

export interface SubscribersTable {
  id: Id;
  phone_number: string;
  password_hash: string;
  /** Minor units (cents). */
  balance_minor: ColumnType<number, number | undefined, number>;
  currency: ColumnType<string, string | undefined, string>;
  callback_country: string | null;
  callback_area: string | null;
  callback_number: string | null;
  pin_hash: string | null;
  created_at: Millis;
  updated_at: Millis;
  display_name: ColumnType<string, string | undefined, string>;
  status: ColumnType<'active' | 'suspended', 'active' | 'suspended' | undefined, 'active' | 'suspended'>;
  plan_id: number | null;
  /** Minor units held by open reservations (the sum of the ledger's holds). */
  reserved_minor: ColumnType<number, number | undefined, number>;
  open_reservations: ColumnType<number, number | undefined, number>;
  max_concurrent_calls: ColumnType<number | null, number | null | undefined, number | null>;
  max_calls_per_day: ColumnType<number | null, number | null | undefined, number | null>;
  /** JSON array of ISO country codes; null = every country. */
  allowed_countries: ColumnType<Json | null, Json | null | undefined, Json | null>;
  /** The UTC day (YYYY-MM-DD) calls_day_count counts. */
  calls_day: ColumnType<string | null, string | null | undefined, string | null>;
  calls_day_count: ColumnType<number, number | undefined, number>;
}

export interface SubscriberCallerIdsTable {
  id: Id;
  subscriber_id: number;
  number: string;
  created_at: Millis;
}

export interface RatesTable {
  id: Id;
  prefix: string;
  description: string | null;
  /** Price per minute in millionths of the currency unit. */
  price_per_minute_micros: number;
  currency: ColumnType<string, string | undefined, string>;
  initial_increment_s: ColumnType<number, number | undefined, number>;
  increment_s: ColumnType<number, number | undefined, number>;
}

export interface RateTablesTable {
  id: Id;
  name: string;
  currency: string;
  description: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface RateTableRatesTable {
  id: Id;
  rate_table_id: number;
  /** Digits of the E.164 number after `+`; the longest matching prefix wins. */
  prefix: string;
  description: string | null;
  price_per_minute_micros: number;
  connect_fee_micros: ColumnType<number, number | undefined, number>;
  initial_increment_s: ColumnType<number, number | undefined, number>;
  increment_s: ColumnType<number, number | undefined, number>;
  /** Epoch ms from which the row applies; 0 = always. */
  effective_from: ColumnType<number, number | undefined, number>;
}

export interface PlansTable {
  id: Id;
  name: string;
  rate_table_id: number;
  description: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export type LedgerKind = 'top_up' | 'adjustment' | 'call_debit' | 'reservation' | 'release';

export interface SubscriberLedgerTable {
  id: Id;
  subscriber_id: number;
  kind: LedgerKind;
  /** Change to the balance, minor units. */
  amount_minor: number;
  /** Change to the reserved amount, minor units. */
  held_minor: number;
  balance_after_minor: number;
  reserved_after_minor: number;
  currency: string;
  reservation_id: number | null;
  call_id: number | null;
  actor_kind: 'user' | 'subscriber' | 'system' | 'call';
  actor_id: number | null;
  reason: string | null;
  created_at: Millis;
}

export interface RateReservationsTable {
  id: Id;
  subscriber_id: number;
  status: ColumnType<'open' | 'settled' | 'released', 'open' | undefined, 'settled' | 'released'>;
  destination: string;
  currency: string;
  rate_table_id: number | null;
  rate_id: number | null;
  prefix: string;
  price_per_minute_micros: number;
  connect_fee_micros: number;
  initial_increment_s: number;
  increment_s: number;
  amount_minor: number;
  max_duration_s: number;
  call_id: number | null;
  leg_id: number | null;
  node_id: string | null;
  created_at: Millis;
  settled_at: Millis | null;
  billable_s: number | null;
  cost_minor: number | null;
  /** 'call' (settle), 'release', or 'recovery' (settleOpen at start-up). */
  settled_by: string | null;
}

export interface TrunksTable {
  id: Id;
  name: string;
  uri: string;
  username: string | null;
  password: string | null;
  transport: ColumnType<'udp' | 'tcp', 'udp' | 'tcp' | undefined>;
  register: ColumnType<Flag, Flag | undefined, Flag>;
  enabled: ColumnType<Flag, Flag | undefined, Flag>;
  caller_id: string | null;
  /** JSON array of addresses inbound calls are accepted from. */
  inbound_addresses: Json | null;
  /** The carrier's caps on calls the dialer starts through this trunk (null: the global caps). */
  dialer_calls_per_second: number | null;
  dialer_max_concurrent: number | null;
  created_at: Millis;
}

export interface CallFlowsTable {
  id: Id;
  name: string;
  description: string | null;
  /** The draft definition, JSON text. */
  draft: string;
  published_version: number | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface CallFlowVersionsTable {
  id: Id;
  flow_id: number;
  version: number;
  /** The published definition, JSON text; never changed. */
  definition: string;
  published_at: Millis;
  published_by: number | null;
}

export interface InboundRoutesTable {
  id: Id;
  number: string;
  target_type: 'queue' | 'extension' | 'callback_service' | 'flow';
  target_id: string;
  created_at: Millis;
}

export interface CallbackServicesTable {
  id: Id;
  name: string;
  access_number: string | null;
  method: 'call_caller' | 'call_authorized' | 'call_number' | 'call_extension';
  trunk_id: number | null;
  number: string | null;
  extension: string | null;
  caller_id: string | null;
  authorized_only: ColumnType<Flag, Flag | undefined, Flag>;
  announce_balance: ColumnType<Flag, Flag | undefined, Flag>;
  ask_pin: ColumnType<Flag, Flag | undefined, Flag>;
  credit_exhausted_prompt: string | null;
  created_at: Millis;
  // 0009: the rest of a callback service's settings.
  enabled: ColumnType<Flag, Flag | undefined, Flag>;
  trigger: ColumnType<'ring_then_busy' | 'answer_prompt', string | undefined, string>;
  trigger_prompt: string | null;
  security: ColumnType<'none' | 'service_password' | 'pin', string | undefined, string>;
  service_password_hash: string | null;
  subscriber_id: number | null;
  credit_query: ColumnType<Flag, Flag | undefined, Flag>;
  max_attempts: ColumnType<number, number | undefined, number>;
  disconnect_sequence: ColumnType<string, string | undefined, string>;
  max_concurrent: number | null;
  max_per_hour: number | null;
  subscriber_max_concurrent: number | null;
  subscriber_max_per_hour: number | null;
  /** JSON array of ISO country codes. */
  allowed_countries: ColumnType<string, string | undefined, string>;
  /** JSON array of digit prefixes. */
  blocked_prefixes: ColumnType<string, string | undefined, string>;
  sms_secret: string | null;
  sms_reply_url: string | null;
  updated_at: ColumnType<Millis, Millis | undefined, Millis>;
  // 0014: the timings in milliseconds (they were whole seconds).
  ring_ms: ColumnType<number, number | undefined, number>;
  delay_ms: ColumnType<number, number | undefined, number>;
  first_digit_timeout_ms: ColumnType<number, number | undefined, number>;
  inter_digit_timeout_ms: ColumnType<number, number | undefined, number>;
}

export type CallbackRequestStatus = 'refused' | 'scheduled' | 'calling' | 'done' | 'failed';

export interface CallbackRequestsTable {
  id: Id;
  /** Null for a call back a call flow asked for (`flow_id` set). */
  service_id: number | null;
  flow_id: number | null;
  source: 'call' | 'sms' | 'flow';
  caller_number: string | null;
  callback_number: string | null;
  destination: string | null;
  subscriber_id: number | null;
  status: CallbackRequestStatus;
  reason: string | null;
  call_id: number | null;
  node_id: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** Calls that entered a component (`exit` empty) or left it by `exit`, per flow version and day. */
export interface CallFlowCountsTable {
  flow_id: number;
  version: number;
  day: string;
  component_id: string;
  exit: string;
  count: ColumnType<number, number, number>;
}

export interface SoundsTable {
  id: Id;
  folder: ColumnType<string, string | undefined, string>;
  name: string;
  /** Relative to SOUNDS_DIR. */
  file: string;
  duration_ms: number;
  size_bytes: number;
  original_name: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface CallbackPinFailuresTable {
  id: Id;
  number: string;
  service_id: number;
  at: Millis;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Millis;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a database leak does not hand out live sessions. */
  id: string;
  kind: 'user' | 'subscriber';
  user_id: number | null;
  subscriber_id: number | null;
  created_at: Millis;
  last_seen_at: Millis;
  expires_at: Millis;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Id;
  actor_kind: 'user' | 'subscriber' | 'system';
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  at: Millis;
}

export interface SignInFailuresTable {
  id: Id;
  /** Which throttle counts it: `account` (the name tried) or `address` (the client's). */
  scope: string;
  key: string;
  at: Millis;
}

export interface NodeHeartbeatsTable {
  node_id: string;
  alive_at: number;
}

export interface WebCallbacksTable {
  id: Id;
  subscriber_id: number;
  call_id: number | null;
  call_uuid: string | null;
  mode: 'callback' | 'one_off' | 'connect_two';
  leg_a_number: string;
  leg_b_number: string;
  status: 'calling_you' | 'calling_destination' | 'connected' | 'ended';
  /** JSON: each leg's last status and cause. */
  legs: Json;
  outcome: string | null;
  client_ip: string | null;
  currency: string;
  cost_minor: number | null;
  max_duration_s: number | null;
  node_id: string | null;
  created_at: Millis;
  connected_at: number | null;
  ended_at: number | null;
}

export interface Database {
  users: UsersTable;
  extensions: ExtensionsTable;
  pause_reasons: PauseReasonsTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  agent_states: AgentStatesTable;
  agent_sessions: AgentSessionsTable;
  agent_pauses: AgentPausesTable;
  customers: CustomersTable;
  customer_phones: CustomerPhonesTable;
  api_tokens: ApiTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  calls: CallsTable;
  call_legs: CallLegsTable;
  recordings: RecordingsTable;
  callback_plans: CallbackPlansTable;
  dialer_jobs: DialerJobsTable;
  queued_callbacks: QueuedCallbacksTable;
  dialer_attempts: DialerAttemptsTable;
  do_not_call: DoNotCallTable;
  dial_tasks: DialTasksTable;
  campaigns: CampaignsTable;
  campaign_agents: CampaignAgentsTable;
  campaign_tasks: CampaignTasksTable;
  subscribers: SubscribersTable;
  subscriber_caller_ids: SubscriberCallerIdsTable;
  rates: RatesTable;
  rate_tables: RateTablesTable;
  rate_table_rates: RateTableRatesTable;
  plans: PlansTable;
  subscriber_ledger: SubscriberLedgerTable;
  rate_reservations: RateReservationsTable;
  trunks: TrunksTable;
  inbound_routes: InboundRoutesTable;
  call_flows: CallFlowsTable;
  call_flow_versions: CallFlowVersionsTable;
  callback_services: CallbackServicesTable;
  web_callbacks: WebCallbacksTable;
  node_heartbeats: NodeHeartbeatsTable;
  sign_in_failures: SignInFailuresTable;
  callback_requests: CallbackRequestsTable;
  call_flow_counts: CallFlowCountsTable;
  callback_pin_failures: CallbackPinFailuresTable;
  sounds: SoundsTable;
  disposition_codes: DispositionCodesTable;
  settings: SettingsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type CallRow = Selectable<CallsTable>;
export type NewCall = Insertable<CallsTable>;
