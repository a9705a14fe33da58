import path from 'node:path';
import type { SoftphoneConfig } from '@switchboard/shared';
import { createAnswer, createOffer } from '@switchboard/sip';
import { type SippProcess, startSipp } from '@switchboard/test-support';
import {
  Registerer,
  type RegistererOptions,
  RegistererState,
  UserAgent,
  type UserAgentDelegate,
  type UserAgentOptions,
} from 'sip.js';
import { WebSocket } from 'ws';
import type { RegistrationChange } from '../src/switch/contracts';
import { sippScenarioFile } from './sipp/scenario-files';
import type { ApiClient, TestSystem } from './test-system';

// sip.js looks for a browser WebSocket; in Node 20 the `ws` package stands in for it. It sends no
// Origin header, like any non-browser SIP client.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/**
 * sip.js needs a SessionDescriptionHandler; without WebRTC in Node this one offers and answers plain
 * G.711 SDP for a fixed address (no media flows). Pass your own factory for media tests.
 */
export function staticSdhFactory(address = '127.0.0.1', port = 20100) {
  return () => {
    let remote: string | undefined;
    return {
      close() {},
      async getDescription() {
        const body = remote
          ? (createAnswer(remote, { address, port })?.sdp ?? '')
          : createOffer({ address, port });
        return { body, contentType: 'application/sdp' };
      },
      hasDescription: (contentType: string) => contentType === 'application/sdp',
      async setDescription(sdp: string) {
        remote = sdp;
      },
      sendDtmf: () => true,
      rollbackDescription: async () => {},
    };
  };
}

/**
 * The SessionDescriptionHandler of an answering sip.js agent whose media is a WebRtcLeg (the browser's
 * side of a call, played in Node): the offer goes to the leg, its answer back; `close` ends the media.
 */
export function legAnsweringSdh(leg: { acceptOffer(sdp: string): Promise<string> }, close: () => void) {
  let remote = '';
  return {
    close,
    async getDescription() {
      return { body: await leg.acceptOffer(remote), contentType: 'application/sdp' };
    },
    hasDescription: (contentType: string) => contentType === 'application/sdp',
    async setDescription(sdp: string) {
      remote = sdp;
    },
    sendDtmf: () => false,
    rollbackDescription: async () => {},
  };
}

export interface WebAgent {
  username: string;
  extension: string;
  client: ApiClient;
  config: NonNullable<SoftphoneConfig['web']>;
  ua: UserAgent;
  registerer: Registerer;
  /** Resolves when the registerer reaches `state` (immediately if it is there). */
  waitState(state: RegistererState): Promise<void>;
  /** Unregisters (Expires: 0) and stops the UserAgent. */
  stop(): Promise<void>;
}

export interface WebAgentOptions {
  /** Login password (the demo users' password is their username). */
  password?: string;
  /** An already logged-in client to use. */
  client?: ApiClient;
  /** Handles INVITEs (`onInvite`), MESSAGEs... */
  delegate?: UserAgentDelegate;
  sessionDescriptionHandlerFactory?: UserAgentOptions['sessionDescriptionHandlerFactory'];
  registererOptions?: RegistererOptions;
  /** Overrides the SIP password from /api/softphone/config (to test refusals). */
  sipPassword?: string;
  /** Do not wait for Registered (e.g. a refusal is expected). */
  noWait?: boolean;
  timeoutMs?: number;
}

function waitRegisterer(registerer: Registerer, wanted: RegistererState, timeoutMs: number): Promise<void> {
  if (registerer.state === wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`registerer did not reach ${wanted} (is ${registerer.state})`)),
      timeoutMs,
    );
    const listener = (s: RegistererState) => {
      if (s !== wanted) return;
      clearTimeout(t);
      registerer.stateChange.removeListener(listener);
      resolve();
    };
    registerer.stateChange.addListener(listener);
  });
}

/**
 * Logs `username` in over HTTP, fetches /api/softphone/config and registers a sip.js 0.21
 * UserAgent in Node over ws://…/sip with the session's short-lived credential, as the browser does.
 */
