/** The softphone's state as the page shows it (no sip.js types: the UI loads without sip.js). */
export type RegistrationView =
  | { kind: 'starting' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'registered' }
  | { kind: 'offline'; reason: string; retryAt: number | null };

export type CallState = 'ringing' | 'dialing' | 'early' | 'established' | 'ended';

export interface CallView {
  id: string;
  /** The switch's id of the call (from the INVITE that rang this phone); null for calls dialed here. */
  callId: string | null;
  direction: 'inbound' | 'outbound';
  /** The other party as the server sent it (masked per setting). */
  remote: string;
  remoteName: string | null;
  queue: string | null;
  state: CallState;
  startedAt: number | null;
  muted: boolean;
  held: boolean;
  holdPending: boolean;
  endedReason: string | null;
}

export interface SoftphoneSnapshot {
  registration: RegistrationView;
  call: CallView | null;
}

export interface DialOptions {
  /** Extra SIP headers (e.g. the CDR or plan a call-back refers to). */
  headers?: string[];
  /** What the call bar shows instead of the dialed target (the masked number for a `ref-…`). */
  display?: string;
}

export interface SoftphoneEngine {
  getSnapshot(): SoftphoneSnapshot;
  subscribe(listener: () => void): () => void;
  start(): void;
  stop(): Promise<void>;
  /** Reconnect and register now, skipping the remaining backoff. */
  retryNow(): void;
  dial(number: string, options?: DialOptions): Promise<void>;
  answer(): Promise<void>;
  decline(): Promise<void>;
  hangUp(): Promise<void>;
  setMuted(muted: boolean): void;
  setHeld(held: boolean): Promise<void>;
  sendDtmf(tone: string): Promise<void>;
  /**
   * The party the switch says this call is with now: a call passed on to this phone (consult, then
   * transfer or conference) was rung by the agent who has since left.
   */
  showParty(callId: string, party: string): void;
  /** Clears an ended call from the view. */
  dismissEnded(): void;
  /**
   * Opens the microphone again with the current constraints (another device, other processing) and
   * puts it on the call in progress without renegotiating; nothing happens outside a call.
   */
  replaceMicrophone(): Promise<void>;
  /** The call's RTCPeerConnection statistics; null outside a call. */
  getStats(): Promise<RTCStatsReport | null>;
  /**
   * STUN/TURN servers for the calls from now on (renewed short-lived TURN credentials); a call in
   * progress keeps the relay it has.
   */
  setIceServers(servers: RTCIceServer[]): void;
}

export interface WebSipConfig {
  webSocketUrl: string;
  sipUri: string;
  authorizationUser: string;
  password: string;
  displayName: string;
  /** STUN/TURN servers for the calls' ICE; empty: host candidates only. */
  iceServers: RTCIceServer[];
}

export interface EngineHooks {
  audioElement(): HTMLAudioElement | null;
  /** The server refused our credentials (session ended or rotated): fetch new ones. */
  onCredentialsRejected(): void;
  /** getUserMedia audio constraints for a call: the chosen microphone and processing. */
  microphoneConstraints(): MediaTrackConstraints;
  /** The microphone in use stopped during a call (unplugged); the engine has opened the default. */
  onMicrophoneLost?(label: string): void;
}
