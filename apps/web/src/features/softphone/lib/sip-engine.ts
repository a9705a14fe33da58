import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  type Session,
  SessionState,
  UserAgent,
  UserAgentState,
  Web,
} from 'sip.js';
import { backoffDelay } from '../../../lib/backoff';
import { dialTarget } from './dial-input';
import type {
  CallView,
  DialOptions,
  EngineHooks,
  RegistrationView,
  SoftphoneEngine,
  SoftphoneSnapshot,
  WebSipConfig,
} from './engine-types';
import { openMicrophone } from './microphone';
import { softphoneWebSocketUrl } from './websocket-url';

/** The members of sip.js's web SessionDescriptionHandler used here (its own type is not exported as such). */
interface WebSdh {
  readonly remoteMediaStream: MediaStream;
  readonly peerConnection: RTCPeerConnection | undefined;
  sendDtmf(tones: string, options?: { duration: number; interToneGap: number }): boolean;
  setLocalMediaStream(stream: MediaStream): Promise<void>;
}

const reconnectBackoff = { baseMs: 1000, maxMs: 30_000, jitter: 0.3 };

/**
 * sip.js behind a small state machine: one UserAgent over the server's WebSocket, one Registerer,
 * one call at a time. Loaded with a dynamic import so the desk's first load does not carry sip.js.
 */