export async function registerWebAgent(
  sys: TestSystem,
  username: string,
  options: WebAgentOptions = {},
): Promise<WebAgent> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const client = options.client ?? sys.client();
  if (!options.client) await client.login(username, options.password ?? username);
  const res = await client.get('/api/softphone/config');
  if (res.status !== 200) throw new Error(`softphone config for ${username}: ${res.status} ${res.text}`);
  const config = (res.body as SoftphoneConfig).web;
  if (!config) throw new Error(`${username} has no web extension`);
  const ua = new UserAgent({
    uri: UserAgent.makeURI(config.sipUri),
    authorizationUsername: config.authorizationUser,
    authorizationPassword: options.sipPassword ?? config.password,
    displayName: config.displayName,
    transportOptions: { server: config.webSocketUrl, connectionTimeout: 5 },
    sessionDescriptionHandlerFactory: (options.sessionDescriptionHandlerFactory ??
      staticSdhFactory()) as UserAgentOptions['sessionDescriptionHandlerFactory'],
    delegate: options.delegate,
    logLevel: 'error',
  });
  await ua.start();
  const registerer = new Registerer(ua, { regId: 1, ...options.registererOptions });
  const agent: WebAgent = {
    username,
    extension: config.sipUri.replace(/^sip:([^@]+)@.*$/, '$1'),
    client,
    config,
    ua,
    registerer,
    waitState: (s) => waitRegisterer(registerer, s, timeoutMs),
    async stop() {
      if (registerer.state === RegistererState.Registered) {
        const gone = waitRegisterer(registerer, RegistererState.Unregistered, timeoutMs).catch(() => {});
        await registerer.unregister().catch(() => {});
        await gone;
      }
      await registerer.dispose().catch(() => {});
      await ua.stop().catch(() => {});
    },
  };
  await registerer.register();
  if (!options.noWait) await agent.waitState(RegistererState.Registered);
  return agent;
}

/** Resolves with the next registration change of `extension` that satisfies `test`. */
export function nextRegistration(
  sys: TestSystem,
  extension: string,
  test: (c: RegistrationChange) => boolean = () => true,
  timeoutMs = 5000,
): Promise<RegistrationChange> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`no registration change for ${extension} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = sys.deps.registrar.onChange((c) => {
      if (c.extension !== extension || !test(c)) return;
      clearTimeout(t);
      off();
      resolve(c);
    });
  });
}

// ---- sipp -------------------------------------------------------------------------------------

export {
  freeMediaPorts,
  freePort,
  freeUdpRange,
  type SippProcess,
  startSipp,
  tcpReady,
} from '@switchboard/test-support';

/**
 * sipp as desk phone 1004 (digest secret dave-secret in the demo data): registers over UDP or TCP,
 * holds the registration for `holdMs`, then unregisters. Other scenarios (a desk phone answering
 * calls) can be passed in `scenario`; `[field0]` is the extension, `[authentication]` uses its secret.
 */
export async function startSippDeskPhone(
  sys: TestSystem,
  options: {
    transport: 'udp' | 'tcp';
    extension?: string;
    secret?: string;
    scenario?: string;
    holdMs?: number;
    args?: string[];
    timeoutMs?: number;
  },
): Promise<SippProcess> {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sipp-'));
  const inf = path.join(dir, 'phone.csv');
  const extension = options.extension ?? '1004';
  writeFileSync(inf, `SEQUENTIAL\n${extension};\n`);
  return startSipp({
    scenario: options.scenario ?? sippScenarioFile('desk-phone-register.xml'),
    transport: options.transport,
    remote: `127.0.0.1:${sys.sipPort}`,
    timeoutMs: options.timeoutMs,
    args: [
      '-inf',
      inf,
      '-au',
      extension,
      '-ap',
      options.secret ?? 'dave-secret',
      '-m',
      '1',
      '-d',
      String(options.holdMs ?? 1000),
      ...(options.args ?? []),
    ],
  });
}
