import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { parseUri, type SipResponse, type SipStack, SipUri } from '@switchboard/sip';
import type { Db } from '../../db/database';
import type { Logger } from '../../observability/logger';
import type { OutboundTrunks, TrunkRoute, TrunkState } from '../contracts';
import { readInboundAddresses, type TrunkRow, TrunkStore } from './trunk-store';

export interface TrunkManagerOptions {
  db: Db;
  stack: SipStack;
  logger: Logger;
  /** Seconds asked for in the trunk REGISTER (the carrier may grant less). */
  registerExpires?: number;
  /** OPTIONS keep-alive period; 0 turns keep-alives off. */
  optionsIntervalMs?: number;
  /** An OPTIONS unanswered for this long counts as a failure (well before Timer F's 32 s). */
  optionsTimeoutMs?: number;
  /** Consecutive keep-alive failures before the trunk is marked down. */
  downAfter?: number;
  /** Registration retry backoff: first delay, doubling up to the maximum. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Re-read the trunks table this often (other nodes' admin changes); 0 turns it off. */
  reloadIntervalMs?: number;
  /** Host name → addresses (default: DNS lookup, all addresses). */
  resolve?(host: string): Promise<string[]>;
  /** Hears each call through a trunk: inbound on arrival, outbound with the INVITE's final status. */
  onCall?(trunk: string, direction: 'inbound' | 'outbound', status?: number): void;
  now?: () => number;
}

export type RegistrationState = 'registering' | 'registered' | 'failed' | 'unregistered';

/** The live side of a trunk, for the admin API and metrics. */
export interface TrunkStatus {
  id: number;
  name: string;
  state: TrunkState;
  registration: {
    state: RegistrationState;
    expiresAt: number | null;
    lastStatus: number | null;
    lastError: string | null;
    nextAttemptAt: number | null;
  } | null;
  keepalive: {
    up: boolean | null;
    lastCheckedAt: number | null;
    lastStatus: number | null;
    failures: number;
  };
  /** Where inbound calls are accepted from: the URI host's addresses plus inbound_addresses. */
  addresses: string[];
}

/** TrunkRoute plus the resolved next hop, for the call engine. */
export interface ResolvedTrunkRoute extends TrunkRoute {
  host: string;
  port: number;
}

const normalizeAddress = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

async function dnsResolve(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true });
  return found.map((f) => f.address);
}

/** What the switch runs the trunk by: a change restarts it. The dialer's caps are not part of it. */
function trunkSignature(row: TrunkRow): string {
  const { dialer_calls_per_second: _cps, dialer_max_concurrent: _concurrent, ...runs } = row;
  return JSON.stringify(runs);
}

/** One trunk's runtime: its registration loop and keep-alive loop. */
class TrunkRuntime {
  registration: TrunkStatus['registration'];
  keepalive: TrunkStatus['keepalive'] = { up: null, lastCheckedAt: null, lastStatus: null, failures: 0 };
  addresses: string[] = [];
  private allow = new BlockList();
  private regTimer: ReturnType<typeof setTimeout> | undefined;
  private optionsTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly callId: string;
  private cseq = 0;
  private retries = 0;
  private inflight: Promise<unknown> | undefined;
  readonly route: ResolvedTrunkRoute;
  readonly signature: string;