export class SipEngine implements SoftphoneEngine {
  private snapshot: SoftphoneSnapshot = { registration: { kind: 'starting' }, call: null };
  private readonly listeners = new Set<() => void>();
  private readonly ua: UserAgent;
  private readonly registerer: Registerer;
  private session: Session | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /**
   * The page is going away (reload, closed tab). Nothing is sent then: no BYE, no unregistration,
   * so the switch keeps the customer on hold music and calls this agent back once the page is back
   * (X-Switchboard-Reconnect), instead of taking a page reload for a hang-up.
   */
  private unloading = false;
  private readonly onPageHide = () => {
    this.unloading = true;
  };
  /** Back from the back/forward cache: the page lives on after all. */
  private readonly onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted) this.unloading = false;
  };
  private readonly onOnline = () => this.retryNow();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible' && this.snapshot.registration.kind === 'offline')
      this.retryNow();
  };

  /** What each new call's RTCPeerConnection is built with. */
  private readonly peerConnection: RTCConfiguration;

  constructor(
    private readonly config: WebSipConfig,
    private readonly hooks: EngineHooks,
  ) {
    this.peerConnection = { iceServers: config.iceServers };
    const uri = UserAgent.makeURI(config.sipUri);
    if (!uri) throw new Error(`Bad SIP URI from the server: ${config.sipUri}`);
    this.ua = new UserAgent({
      uri,
      displayName: config.displayName,
      authorizationUsername: config.authorizationUser,
      authorizationPassword: config.password,
      transportOptions: {
        server: softphoneWebSocketUrl(config.webSocketUrl, window.location),
        connectionTimeout: 5,
        keepAliveInterval: 20,
      },
      reconnectionAttempts: 0,
      logLevel: 'warn',
      logBuiltinEnabled: false,
      // The operator's STUN/TURN servers (TURN_URLS), for agents who reach the switch only through a relay.
      // sip.js reads this object for each new call, so `setIceServers` renews them in place.
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: this.peerConnection },
      sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory((constraints) =>
        constraints.audio ? openMicrophone(constraints.audio) : Promise.resolve(new MediaStream()),
      ),
      delegate: {
        onConnect: () => this.register(),
        onDisconnect: (error) => {
          if (this.stopped || this.unloading) return;
          const reason = error ? `Connection to the switch lost (${error.message})` : 'Disconnected';
          // A network blip: straight back (the call goes on meanwhile, its media is UDP); backoff after.
          if (error && this.attempt === 0) {
            this.attempt = 1;
            this.timer = setTimeout(() => {
              this.timer = null;
              if (!this.stopped) this.connect();
            }, 0);
            return;
          }
          this.scheduleReconnect(reason);
        },
        onInvite: (invitation) => this.incoming(invitation),
      },
    });
    this.registerer = new Registerer(this.ua, { expires: 300 });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) {
        this.attempt = 0;
        this.setRegistration({ kind: 'registered' });
      } else if (state === RegistererState.Unregistered && !this.stopped && this.ua.isConnected()) {
        this.setRegistration({ kind: 'offline', reason: 'Not registered', retryAt: null });
      }
    });
  }

  getSnapshot = (): SoftphoneSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('pageshow', this.onPageShow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('pageshow', this.onPageShow);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.timer) clearTimeout(this.timer);
    if (this.unloading) return;
    try {
      if (this.session) await this.endSession(this.session);
      if (this.registerer.state === RegistererState.Registered) await this.registerer.unregister();
    } catch {
      // best effort: the server drops bindings when the WebSocket closes anyway
    }
    await this.ua.stop().catch(() => {});
  }

  setIceServers(servers: RTCIceServer[]): void {
    this.peerConnection.iceServers = servers;
  }

  retryNow(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.ua.isConnected()) this.register();
    else this.connect();
  }

  private connect(): void {
    this.setRegistration({ kind: 'connecting', attempt: this.attempt });
    const run = this.ua.state === UserAgentState.Started ? this.ua.reconnect() : this.ua.start();
    run.catch((err: unknown) => {
      this.scheduleReconnect(`Cannot reach the switch (${err instanceof Error ? err.message : String(err)})`);
    });
  }

  private register(): void {
    if (this.stopped) return;
    this.registerer
      .register({
        requestDelegate: {
          // After a reconnection the Registerer is still "Registered" (sip.js does not leave that
          // state when the transport drops), so its state listener stays silent: the 2xx says it.
          onAccept: () => {
            this.attempt = 0;
            this.setRegistration({ kind: 'registered' });
          },
          onReject: (response) => {
            const { statusCode, reasonPhrase } = response.message;
            if (statusCode === 401 || statusCode === 403) {
              this.setRegistration({
                kind: 'offline',
                reason: `Registration refused (${statusCode} ${reasonPhrase}): your sign-in may have ended`,
                retryAt: null,
              });
              this.hooks.onCredentialsRejected();
              return;
            }
            this.scheduleReconnect(`Registration refused (${statusCode} ${reasonPhrase})`, false);
          },
        },
      })
      .catch((err: unknown) => this.scheduleReconnect(`Registration failed (${String(err)})`, false));
  }

  private scheduleReconnect(reason: string, reconnectTransport = true): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = backoffDelay(this.attempt, reconnectBackoff);
    this.attempt += 1;
    this.setRegistration({ kind: 'offline', reason, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      if (reconnectTransport || !this.ua.isConnected()) this.connect();
      else this.register();
    }, delay);
  }

  async dial(number: string, options: DialOptions = {}): Promise<void> {
    if (this.session) throw new Error('Finish the current call first');
    if (this.snapshot.registration.kind !== 'registered') throw new Error('The softphone is not registered');
    const target = UserAgent.makeURI(dialTarget(number, this.config.sipUri));
    if (!target) throw new Error(`Cannot dial ${number}`);
    const inviter = new Inviter(this.ua, target, {
      sessionDescriptionHandlerOptions: this.mediaOptions(),
      extraHeaders: options.headers ?? [],
    });
    this.track(inviter, {
      id: inviter.id,
      callId: null,
      direction: 'outbound',
      remote: options.display ?? number,
      remoteName: null,
      queue: null,
      state: 'dialing',
      startedAt: null,
      muted: false,
      held: false,
      holdPending: false,
      endedReason: null,
    });
    await inviter.invite({
      requestDelegate: {
        onProgress: () => this.patchCall({ state: 'early' }),
        onReject: (response) => {
          const { statusCode, reasonPhrase } = response.message;
          this.patchCall({ endedReason: `${reasonPhrase || 'Call failed'} (${statusCode})` });
        },
      },
    });
  }

  private incoming(invitation: Invitation): void {
    const reconnect = invitation.request.getHeader('X-Switchboard-Reconnect');
    if (reconnect && !this.stopped) {
      this.reconnected(invitation);
      return;
    }
    if (this.session || this.stopped) {
      void invitation.reject({ statusCode: 486 }).catch(() => {});
      return;
    }
    const identity = invitation.remoteIdentity;
    const queue =
      invitation.request.getHeader('X-Queue') ?? invitation.request.getHeader('X-Switchboard-Queue') ?? null;
    this.track(invitation, {
      id: invitation.id,
      callId: invitation.request.getHeader('X-Switchboard-Call-Id') ?? null,
      direction: 'inbound',
      remote: identity.uri.user ?? identity.uri.toString(),
      remoteName: identity.displayName || null,
      queue,
      state: 'ringing',
      startedAt: null,
      muted: false,
      held: false,
      holdPending: false,
      endedReason: null,
    });
  }

  /**
   * The switch gives back a call this agent lost (the page reloaded, or its media failed): answered
   * at once, no answer bar and no ringtone; the timer goes on from the call's real start. A session
   * still held here for it (same page, dead media) is replaced; the switch ends it with a BYE.
   */
  private reconnected(invitation: Invitation): void {
    const previous = this.snapshot.call;
    const connectedFor = Number(invitation.request.getHeader('X-Switchboard-Connected-For'));
    const identity = invitation.remoteIdentity;
    this.session = null;
    this.track(invitation, {
      id: invitation.id,
      callId: invitation.request.getHeader('X-Switchboard-Call-Id') ?? previous?.callId ?? null,
      direction: previous?.direction ?? 'inbound',
      remote: identity.uri.user ?? identity.uri.toString(),
      remoteName: identity.displayName || null,
      queue:
        invitation.request.getHeader('X-Switchboard-Queue') ??
        (previous?.state === 'ended' ? null : previous?.queue) ??
        null,
      state: 'established',
      startedAt:
        Number.isFinite(connectedFor) && connectedFor >= 0
          ? Date.now() - connectedFor
          : (previous?.startedAt ?? Date.now()),
      muted: previous?.state === 'ended' ? false : (previous?.muted ?? false),
      held: false,
      holdPending: false,
      endedReason: null,
    });
    invitation.accept({ sessionDescriptionHandlerOptions: this.mediaOptions() }).catch((err: unknown) => {
      this.patchCall({ endedReason: `The call could not be resumed (${String(err)})` });
    });
  }

  async answer(): Promise<void> {
    const s = this.session;
    if (!(s instanceof Invitation) || s.state !== SessionState.Initial) return;
    await s.accept({ sessionDescriptionHandlerOptions: this.mediaOptions() });
  }

  async decline(): Promise<void> {
    const s = this.session;
    if (!(s instanceof Invitation) || s.state !== SessionState.Initial) return;
    this.patchCall({ endedReason: 'Declined' });
    await s.reject({ statusCode: 603 });
  }

  async hangUp(): Promise<void> {
    if (this.session) await this.endSession(this.session);
  }

  private async endSession(s: Session): Promise<void> {
    if (s.state === SessionState.Established) await s.bye();
    else if (
      s instanceof Inviter &&
      (s.state === SessionState.Initial || s.state === SessionState.Establishing)
    )
      await s.cancel();
    else if (
      s instanceof Invitation &&
      (s.state === SessionState.Initial || s.state === SessionState.Establishing)
    )
      await s.reject();
  }

  setMuted(muted: boolean): void {
    const call = this.snapshot.call;
    if (!call || !this.session) return;
    this.enableSenders(!muted && !call.held);
    this.patchCall({ muted });
  }

  async setHeld(held: boolean): Promise<void> {
    const s = this.session;
    const call = this.snapshot.call;
    if (!s || !call || s.state !== SessionState.Established || call.holdPending || call.held === held) return;
    this.patchCall({ holdPending: true });
    // The web SDH reads `hold` from the re-INVITE options (sendonly / sendrecv in the offer). They
    // are set, not mutated: while unset, sip.js's getter hands out a fresh object each time, and a
    // hold written into it never reached the offer (the switch saw sendrecv and did not hold).
    const reInvite = { ...s.sessionDescriptionHandlerOptionsReInvite, hold: held };
    s.sessionDescriptionHandlerOptionsReInvite = reInvite;
    await new Promise<void>((resolve) => {
      s.invite({
        requestDelegate: {
          onAccept: () => {
            this.enableReceivers(!held);
            this.enableSenders(!held && !(this.snapshot.call?.muted ?? false));
            this.patchCall({ held, holdPending: false });
            resolve();
          },
          onReject: () => {
            this.patchCall({ holdPending: false });
            resolve();
          },
        },
      }).catch(() => {
        this.patchCall({ holdPending: false });
        resolve();
      });
    });
  }

  async sendDtmf(tone: string): Promise<void> {
    const s = this.session;
    if (!s || s.state !== SessionState.Established || !/^[0-9A-D*#]$/.test(tone)) return;
    const sdh = s.sessionDescriptionHandler as unknown as WebSdh | undefined;
    if (sdh?.sendDtmf(tone, { duration: 100, interToneGap: 70 })) return;
    // No RFC 4733 sender: SIP INFO (application/dtmf-relay).
    await s.info({
      requestOptions: {
        body: {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${tone}\r\nDuration=100`,
        },
      },
    });
  }

  private mediaOptions() {
    return { constraints: { audio: this.hooks.microphoneConstraints(), video: false } };
  }

  /** Microphone changes one after the other: each opens what the settings say when its turn comes. */
  private microphoneChange: Promise<void> = Promise.resolve();

  replaceMicrophone(): Promise<void> {
    const run = this.microphoneChange.then(() => this.swapMicrophone());
    this.microphoneChange = run.catch(() => {});
    return run;
  }

  private async swapMicrophone(): Promise<void> {
    const s = this.session;
    if (!s || s.state !== SessionState.Established) return;
    const sdh = s.sessionDescriptionHandler as unknown as WebSdh | undefined;
    const pc = sdh?.peerConnection;
    if (!sdh || !pc) return;
    // The old track goes first: Chromium opens a device once, with the processing of its first
    // track, so a device still open with other settings would keep them. A settings change costs a
    // moment of silence.
    const old = pc.getSenders().find((x) => x.track?.kind === 'audio')?.track;
    if (old) {
      old.onended = null;
      old.stop();
    }
    const stream = await openMicrophone(this.hooks.microphoneConstraints());
    if (this.session !== s || s.state !== SessionState.Established) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    // sip.js swaps the sender's track (replaceTrack: no re-INVITE).
    await sdh.setLocalMediaStream(stream);
    const call = this.snapshot.call;
    this.enableSenders(!(call?.muted ?? false) && !(call?.held ?? false));
    this.watchMicrophone(s);
  }

  async getStats(): Promise<RTCStatsReport | null> {
    const pc = (this.session?.sessionDescriptionHandler as unknown as WebSdh | undefined)?.peerConnection;
    return pc ? pc.getStats() : null;
  }

  /**
   * A track ends by itself only when its device went away (our own stop() fires no `ended`): the call
   * goes on with the default microphone instead of sending nothing.
   */
  private watchMicrophone(s: Session): void {
    const pc = (s.sessionDescriptionHandler as unknown as WebSdh | undefined)?.peerConnection;
    const track = pc?.getSenders().find((x) => x.track?.kind === 'audio')?.track;
    if (!track) return;
    track.onended = () => {
      if (this.session !== s) return;
      this.replaceMicrophone()
        .then(() => this.hooks.onMicrophoneLost?.(track.label || 'Your microphone'))
        .catch(() => this.hooks.onMicrophoneLost?.(track.label || 'Your microphone'));
    };
  }

  dismissEnded(): void {
    if (this.snapshot.call?.state === 'ended') this.set({ ...this.snapshot, call: null });
  }

  private track(session: Session, view: CallView): void {
    this.session = session;
    this.set({ ...this.snapshot, call: view });
    session.stateChange.addListener((state) => {
      if (this.session !== session) return;
      if (state === SessionState.Established) {
        this.attachAudio(session);
        const call = this.snapshot.call;
        this.patchCall({ state: 'established', startedAt: call?.startedAt ?? Date.now() });
        if (call?.muted) this.enableSenders(false);
        this.watchMicrophone(session);
      } else if (state === SessionState.Terminated) {
        this.session = null;
        const audio = this.hooks.audioElement();
        if (audio) audio.srcObject = null;
        const call = this.snapshot.call;
        const reason =
          call?.endedReason ??
          (call?.state === 'established'
            ? 'Call ended'
            : call?.direction === 'inbound'
              ? 'Missed call'
              : 'No answer');
        this.patchCall({ state: 'ended', endedReason: reason, holdPending: false });
      }
    });
  }

  private attachAudio(session: Session): void {
    const sdh = session.sessionDescriptionHandler as unknown as WebSdh | undefined;
    const audio = this.hooks.audioElement();
    if (!sdh || !audio) return;
    const stream = sdh.remoteMediaStream;
    audio.srcObject = stream;
    const play = () => void audio.play().catch(() => {});
    stream.onaddtrack = play;
    play();
  }

  private enableSenders(enable: boolean): void {
    const pc = (this.session?.sessionDescriptionHandler as unknown as WebSdh | undefined)?.peerConnection;
    for (const sender of pc?.getSenders() ?? []) if (sender.track) sender.track.enabled = enable;
  }

  private enableReceivers(enable: boolean): void {
    const pc = (this.session?.sessionDescriptionHandler as unknown as WebSdh | undefined)?.peerConnection;
    for (const receiver of pc?.getReceivers() ?? []) receiver.track.enabled = enable;
  }

  showParty(callId: string, party: string): void {
    const call = this.snapshot.call;
    if (!call || call.callId !== callId || call.state === 'ended') return;
    // The same party: the name the phone was rung with stays.
    if (call.remote === party) return;
    this.patchCall({ remote: party, remoteName: null });
  }

  private patchCall(patch: Partial<CallView>): void {
    const call = this.snapshot.call;
    if (!call) return;
    this.set({ ...this.snapshot, call: { ...call, ...patch } });
  }

  private setRegistration(registration: RegistrationView): void {
    this.set({ ...this.snapshot, registration });
  }

  private set(next: SoftphoneSnapshot): void {
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }
}

export function createSipEngine(config: WebSipConfig, hooks: EngineHooks): SoftphoneEngine {
  return new SipEngine(config, hooks);
}
