import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { IceServer } from '@switchboard/shared';
import { z } from 'zod';
import { trustedProxyProblem } from './http/trusted-proxies';

const port = (name: string, fallback: number, min = 1) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be between ${min} and 65535`)
    .max(65535, `${name} must be between ${min} and 65535`)
    .default(fallback);

const host = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} must not be empty`)
    .refine((v) => isIP(v) !== 0 || /^[a-z0-9.-]+$/i.test(v), `${name} must be an IP address or host name`);

const count = (name: string, fallback: number, min = 1, max = 1_000_000) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be between ${min} and ${max}`)
    .max(max, `${name} must be between ${min} and ${max}`)
    .default(fallback);

const commaList = z
  .string()
  .trim()
  .transform((v) =>
    v
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  );

const addressList = (name: string) =>
  commaList.refine(
    (list) => list.every((a) => isIP(a) !== 0),
    `${name} must be a comma-separated list of IP addresses`,
  );

/** STUN and TURN URLs as RFC 7064 and RFC 7065 write them (what coturn documents). */
const ICE_URL = /^(stun|stuns|turn|turns):[^\s,]+$/i;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** Passwords an attacker tries first: the demo ones and the usual defaults. */
const DEFAULT_PASSWORDS = new Set(['admin', 'password', 'changeme', 'switchboard', 'alice', 'sam', 'demo']);
function weakPassword(password: string, username: string | undefined): boolean {
  const p = password.toLowerCase();
  return (
    password.length < 12 || DEFAULT_PASSWORDS.has(p) || p === username?.toLowerCase() || /^(.)\1*$/.test(p)
  );
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: host('HOST').default('127.0.0.1'),
    PORT: port('PORT', 8080),
    SIP_HOST: host('SIP_HOST').default('127.0.0.1'),
    // 0 picks a free port (tests run many servers side by side).
    SIP_PORT: port('SIP_PORT', 5060, 0),
    SIP_PUBLIC_ADDRESS: host('SIP_PUBLIC_ADDRESS').optional(),
    RTP_PORT_MIN: port('RTP_PORT_MIN', 20000),
    RTP_PORT_MAX: port('RTP_PORT_MAX', 29999),
    DATABASE_URL: z
      .string()
      .trim()
      .default('sqlite:./data/switchboard.db')
      .refine(
        (v) => v.startsWith('sqlite:') || v.startsWith('postgres://') || v.startsWith('postgresql://'),
        'DATABASE_URL must start with sqlite: or postgres://',
      ),
    RECORDINGS_DIR: z.string().trim().min(1).default('./data/recordings'),
    // A query the database has not answered by then fails (PostgreSQL; docs/security.md).
    DATABASE_QUERY_TIMEOUT_SECONDS: count('DATABASE_QUERY_TIMEOUT_SECONDS', 15, 1, 3600),
    /** Where call record writes wait while the database is out; beside the recordings by default. */
    CALL_RECORDS_JOURNAL: z.string().trim().min(1).optional(),
    /** The sound library (uploaded prompts); beside the recordings by default. */
    SOUNDS_DIR: z.string().trim().min(1).optional(),
    TRUNK_URI: z
      .string()
      .trim()
      .regex(/^sips?:[^\s]+$/, 'TRUNK_URI must be a SIP URI such as sip:carrier.example.com:5060')
      .optional(),
    TRUNK_USERNAME: z.string().optional(),
    TRUNK_PASSWORD: z.string().optional(),
    DEFAULT_COUNTRY: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, 'DEFAULT_COUNTRY must be a two-letter ISO country code such as US')
      .default('US'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10080).default(480),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    WEB_DIST_DIR: z.string().optional(),
    SEED_DEMO_DATA: z.enum(['auto', 'never']).default('auto'),
    // A web agent's page reloaded or lost its network mid-call: how long the customer waits on hold
    // music for the agent to come back before the call ends (agent_lost).
    AGENT_RECONNECT_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
    DESK_CLOSED_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
    // SIGTERM drains the node: no new calls, live ones finish within this time, then it stops.
    SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
    // Days calls and recordings are kept (0: for ever); docs/operations.md.
    RETENTION_RECORDINGS_DAYS: count('RETENTION_RECORDINGS_DAYS', 0, 0, 36_500),
    RETENTION_CALLS_DAYS: count('RETENTION_CALLS_DAYS', 0, 0, 36_500),
    DIALER_CALLS_PER_SECOND: z.coerce.number().positive().max(10_000).default(10),
    DIALER_MAX_CONCURRENT: z.coerce.number().int().positive().max(100_000).default(50),
    MEDIA_THREAD: z.enum(['worker', 'main']).default('worker'),
    // Abuse limits (docs/security.md). SIP per source, Kamailio pike's range by default.
    SIP_RATE_LIMIT_REQUESTS: count('SIP_RATE_LIMIT_REQUESTS', 16),
    SIP_RATE_LIMIT_WINDOW_SECONDS: count('SIP_RATE_LIMIT_WINDOW_SECONDS', 2, 1, 3600),
    SIP_AUTH_FAILURES_BEFORE_BAN: count('SIP_AUTH_FAILURES_BEFORE_BAN', 5),
    SIP_AUTH_FAILURE_WINDOW_SECONDS: count('SIP_AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
    SIP_BAN_SECONDS: count('SIP_BAN_SECONDS', 300, 1, 86_400 * 7),
    SIP_MAX_CONNECTIONS: count('SIP_MAX_CONNECTIONS', 0, 0),
    SIP_MAX_CONNECTIONS_PER_ADDRESS: count('SIP_MAX_CONNECTIONS_PER_ADDRESS', 100),
    SIP_WS_MAX_PER_SESSION: count('SIP_WS_MAX_PER_SESSION', 4),
    SIP_AUTH_TIMEOUT_SECONDS: count('SIP_AUTH_TIMEOUT_SECONDS', 10, 1, 3600),
    SIP_MAX_CONTACTS_PER_EXTENSION: count('SIP_MAX_CONTACTS_PER_EXTENSION', 10, 1, 1000),
    EVENT_STREAMS_PER_SESSION: count('EVENT_STREAMS_PER_SESSION', 5, 1, 1000),
    HTTP_MAX_CONNECTIONS: count('HTTP_MAX_CONNECTIONS', 0, 0),
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: count('HTTP_MAX_CONNECTIONS_PER_ADDRESS', 256),
    HTTP_RESERVED_CONNECTIONS: count('HTTP_RESERVED_CONNECTIONS', 32, 1, 10_000),
    METRICS_ALLOWED_ADDRESSES: addressList('METRICS_ALLOWED_ADDRESSES').default(['127.0.0.1', '::1']),
    METRICS_TOKEN: z.string().trim().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
    ALLOWED_HOSTS: commaList.transform((hosts) => hosts.map((h) => h.toLowerCase())).optional(),
    NODE_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'NODE_ID may use letters, digits, dot, dash and underscore')
      .default('main'),
    // The administrator created on the first start when the database has none (production has no demo data).
    ADMIN_USERNAME: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'ADMIN_USERNAME may use letters, digits, dot, dash and underscore')
      .optional(),
    ADMIN_PASSWORD: z.string().optional(),
    // Proxies in front (TLS terminators, load balancers) whose X-Forwarded-For/-Proto/-Host are believed.
    TRUST_PROXY: commaList
      .superRefine((list, ctx) => {
        for (const entry of list) {
          const problem = trustedProxyProblem(entry);
          if (problem) ctx.addIssue({ code: 'custom', message: `TRUST_PROXY entry ${problem}` });
        }
      })
      .optional(),
    // STUN/TURN servers for the browsers' and the switch's ICE (coturn: its listening URLs and a user).
    TURN_URLS: commaList
      .superRefine((list, ctx) => {
        for (const url of list) {
          if (!ICE_URL.test(url))
            ctx.addIssue({
              code: 'custom',
              message: `TURN_URLS entry "${url}" is not a turn:, turns:, stun: or stuns: URL such as turn:turn.example.com:3478`,
            });
        }
      })
      .optional(),
    TURN_USERNAME: z.string().trim().optional(),
    TURN_PASSWORD: z.string().optional(),
    // coturn's `use-auth-secret`: short-lived TURN credentials made per agent from a shared secret.
    TURN_SECRET: z.string().optional(),
    TURN_CREDENTIAL_TTL_SECONDS: z.coerce
      .number({ error: 'TURN_CREDENTIAL_TTL_SECONDS must be a whole number of seconds' })
      .int('TURN_CREDENTIAL_TTL_SECONDS must be a whole number of seconds')
      .min(600, 'TURN_CREDENTIAL_TTL_SECONDS must be at least 600 (10 minutes)')
      .max(604_800, 'TURN_CREDENTIAL_TTL_SECONDS must be at most 604800 (7 days)')
      .default(43_200),
  })
  .superRefine((env, ctx) => {
    if (env.RTP_PORT_MIN >= env.RTP_PORT_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['RTP_PORT_MAX'],
        message: 'RTP_PORT_MAX must be above RTP_PORT_MIN',
      });
    }
    if (Boolean(env.TRUNK_USERNAME) !== Boolean(env.TRUNK_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUNK_PASSWORD'],
        message: 'TRUNK_USERNAME and TRUNK_PASSWORD must be set together',
      });
    }
    if (Boolean(env.ADMIN_USERNAME) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'ADMIN_USERNAME and ADMIN_PASSWORD must be set together',
      });
    }
    if (env.NODE_ENV === 'production') {
      // Phones and carriers must be told an address they can reach, not 0.0.0.0 or a private bind.
      if (!LOOPBACK.has(env.SIP_HOST) && !env.SIP_PUBLIC_ADDRESS) {
        ctx.addIssue({
          code: 'custom',
          path: ['SIP_PUBLIC_ADDRESS'],
          message:
            'SIP_PUBLIC_ADDRESS is required in production when SIP_HOST is not a loopback address: the address phones and carriers reach this node at',
        });
      }
      if (env.ADMIN_PASSWORD !== undefined && weakPassword(env.ADMIN_PASSWORD, env.ADMIN_USERNAME)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ADMIN_PASSWORD'],
          message:
            'ADMIN_PASSWORD is too weak for production: use 12 or more characters, not a default password',
        });
      }
    }
    const relays = env.TURN_URLS?.some((u) => /^turns?:/i.test(u)) ?? false;
    if (env.TURN_SECRET !== undefined && (env.TURN_USERNAME || env.TURN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TURN_SECRET'],
        message:
          'TURN_SECRET (short-lived credentials) and TURN_USERNAME/TURN_PASSWORD (one fixed user) cannot be set together',
      });
    } else if (env.TURN_SECRET !== undefined) {
      if (env.TURN_SECRET.length < 16)
        ctx.addIssue({
          code: 'custom',
          path: ['TURN_SECRET'],
          message: "TURN_SECRET must be at least 16 characters (coturn's static-auth-secret)",
        });
      if (!relays)
        ctx.addIssue({
          code: 'custom',
          path: ['TURN_URLS'],
          message: 'TURN_URLS needs a turn: or turns: URL when TURN_SECRET is set',
        });
    } else if (Boolean(env.TURN_USERNAME) !== Boolean(env.TURN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TURN_PASSWORD'],
        message: 'TURN_USERNAME and TURN_PASSWORD must be set together',
      });
    } else if (relays && !env.TURN_USERNAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['TURN_USERNAME'],
        message:
          'TURN_USERNAME and TURN_PASSWORD (a user of the TURN server), or TURN_SECRET, are required with turn: URLs',
      });
    } else if (env.TURN_USERNAME && !relays) {
      ctx.addIssue({
        code: 'custom',
        path: ['TURN_URLS'],
        message: 'TURN_URLS needs a turn: or turns: URL when TURN_USERNAME is set',
      });
    }
    if ((env.TRUNK_USERNAME || env.TRUNK_PASSWORD) && !env.TRUNK_URI) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUNK_URI'],
        message: 'TRUNK_URI is required when trunk credentials are set',
      });
    }
  });

export type Config = {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number };
  sip: { host: string; port: number; publicAddress: string };
  rtp: { portMin: number; portMax: number };
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  databaseQueryTimeoutMs: number;
  /** The journal file of call record writes the database could not take yet. */
  callRecordsJournal: string;
  recordingsDir: string;
  soundsDir: string;
  trunk: { uri: string; username?: string; password?: string } | null;
  defaultCountry: string;
  logLevel: string;
  session: { idleMs: number; maxMs: number };
  webDistDir: string | null;
  seedDemoData: boolean;
  /** Names this server among several sharing one database (crash recovery, dialer claims). */
  nodeId: string;
  /** The administrator to create when the database has none (first start). */
  initialAdmin: { username: string; password: string } | null;
  /** How long a call waits for a web agent who lost the page or the network (0: no waiting). */
  agentReconnectGraceMs: number;
  /** How long an agent whose last desk tab closed stays signed in (a reload comes back within it). */
  deskClosedGraceMs: number;
  /** On SIGTERM, how long live calls may go on after new ones are refused (docs/operations.md). */
  shutdownDrainMs: number;
  /** Days recordings and call records are kept; 0 keeps them. */
  retention: { recordingsDays: number; callsDays: number };
  /** This node's outbound dialer caps: calls started per second and calls up at once. */
  dialer: { callsPerSecond: number; maxConcurrent: number };
  /** Where RTP, SRTP and the 20 ms media clock run: a worker thread (default) or the SIP/HTTP thread. */
  mediaThread: 'worker' | 'main';
  security: SecurityConfig;
  /**
   * STUN and TURN servers for ICE, as RTCPeerConnection takes them: the browsers' softphone and
   * network check get them with their configuration, the media plane's WebRTC legs use them too.
   */
  iceServers: IceServer[];
  /**
   * Short-lived TURN credentials (coturn's `use-auth-secret`): each agent's browser and the media
   * plane get their own, made from the shared secret and valid for `ttlMs`; null: the fixed TURN user
   * in `iceServers`, if any.
   */
  turnRest: { secret: string; ttlMs: number } | null;
};

/** STUN URLs need no credentials; TURN URLs carry the TURN user (coturn's lt-cred-mech). */
function iceServersOf(urls: string[] | undefined, username?: string, password?: string): IceServer[] {
  const stun = (urls ?? []).filter((u) => /^stuns?:/i.test(u));
  const turn = (urls ?? []).filter((u) => /^turns?:/i.test(u));
  const servers: IceServer[] = [];
  if (stun.length) servers.push({ urls: stun });
  if (turn.length) servers.push({ urls: turn, username, credential: password });
  return servers;
}

/** Abuse limits; docs/security.md explains each. */
export interface SecurityConfig {
  sipGuard: {
    requests: number;
    windowMs: number;
    authFailures: number;
    authWindowMs: number;
    banMs: number;
  };
  /** Incoming SIP connections per stream transport (TCP, WebSocket), leaving descriptors for HTTP. */
  sipMaxConnections: number;
  sipMaxConnectionsPerAddress: number;
  sipWsMaxPerSession: number;
  /** A SIP connection that has not registered (or come from a trunk) by then is closed. */
  sipAuthTimeoutMs: number;
  /** Registered contacts one extension may hold (each inbound call forks to all of them). */
  sipMaxContactsPerExtension: number;
  eventStreamsPerSession: number;
  /** HTTP connections in total and per client address; a reserve above the total is kept for health and sign-in. */
  httpMaxConnections: number;
  httpMaxConnectionsPerAddress: number;
  httpReservedConnections: number;
  metricsAllowedAddresses: string[];
  metricsToken: string | null;
  /** Host names (optionally with :port) the HTTP API answers to; null: HOST and the localhost names. */
  allowedHosts: string[] | null;
  /** TRUST_PROXY: addresses, CIDRs or `loopback` of the proxies whose X-Forwarded-* are believed. */
  trustedProxies: string[];
}

/** The process's open-file limit (Linux /proc), or null where it cannot be read. */
function openFileLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!m) return null;
    return m[1] === 'unlimited' ? 1_048_576 : Number(m[1]);
  } catch {
    return null;
  }
}

/**
 * Without a setting, TCP and WebSocket each get a third of what the descriptor limit leaves after a
 * reserve (a quarter, at least 256) for HTTP, the database, recordings and RTP.
 */
export function defaultSipMaxConnections(fdLimit: number | null = openFileLimit()): number {
  const limit = fdLimit ?? 4096;
  const reserve = Math.max(256, Math.floor(limit / 4));
  return Math.max(16, Math.floor((limit - reserve) / 3));
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** EX_CONFIG (sysexits.h): the exit code of a process refused for its settings. */
export const EXIT_BAD_CONFIG = 78;

/** The settings of this process, or its end: each bad setting printed, exit code 78. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(EXIT_BAD_CONFIG);
    }
    throw err;
  }
}

/** Reads the runtime contract from the environment; throws ConfigError naming each bad setting. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.') || 'environment'}: ${i.message} (got ${show(blankless, i.path)})`,
      ),
    );
  }
  const e = parsed.data;
  const database: Config['database'] = e.DATABASE_URL.startsWith('sqlite:')
    ? { kind: 'sqlite', file: e.DATABASE_URL.slice('sqlite:'.length) || ':memory:' }
    : { kind: 'postgres', url: e.DATABASE_URL };
  return {
    env: e.NODE_ENV,
    initialAdmin:
      e.ADMIN_USERNAME && e.ADMIN_PASSWORD
        ? { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD }
        : null,
    http: { host: e.HOST, port: e.PORT },
    sip: { host: e.SIP_HOST, port: e.SIP_PORT, publicAddress: e.SIP_PUBLIC_ADDRESS ?? e.SIP_HOST },
    rtp: { portMin: e.RTP_PORT_MIN, portMax: e.RTP_PORT_MAX },
    database,
    databaseQueryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_SECONDS * 1000,
    callRecordsJournal: e.CALL_RECORDS_JOURNAL
      ? path.resolve(e.CALL_RECORDS_JOURNAL)
      : path.join(path.dirname(path.resolve(e.RECORDINGS_DIR)), `call-records-${e.NODE_ID}.journal`),
    recordingsDir: path.resolve(e.RECORDINGS_DIR),
    soundsDir: e.SOUNDS_DIR
      ? path.resolve(e.SOUNDS_DIR)
      : path.join(path.dirname(path.resolve(e.RECORDINGS_DIR)), 'sounds'),
    trunk: e.TRUNK_URI ? { uri: e.TRUNK_URI, username: e.TRUNK_USERNAME, password: e.TRUNK_PASSWORD } : null,
    defaultCountry: e.DEFAULT_COUNTRY,
    logLevel: e.LOG_LEVEL,
    session: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, maxMs: e.SESSION_MAX_HOURS * 3_600_000 },
    webDistDir: e.WEB_DIST_DIR ? path.resolve(e.WEB_DIST_DIR) : null,
    seedDemoData: e.NODE_ENV !== 'production' && e.SEED_DEMO_DATA === 'auto',
    nodeId: e.NODE_ID,
    agentReconnectGraceMs: e.AGENT_RECONNECT_GRACE_SECONDS * 1000,
    deskClosedGraceMs: Math.round(e.DESK_CLOSED_GRACE_SECONDS * 1000),
    // A development server stops at once; production lets calls end (two minutes unless set).
    shutdownDrainMs: (e.SHUTDOWN_DRAIN_SECONDS ?? (e.NODE_ENV === 'production' ? 120 : 0)) * 1000,
    retention: { recordingsDays: e.RETENTION_RECORDINGS_DAYS, callsDays: e.RETENTION_CALLS_DAYS },
    dialer: { callsPerSecond: e.DIALER_CALLS_PER_SECOND, maxConcurrent: e.DIALER_MAX_CONCURRENT },
    mediaThread: e.MEDIA_THREAD,
    security: {
      sipGuard: {
        requests: e.SIP_RATE_LIMIT_REQUESTS,
        windowMs: e.SIP_RATE_LIMIT_WINDOW_SECONDS * 1000,
        authFailures: e.SIP_AUTH_FAILURES_BEFORE_BAN,
        authWindowMs: e.SIP_AUTH_FAILURE_WINDOW_SECONDS * 1000,
        banMs: e.SIP_BAN_SECONDS * 1000,
      },
      sipMaxConnections: e.SIP_MAX_CONNECTIONS || defaultSipMaxConnections(),
      sipMaxConnectionsPerAddress: e.SIP_MAX_CONNECTIONS_PER_ADDRESS,
      sipWsMaxPerSession: e.SIP_WS_MAX_PER_SESSION,
      sipAuthTimeoutMs: e.SIP_AUTH_TIMEOUT_SECONDS * 1000,
      sipMaxContactsPerExtension: e.SIP_MAX_CONTACTS_PER_EXTENSION,
      eventStreamsPerSession: e.EVENT_STREAMS_PER_SESSION,
      httpMaxConnections: e.HTTP_MAX_CONNECTIONS || defaultSipMaxConnections(),
      httpMaxConnectionsPerAddress: e.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
      httpReservedConnections: e.HTTP_RESERVED_CONNECTIONS,
      metricsAllowedAddresses: e.METRICS_ALLOWED_ADDRESSES,
      metricsToken: e.METRICS_TOKEN ?? null,
      allowedHosts: e.ALLOWED_HOSTS?.length ? e.ALLOWED_HOSTS : null,
      trustedProxies: e.TRUST_PROXY ?? [],
    },
    iceServers: iceServersOf(e.TURN_URLS, e.TURN_USERNAME, e.TURN_PASSWORD),
    turnRest: e.TURN_SECRET ? { secret: e.TURN_SECRET, ttlMs: e.TURN_CREDENTIAL_TTL_SECONDS * 1000 } : null,
  };
}

function show(env: Record<string, unknown>, p: PropertyKey[]): string {
  const key = p[0];
  if (typeof key !== 'string' || !(key in env)) return 'nothing';
  if (/PASSWORD|SECRET|TOKEN/.test(key)) return 'a value';
  return JSON.stringify(env[key]);
}
