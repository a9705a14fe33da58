import type { Flow, TransportName } from '@switchboard/sip';

/**
 * The seams between the switch's parts: the registrar and the trunks answer "where is this
 * extension / how do I reach the outside", the call engine (B2BUA) asks. Each side is built and
 * tested on its own against these types.
 */

/** One binding of an extension (RFC 3261 §10.3): a desk phone over UDP/TCP or a browser over WS. */
export interface RegisteredContact {
  extension: string;
  /** The Contact URI as registered, e.g. `sip:1001@df7jal23ls0d.invalid;transport=ws`. */
  uri: string;
  /** The flow the REGISTER arrived on: requests to this contact go back over it (RFC 5626 §5.3). */
  flow: Flow;
  transport: TransportName;
  expiresAt: number;
  /** RFC 5626 `+sip.instance` and `reg-id`, when the UA sent them (sip.js does). */
  instanceId?: string;
  regId?: number;
  userAgent?: string;
  /** The agent signed in behind a web extension's credential; null for desk phones. */
  userId: number | null;
}

export interface RegistrationChange {
  extension: string;
  registered: boolean;
  contacts: number;
}

export interface LocationService {
  /** Live bindings of an extension, most recent first; empty when not registered. */
  lookup(extension: string): RegisteredContact[];
  isRegistered(extension: string): boolean;
  /** Fired whenever an extension's set of bindings changes (register, refresh that adds, expiry, unregister, flow closed). */
  onChange(listener: (change: RegistrationChange) => void): () => void;
}

/** Why a party is out of a call: its end, a hand-over to someone else, or leaving it early. */
export type PartyLeftReason = 'ended' | 'transferred' | 'left';

/**
 * A user's phone joined or left a call, as the engine announces it (agent presence is derived
 * from these and nothing else).
 */
export type PartyChange =
  | { change: 'joined'; callId: string; userId: number; queueId: number | null }
  | { change: 'left'; callId: string; userId: number; queueId: number | null; reason: PartyLeftReason };

export interface TrunkRoute {
  trunkId: number;
  name: string;
  /** Next hop, e.g. `sip:carrier.example.com:5060`. */
  uri: string;
  transport: 'UDP' | 'TCP';
  credentials: { username: string; password: string } | null;
  /** Number presented in From / P-Asserted-Identity when the call has no better one. */
  callerId: string | null;
  /** Counts a call through the trunk (metrics): inbound when it arrives, outbound with its final status. */
  countCall?(direction: 'inbound' | 'outbound', status?: number): void;
}

export type TrunkState = 'up' | 'down' | 'registering' | 'unregistered' | 'disabled';

export interface OutboundTrunks {
  /** A trunk that is up, or null: the call then fails with `no_trunk` (SPEC: a clear reason). */
  pick(): TrunkRoute | null;
  /** The trunk an inbound request's source address belongs to; null means refuse the call (403). */
  trunkForAddress(address: string, port: number): TrunkRoute | null;
  state(trunkId: number): TrunkState;
  /** One trunk's route by id (whatever its state), or null when there is no such trunk. */
  route(trunkId: number): TrunkRoute | null;
}

/** An extension as routing sees it (its owner, recording policy, role for masking). */
export interface ExtensionInfo {
  number: string;
  type: 'web' | 'sip';
  userId: number | null;
  recording: boolean;
  role: 'agent' | 'supervisor' | 'admin' | null;
  displayName: string | null;
}