  constructor(
    readonly row: TrunkRow,
    private readonly m: TrunkManager,
  ) {
    this.signature = trunkSignature(row);
    const uri = parseUri(row.uri);
    if (uri?.type !== 'sip') throw new Error(`trunk ${row.name}: not a SIP URI: ${row.uri}`);
    const transport = row.transport === 'tcp' || uri.params.get('transport') === 'tcp' ? 'TCP' : 'UDP';
    const host = uri.host.replace(/^\[|\]$/g, '');
    const port = uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060);
    const next = new SipUri('sip', uri.host, port);
    if (transport === 'TCP') next.params.set('transport', 'tcp');
    this.route = {
      trunkId: row.id,
      name: row.name,
      uri: next.toString(),
      transport,
      credentials: row.username && row.password ? { username: row.username, password: row.password } : null,
      callerId: row.caller_id,
      host,
      port,
      countCall: (direction, status) => m.countCall(row.name, direction, status),
    };
    this.registration =
      row.enabled === 1 && row.register === 1 && this.route.credentials
        ? { state: 'registering', expiresAt: null, lastStatus: null, lastError: null, nextAttemptAt: null }
        : null;
    this.callId = `trunk-${row.id}-${Math.random().toString(36).slice(2, 12)}`;
  }

  get enabled(): boolean {
    return this.row.enabled === 1;
  }

  get state(): TrunkState {
    if (!this.enabled) return 'disabled';
    if (this.keepalive.up === false) return 'down';
    if (this.registration) {
      if (this.registration.state === 'registered') return 'up';
      return this.registration.state === 'registering' ? 'registering' : 'unregistered';
    }
    return 'up';
  }

  status(): TrunkStatus {
    return {
      id: this.row.id,
      name: this.row.name,
      state: this.state,
      registration: this.registration ? { ...this.registration } : null,
      keepalive: { ...this.keepalive },
      addresses: [...this.addresses],
    };
  }

  matches(address: string): boolean {
    const a = normalizeAddress(address);
    const family = isIP(a);
    if (family === 0) return false;
    return this.allow.check(a, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** Resolves the URI host and inbound_addresses (IPs, CIDR blocks or host names). */
  async resolveAddresses(): Promise<void> {
    const extra = readInboundAddresses(this.row.inbound_addresses);
    if (extra === undefined)
      this.m.logger.warn({ trunk: this.row.name }, 'trunk inbound_addresses is not a JSON array');
    const entries = [this.route.host, ...(extra ?? [])];
    const allow = new BlockList();
    const addresses: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim();
      const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
      if (cidr && isIP(cidr[1]!)) {
        const family = isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4';
        allow.addSubnet(cidr[1]!, Number(cidr[2]), family);
        addresses.push(entry);
        continue;
      }
      let ips: string[] = [];
      if (isIP(entry)) ips = [entry];
      else {
        try {
          ips = await this.m.resolve(entry);
        } catch (err) {
          this.m.logger.warn({ err, trunk: this.row.name, host: entry }, 'trunk host does not resolve');
        }
      }
      for (const ip of ips.map(normalizeAddress)) {
        allow.addAddress(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
        addresses.push(ip);
      }
    }
    this.allow = allow;
    this.addresses = [...new Set(addresses)];
  }

  start(): void {
    if (!this.enabled) return;
    if (this.registration) this.register();
    if (this.m.optionsIntervalMs > 0) this.ping();
  }

  // ---- outbound registration (RFC 3261 §10.2) -------------------------------------------------

  private registerRequest(expires: number) {
    const { host, port, transport } = this.route;
    const ruri = new SipUri('sip', host.includes(':') ? `[${host}]` : host, port);
    if (transport === 'TCP') ruri.params.set('transport', 'tcp');
    const aor = `sip:${this.row.username}@${host.includes(':') ? `[${host}]` : host}`;
    // §10.2.4: refreshes keep the Call-ID and raise the CSeq.
    return this.m.stack.createRequest('REGISTER', ruri, {
      from: aor,
      to: aor,
      callId: this.callId,
      cseq: ++this.cseq,
      transport,
      headers: [['Expires', String(expires)]],
    });
  }

  private register(expires = this.m.registerExpires): void {
    if (this.stopped || !this.registration) return;
    const reg = this.registration;
    reg.nextAttemptAt = null;
    const req = this.registerRequest(expires);
    const p = this.m.stack
      .send(req, { credentials: this.route.credentials ?? undefined })
      .then((res) => this.registered(res, expires));
    this.inflight = p;
  }

  private registered(res: SipResponse, asked: number): void {
    this.cseq = Math.max(this.cseq, res.cseq.seq);
    if (this.stopped || !this.registration) return;
    const reg = this.registration;
    const before = this.state;
    reg.lastStatus = res.status;
    if (res.status === 423) {
      // §10.2.8: the registrar wants a longer interval; ask again with its Min-Expires.
      const min = Number.parseInt(res.get('min-expires') ?? '', 10);
      if (Number.isFinite(min) && min > asked && this.retries++ < 3) {
        this.register(min);
        return;
      }
    }
    if (res.status >= 200 && res.status < 300) {
      this.retries = 0;
      const granted = this.grantedExpires(res, asked);
      reg.state = 'registered';
      reg.lastError = null;
      reg.expiresAt = this.m.now() + granted * 1000;
      // Refresh well before expiry: a minute early for long intervals, half-way for short ones.
      const refreshIn = Math.max(granted / 2, granted - 60) * 1000;
      reg.nextAttemptAt = this.m.now() + refreshIn;
      this.regTimer = setTimeout(() => this.register(), refreshIn);
      this.regTimer.unref?.();
    } else {
      reg.state = 'failed';
      reg.lastError = `${res.status} ${res.reason}`;
      const delay = Math.min(this.m.retryMaxMs, this.m.retryMinMs * 2 ** Math.min(this.retries++, 16));
      reg.nextAttemptAt = this.m.now() + delay;
      this.regTimer = setTimeout(() => this.register(), delay);
      this.regTimer.unref?.();
      this.m.logger.warn(
        { trunk: this.row.name, status: res.status, retryInMs: delay },
        'trunk registration failed',
      );
    }
    this.m.changed(this, before);
  }

  /** §10.2.4: the expiry the registrar granted our binding (Contact expires, else Expires). */
  private grantedExpires(res: SipResponse, asked: number): number {
    const ours = this.m.stack.contact(this.route.transport).uri;
    for (const c of res.contacts()) {
      const u = c.uri;
      if (u.type === 'sip' && ours.type === 'sip' && u.host === ours.host && (u.port ?? 5060) === ours.port) {
        const e = Number.parseInt(c.params.get('expires') ?? '', 10);
        if (Number.isFinite(e) && e > 0) return e;
      }
    }
    const header = Number.parseInt(res.get('expires') ?? '', 10);
    return Number.isFinite(header) && header > 0 ? header : asked;
  }

  // ---- OPTIONS keep-alive (RFC 3261 §11) ------------------------------------------------------

  private ping(): void {
    if (this.stopped) return;
    const { host, port, transport } = this.route;
    const ruri = new SipUri('sip', host.includes(':') ? `[${host}]` : host, port);
    if (transport === 'TCP') ruri.params.set('transport', 'tcp');
    const local = this.m.stack.contact(transport).uri;
    const from = `sip:switchboard@${local.type === 'sip' ? local.host : 'localhost'}`;
    const req = this.m.stack.createRequest('OPTIONS', ruri, { from, transport });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.m.optionsTimeoutMs);
    });
    void Promise.race([this.m.stack.send(req), timeout]).then((res) => {
      clearTimeout(timer);
      if (this.stopped) return;
      const before = this.state;
      const k = this.keepalive;
      k.lastCheckedAt = this.m.now();
      k.lastStatus = res?.status ?? null;
      // Any response from the carrier, even 404 or 405, shows it is there; only silence and
      // transport errors (our own 408/503) count against it.
      const local = !res || /generated locally/.test(res.get('warning') ?? '');
      if (local) {
        k.failures++;
        if (k.failures >= this.m.downAfter) k.up = false;
      } else {
        k.failures = 0;
        k.up = true;
      }
      if (k.up === true && before === 'down' && this.registration?.state === 'failed') {
        // Back up: register now instead of waiting out the backoff.
        clearTimeout(this.regTimer);
        this.retries = 0;
        this.register();
      }
      this.m.changed(this, before);
      this.optionsTimer = setTimeout(() => this.ping(), this.m.optionsIntervalMs);
      this.optionsTimer.unref?.();
    });
  }

  /** Stops the loops; unregisters (Expires: 0) if registered, bounded in time. */
  async stop(unregister: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.regTimer);
    clearTimeout(this.optionsTimer);
    if (!unregister || this.registration?.state !== 'registered') return;
    await this.inflight?.catch(() => {});
    const req = this.registerRequest(0);
    this.registration.state = 'unregistered';
    await Promise.race([
      this.m.stack.send(req, { credentials: this.route.credentials ?? undefined }),
      new Promise((r) => setTimeout(r, 2000).unref?.()),
    ]);
  }
}

