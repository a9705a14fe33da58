/** Why a source was banned. */
export type SipBanReason = 'flood' | 'auth_failures';

export interface SipBan {
  address: string;
  reason: SipBanReason;
  since: number;
  until: number;
}

export interface SipGuardLimits {
  /** New requests one address may send per window before it is banned (Kamailio pike: 16 / 2 s). */
  requests: number;
  windowMs: number;
  /** Failed authentications one address may make per `authWindowMs` before it is banned. */
  authFailures: number;
  authWindowMs: number;
  /** How long a ban lasts. */
  banMs: number;
}

export const DEFAULT_SIP_GUARD_LIMITS: SipGuardLimits = {
  requests: 16,
  windowMs: 2000,
  authFailures: 5,
  authWindowMs: 60_000,
  banMs: 300_000,
};

export interface SipGuardOptions {
  limits?: Partial<SipGuardLimits>;
  /** Addresses never counted nor banned (carrier trunks). */
  isTrusted?(address: string): boolean;
  now?: () => number;
  onBan?(ban: SipBan): void;
}

interface Counter {
  start: number;
  count: number;
}

/** Sources tracked at most per counter; a spoofed flood from many addresses cannot grow them further. */
const MAX_TRACKED = 50_000;

/**
 * Per-source admission for SIP, in the manner of Kamailio's `pike` plus a fail2ban-like jail: an
 * address that sends too many new requests in a window, or fails authentication too often, is
 * banned for a while. Requests inside established dialogs never reach it (the stack exempts them).
 */
export class SipSourceGuard {
  readonly limits: SipGuardLimits;
  private readonly requests = new Map<string, Counter>();
  private readonly failures = new Map<string, Counter>();
  private readonly banned = new Map<string, SipBan>();
  private readonly now: () => number;
  private lastSweep = 0;
  /** Requests refused (banned or over the limit) since start. */
  dropped = 0;

  constructor(private readonly options: SipGuardOptions = {}) {
    this.limits = { ...DEFAULT_SIP_GUARD_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
  }

  /** Counts a new request from `address`; false when it must be dropped. */
  admit(address: string): boolean {
    if (this.options.isTrusted?.(address)) return true;
    const t = this.now();
    this.sweep(t);
    if (this.isBanned(address, t)) {
      this.dropped++;
      return false;
    }
    if (this.count(this.requests, address, t, this.limits.windowMs) > this.limits.requests) {
      this.ban(address, 'flood', t);
      this.dropped++;
      return false;
    }
    return true;
  }

  /** A request from `address` failed authentication. Returns true when that got the address banned. */
  authFailed(address: string): boolean {
    if (this.options.isTrusted?.(address)) return false;
    const t = this.now();
    if (this.isBanned(address, t)) return false;
    if (this.count(this.failures, address, t, this.limits.authWindowMs) >= this.limits.authFailures) {
      this.ban(address, 'auth_failures', t);
      return true;
    }
    return false;
  }

  bans(): SipBan[] {
    const t = this.now();
    return [...this.banned.values()].filter((b) => b.until > t).sort((a, b) => b.since - a.since);
  }

  /** Lifts a ban (and forgets the address's counts); false when it was not banned. */
  unban(address: string): boolean {
    const had = this.isBanned(address, this.now());
    this.banned.delete(address);
    this.requests.delete(address);
    this.failures.delete(address);
    return had;
  }

  private isBanned(address: string, t: number): boolean {
    const b = this.banned.get(address);
    if (!b) return false;
    if (b.until > t) return true;
    this.banned.delete(address);
    return false;
  }

  private ban(address: string, reason: SipBanReason, t: number): void {
    const ban: SipBan = { address, reason, since: t, until: t + this.limits.banMs };
    this.banned.set(address, ban);
    this.requests.delete(address);
    this.failures.delete(address);
    this.options.onBan?.(ban);
  }

  /** Fixed-window count, the window starting at the address's first request in it. */
  private count(map: Map<string, Counter>, address: string, t: number, windowMs: number): number {
    let c = map.get(address);
    if (!c || t - c.start >= windowMs) {
      if (!c && map.size >= MAX_TRACKED) map.delete(map.keys().next().value!);
      c = { start: t, count: 0 };
      map.set(address, c);
    }
    return ++c.count;
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < Math.max(this.limits.windowMs, 1000)) return;
    this.lastSweep = t;
    for (const [k, c] of this.requests) if (t - c.start >= this.limits.windowMs) this.requests.delete(k);
    for (const [k, c] of this.failures) if (t - c.start >= this.limits.authWindowMs) this.failures.delete(k);
    for (const [k, b] of this.banned) if (b.until <= t) this.banned.delete(k);
  }
}