/**
 * The carrier trunks: loaded from the trunks table, each with its outbound registration
 * when it has credentials and `register`, and an OPTIONS keep-alive that marks it down and up.
 * Inbound calls are accepted only from a trunk's addresses (`trunkForAddress`).
 */
export class TrunkManager implements OutboundTrunks {
  readonly registerExpires: number;
  readonly optionsIntervalMs: number;
  readonly optionsTimeoutMs: number;
  readonly downAfter: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  readonly now: () => number;
  readonly resolve: (host: string) => Promise<string[]>;
  readonly logger: Logger;
  readonly stack: SipStack;
  private trunks = new Map<number, TrunkRuntime>();
  private readonly listeners = new Set<(s: TrunkStatus) => void>();
  private reloadTimer: ReturnType<typeof setInterval> | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly store: TrunkStore;

  constructor(private readonly options: TrunkManagerOptions) {
    this.store = new TrunkStore(options.db);
    this.stack = options.stack;
    this.logger = options.logger;
    this.registerExpires = options.registerExpires ?? 3600;
    this.optionsIntervalMs = options.optionsIntervalMs ?? 30_000;
    this.optionsTimeoutMs = options.optionsTimeoutMs ?? 5_000;
    this.downAfter = options.downAfter ?? 2;
    this.retryMinMs = options.retryMinMs ?? 2_000;
    this.retryMaxMs = options.retryMaxMs ?? 300_000;
    this.now = options.now ?? Date.now;
    this.resolve = options.resolve ?? dnsResolve;
  }

  async start(): Promise<void> {
    await this.reload();
    const every = this.options.reloadIntervalMs ?? 60_000;
    if (every > 0) {
      this.reloadTimer = setInterval(() => {
        this.reload().catch((err) => this.logger.warn({ err }, 'trunk reload failed'));
      }, every);
      this.reloadTimer.unref();
    }
  }

  /** Re-reads the trunks table: new trunks start, changed ones restart, removed ones stop. */
  reload(): Promise<void> {
    // Serialized, so two admin changes in a row never run two loops for one trunk.
    this.reloading = this.reloading
      .then(() => this.doReload())
      .catch((err) => {
        this.logger.error({ err }, 'trunk reload failed');
      });
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    if (this.stopped) return;
    const rows = await this.store.rows();
    const next = new Map<number, TrunkRuntime>();
    const started: TrunkRuntime[] = [];
    const resolving: Promise<void>[] = [];
    for (const row of rows) {
      const current = this.trunks.get(row.id);
      const runtime = current?.signature === trunkSignature(row) ? current : this.create(row);
      if (!runtime) continue;
      // DNS may be slow or absent: addresses fill in when it answers (until then the trunk
      // accepts nothing inbound), and a reload waits for it only briefly.
      resolving.push(runtime.resolveAddresses().catch(() => {}));
      next.set(row.id, runtime);
      if (runtime !== current) started.push(runtime);
    }
    await Promise.race([Promise.all(resolving), new Promise((r) => setTimeout(r, 1500).unref?.())]);
    const gone = [...this.trunks.values()].filter((t) => next.get(t.row.id) !== t);
    this.trunks = next;
    await Promise.all(gone.map((t) => t.stop(true)));
    if (this.stopped) return;
    for (const t of started) {
      t.start();
      this.emit(t.status());
    }
  }

  private create(row: TrunkRow): TrunkRuntime | null {
    try {
      return new TrunkRuntime(row, this);
    } catch (err) {
      this.logger.error({ err, trunk: row.name }, 'trunk cannot be used');
      return null;
    }
  }

  // ---- OutboundTrunks -------------------------------------------------------------------------

  pick(): ResolvedTrunkRoute | null {
    for (const t of this.trunks.values()) if (t.state === 'up') return { ...t.route };
    return null;
  }

  trunkForAddress(address: string, _port: number): ResolvedTrunkRoute | null {
    // Carriers send from more than one port (and TCP from ephemeral ones), so only the address counts.
    for (const t of this.trunks.values()) if (t.enabled && t.matches(address)) return { ...t.route };
    return null;
  }

  state(trunkId: number): TrunkState {
    return this.trunks.get(trunkId)?.state ?? 'disabled';
  }

  // ---- for the app ----------------------------------------------------------------------------

  route(trunkId: number): ResolvedTrunkRoute | null {
    const t = this.trunks.get(trunkId);
    return t ? { ...t.route } : null;
  }

  status(trunkId: number): TrunkStatus | null {
    return this.trunks.get(trunkId)?.status() ?? null;
  }

  statuses(): TrunkStatus[] {
    return [...this.trunks.values()].map((t) => t.status());
  }

  /** Fired when a trunk's state, registration or keep-alive result changes. */
  onChange(listener: (status: TrunkStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal called by a trunk after each registration or keep-alive result. */
  countCall(trunk: string, direction: 'inbound' | 'outbound', status?: number): void {
    this.options.onCall?.(trunk, direction, status);
  }

  changed(t: TrunkRuntime, before: TrunkState): void {
    if (this.trunks.get(t.row.id) !== t) return;
    const after = t.state;
    if (after !== before) this.logger.info({ trunk: t.row.name, from: before, to: after }, 'trunk state');
    this.emit(t.status());
  }

  private emit(status: TrunkStatus): void {
    for (const l of this.listeners) {
      try {
        l(status);
      } catch (err) {
        this.logger.error({ err }, 'trunk listener failed');
      }
    }
  }

  /** Stops every loop and unregisters registered trunks (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    await this.reloading;
    await Promise.all([...this.trunks.values()].map((t) => t.stop(true)));
    this.listeners.clear();
  }
}
