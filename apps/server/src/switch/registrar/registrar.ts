import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import {
  type Connection,
  DigestServer,
  type Flow,
  type IncomingRequest,
  type NameAddr,
} from '@switchboard/sip';
import type { Db } from '../../db/database';
import type { WebSipCredentials } from '../../softphone/web-sip-credentials';
import type { LocationService, RegisteredContact, RegistrationChange } from '../contracts';

export interface RegistrarOptions {
  db: Db;
  credentials: WebSipCredentials;
  /** Digest realm (the SIP domain); the browser and desk phones take it from the challenge. */
  realm: string;
  /** Shortest registration accepted; shorter ones get 423 Interval Too Brief (RFC 3261 §10.3 step 7). */
  minExpires?: number;
  /** Longest registration granted; longer requests are shortened to this. */
  maxExpires?: number;
  /** When the REGISTER names no expiry at all. */
  defaultExpires?: number;
  /** Nonce lifetime of the digest server (stale=true after it). */
  nonceTtlMs?: number;
  /**
   * Challenge order for UDP/TCP (desk phones). MD5 comes first by default: sipp and many desk
   * phones read only the first WWW-Authenticate and give up on SHA-256; clients that prefer
   * SHA-256 answer the second challenge (same nonce) and are verified with it. Over WebSocket the
   * order is RFC 8760 §2.4's, strongest first: sip.js keeps only the last challenge (MD5).
   */
  algorithms?: Array<'MD5' | 'SHA-256'>;
  /**
   * Bindings one extension may hold (default 10): a call to it forks to every contact, so planted
   * contacts would multiply each inbound call.
   */
  maxContacts?: number;
  /** How often web bindings are checked against their session (logout ends them). */
  sessionCheckMs?: number;
  now?: () => number;
  onError?(err: unknown): void;
  /** A REGISTER failed authentication (wrong secret, unknown user, someone else's extension). */
  onAuthFailure?(failure: AuthFailure): void;
}

export interface AuthFailure {
  flow: Flow;
  /** The authorization user the client claimed (attacker-controlled text). */
  username: string;
  reason: 'bad-digest' | 'unknown-user' | 'not-your-extension';
}

/** What the registrar knows about a binding beyond the contract. */
interface Binding extends RegisteredContact {
  key: string;
  callId: string;
  cseq: number;
  registeredAt: number;
  /** The web credential's authorization user, to drop the binding when that session ends. */
  authorizationUser: string | null;
  timer: ReturnType<typeof setTimeout>;
}

interface BindingChange {
  contact: NameAddr;
  expires: number;
}

type Identity =
  | { kind: 'sip'; extension: string; userId: number | null }
  | { kind: 'web'; extension: string; userId: number; authorizationUser: string };

/** A snapshot of one extension's registration for the app (GET /api/agents). */
export interface ExtensionRegistration {
  registered: boolean;
  contacts: Array<{
    uri: string;
    transport: string;
    expiresAt: number;
    userAgent: string | null;
    instanceId: string | null;
    remoteAddress: string;
  }>;
}

const unquote = (v: string | null | undefined) => (v ?? '').replace(/^"|"$/g, '').trim();

/**
 * The switch's registrar (RFC 3261 §10.3) and location service. Bindings are held in memory on
 * this node only: a desk phone or browser registers with the node it is connected to, and calls
 * for it must be placed by that node (see switch/NOTES.md).
 */
export class Registrar implements LocationService {
  readonly digest: DigestServer;
  /** Same secret as `digest`, so its nonces verify there; only its challenge order differs. */
  private readonly deskDigest: DigestServer;
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
  private readonly bindings = new Map<string, Binding[]>();
  private readonly owners = new Map<string, number | null>();
  private readonly listeners = new Set<(c: RegistrationChange) => void>();
  private readonly watched = new WeakSet<Connection>();
  private readonly now: () => number;
  private readonly sessionCheck: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(private readonly options: RegistrarOptions) {
    this.now = options.now ?? Date.now;
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = options.maxExpires ?? 3600;
    this.defaultExpires = options.defaultExpires ?? 600;
    const secret = randomBytes(32);
    const digest = (algorithms: Array<'MD5' | 'SHA-256'>) =>
      new DigestServer({
        realm: options.realm,
        secret,
        nonceTtlMs: options.nonceTtlMs,
        algorithms,
        now: this.now,
      });
    this.digest = digest(['SHA-256', 'MD5']);
    this.deskDigest = digest(options.algorithms ?? ['MD5', 'SHA-256']);
    if (options.sessionCheckMs !== 0) {
      this.sessionCheck = setInterval(() => {
        this.dropEndedSessions().catch((err) => options.onError?.(err));
      }, options.sessionCheckMs ?? 60_000);
      this.sessionCheck.unref();
    }
  }

  // ---- LocationService ------------------------------------------------------------------------

  lookup(extension: string): RegisteredContact[] {
    const list = this.bindings.get(extension) ?? [];
    const t = this.now();
    return list
      .filter((b) => b.expiresAt > t && !b.flow.connection?.closed)
      .sort((a, b) => b.registeredAt - a.registeredAt)
      .map((b) => ({
        extension: b.extension,
        uri: b.uri,
        flow: b.flow,
        transport: b.transport,
        expiresAt: b.expiresAt,
        instanceId: b.instanceId,
        regId: b.regId,
        userAgent: b.userAgent,
        userId: b.userId,
      }));
  }

  isRegistered(extension: string): boolean {
    return this.lookup(extension).length > 0;
  }

  onChange(listener: (change: RegistrationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- for the app ----------------------------------------------------------------------------

  /** The user who owns an extension, as learnt when it last registered (null: none or unknown). */
  ownerOf(extension: string): number | null {
    return this.owners.get(extension) ?? null;
  }

  registration(extension: string): ExtensionRegistration {
    const contacts = this.lookup(extension).map((b) => ({
      uri: b.uri,
      transport: b.transport,
      expiresAt: b.expiresAt,
      userAgent: b.userAgent ?? null,
      instanceId: b.instanceId ?? null,
      remoteAddress: b.flow.remoteAddress,
    }));
    return { registered: contacts.length > 0, contacts };
  }

  /** Registered extensions and their number of contacts (metrics). */
  counts(): { extensions: number; contacts: number } {
    let extensions = 0;
    let contacts = 0;
    for (const ext of this.bindings.keys()) {
      const n = this.lookup(ext).length;
      if (n > 0) extensions++;
      contacts += n;
    }
    return { extensions, contacts };
  }

  /** Removes every binding of an extension (e.g. when an admin deletes or retypes it). */
  unregisterAll(extension: string): void {
    const list = this.bindings.get(extension);
    if (!list?.length) return;
    for (const b of list) clearTimeout(b.timer);
    this.bindings.delete(extension);
    this.emit(extension);
  }

  close(): void {
    this.closed = true;
    if (this.sessionCheck) clearInterval(this.sessionCheck);
    for (const list of this.bindings.values()) for (const b of list) clearTimeout(b.timer);
    this.bindings.clear();
    this.listeners.clear();
  }

  // ---- REGISTER -------------------------------------------------------------------------------

  /** Answers a REGISTER (RFC 3261 §10.3). Never throws; a failure answers 500 and changes nothing. */
  async handleRegister(inc: IncomingRequest): Promise<void> {
    try {
      await this.register(inc);
    } catch (err) {
      this.options.onError?.(err);
      if (!inc.answered) inc.reply(500);
    }
  }

  private async register(inc: IncomingRequest): Promise<void> {
    const who = await this.authenticate(inc);
    if (!who) return;
    // The peer proved who it is: its connection may stay open past the authentication deadline.
    inc.flow.connection?.markAuthenticated?.();
    this.owners.set(who.extension, who.userId);
    const changes = this.requestedChanges(inc, who);
    if (!changes) return;
    const list = this.bindings.get(who.extension) ?? [];
    if (!this.admissible(inc, changes, list)) return;
    const changed = this.applyChanges(inc, who, changes, list);
    if (list.length > 0) this.bindings.set(who.extension, list);
    else this.bindings.delete(who.extension);
    this.replyOk(
      inc,
      who.extension,
      changes.some((c) => c.contact.params.has('reg-id')),
    );
    if (changed) this.emit(who.extension);
  }

  /**
   * Digest authentication (§22) and authorisation (§10.3 step 3): the identity that may change this
   * address-of-record's bindings, or null once the request has been answered.
   */
  private async authenticate(inc: IncomingRequest): Promise<Identity | null> {
    const req = inc.request;
    let identity: Identity | null = null;
    let claimed = '';
    // Nonces are bound to the client's address: an answer captured on the way cannot be replayed
    // from anywhere else.
    const boundTo = inc.flow.remoteAddress;
    const result = await this.digest.verify(
      req,
      async (username) => {
        claimed = username;
        const found = await this.identify(username);
        if (!found) return undefined;
        identity = found.identity;
        return { password: found.password };
      },
      boundTo,
    );
    if (this.closed) {
      inc.reply(503);
      return null;
    }
    if (!result.ok) {
      // Wrong password or unknown user: 403, so a UA does not loop on challenges (§22.1 lets the
      // registrar refuse outright); a missing, aged or foreign nonce gets a fresh challenge.
      if (result.reason === 'bad-digest' || result.reason === 'unknown-user') {
        inc.reply(403, { reason: 'Forbidden' });
        this.options.onAuthFailure?.({ flow: inc.flow, username: claimed, reason: result.reason });
        return null;
      }
      const server = inc.flow.transport === 'WS' ? this.digest : this.deskDigest;
      inc.send(server.rejection(req, result, boundTo));
      return null;
    }
    const who = identity as Identity | null;
    if (!who) {
      inc.reply(403);
      return null;
    }
    // §10.3 step 3: the credentials must be allowed to change this address-of-record's bindings.
    const toUri = req.to?.uri;
    const aor = toUri?.type === 'sip' ? (toUri.user ?? '') : '';
    if (aor !== who.extension) {
      inc.reply(403, { reason: 'Not Your Extension' });
      this.options.onAuthFailure?.({ flow: inc.flow, username: claimed, reason: 'not-your-extension' });
      return null;
    }
    return who;
  }

  /**
   * The bindings the request asks for, each with its granted expiry (§10.3 steps 6–7), or null once
   * answered: "Contact: *" removing them all, a bad Contact, or an expiry below the minimum (423).
   */
  private requestedChanges(inc: IncomingRequest, who: Identity): BindingChange[] | null {
    const req = inc.request;
    const headerExpires = req.get('expires');
    const globalExpires = headerExpires !== undefined ? Number.parseInt(headerExpires, 10) : undefined;
    if (req.isContactStar) {
      // §10.3 step 6: "*" is only valid with Expires: 0 and as the only Contact.
      if (globalExpires !== 0 || req.getAll('contact').length !== 1) {
        inc.reply(400);
        return null;
      }
      this.removeMatching(who.extension, () => true);
      this.replyOk(inc, who.extension);
      return null;
    }

    const contacts = req.contacts();
    if (contacts.length === 0 && req.has('contact')) {
      inc.reply(400, { reason: 'Bad Contact' });
      return null;
    }
    const changes: BindingChange[] = [];
    for (const contact of contacts) {
      const raw = contact.params.get('expires');
      let expires = raw != null ? Number.parseInt(raw, 10) : (globalExpires ?? this.defaultExpires);
      if (!Number.isFinite(expires) || expires < 0) expires = this.defaultExpires;
      // §10.3 step 7: too brief (but not a removal) → 423 with Min-Expires, nothing changes.
      if (expires > 0 && expires < this.minExpires) {
        inc.reply(423, { headers: [['Min-Expires', String(this.minExpires)]] });
        return null;
      }
      changes.push({ contact, expires: Math.min(expires, this.maxExpires) });
    }
    return changes;
  }

  /** Whether the changes may be made: in order (§10.3 step 7) and within the contact limit; else answered. */
  private admissible(inc: IncomingRequest, changes: BindingChange[], list: Binding[]): boolean {
    const callId = inc.request.callId;
    const cseq = inc.request.cseq.seq;
    for (const { contact } of changes) {
      const existing = list.find((b) => b.key === this.keyOf(contact));
      // §10.3 step 7: same Call-ID with a CSeq not above the binding's is out of order.
      if (existing && existing.callId === callId && cseq <= existing.cseq) {
        inc.reply(500, { reason: 'Out of Order' });
        return false;
      }
    }

    const added = changes.filter(
      (c) => c.expires > 0 && !list.some((b) => b.key === this.keyOf(c.contact)),
    ).length;
    const removed = changes.filter(
      (c) => c.expires === 0 && list.some((b) => b.key === this.keyOf(c.contact)),
    ).length;
    if (added > 0 && list.length - removed + added > (this.options.maxContacts ?? 10)) {
      inc.reply(403, { reason: 'Too Many Contacts' });
      return false;
    }
    return true;
  }

  /** Adds, refreshes and removes the bindings in `list`; true when the set others see has changed. */
  private applyChanges(
    inc: IncomingRequest,
    who: Identity,
    changes: BindingChange[],
    list: Binding[],
  ): boolean {
    const req = inc.request;
    const callId = req.callId;
    const cseq = req.cseq.seq;
    let changed = false;
    const t = this.now();
    for (const { contact, expires } of changes) {
      const key = this.keyOf(contact);
      const at = list.findIndex((b) => b.key === key);
      if (expires === 0) {
        if (at >= 0) {
          clearTimeout(list[at]!.timer);
          list.splice(at, 1);
          changed = true;
        }
        continue;
      }
      const old = at >= 0 ? list[at] : undefined;
      if (old) clearTimeout(old.timer);
      const regIdRaw = contact.params.get('reg-id');
      const regId = regIdRaw != null && /^\d+$/.test(regIdRaw) ? Number(regIdRaw) : undefined;
      const instanceId = unquote(contact.params.get('+sip.instance')) || undefined;
      const binding: Binding = {
        key,
        extension: who.extension,
        uri: contact.uri.toString(),
        flow: inc.flow,
        transport: inc.flow.transport,
        expiresAt: t + expires * 1000,
        instanceId,
        regId,
        userAgent: req.get('user-agent'),
        userId: who.kind === 'web' ? who.userId : null,
        callId,
        cseq,
        registeredAt: old && old.flow === inc.flow ? old.registeredAt : t,
        authorizationUser: who.kind === 'web' ? who.authorizationUser : null,
        timer: setTimeout(() => this.expire(who.extension, key, binding), expires * 1000),
      };
      binding.timer.unref?.();
      // A refresh over the same flow keeps the set as it was; a new or moved binding is a change.
      if (!old || old.uri !== binding.uri || old.flow.connection !== inc.flow.connection) changed = true;
      if (at >= 0) list[at] = binding;
      else list.push(binding);
      this.watchFlow(inc.flow.connection);
    }
    return changed;
  }

  /**
   * The key a binding is replaced by. RFC 5626 §6: with +sip.instance and reg-id the binding is
   * that instance's flow, so a re-registration from a new connection (the browser reloaded or
   * reconnected) replaces the old one instead of leaving a dead WebSocket contact behind. RFC 5627
   * §3.3 keys on the instance alone; otherwise the Contact URI is the key (RFC 3261 §10.3).
   */
  private keyOf(contact: NameAddr): string {
    const instance = unquote(contact.params.get('+sip.instance'));
    if (instance) return `i:${instance}|${contact.params.get('reg-id') ?? ''}`;
    return `u:${contact.uri.toString()}`;
  }

  private replyOk(inc: IncomingRequest, extension: string, outbound = false): void {
    const t = this.now();
    const headers: Array<[string, string]> = [];
    for (const b of this.bindings.get(extension) ?? []) {
      const left = Math.max(0, Math.round((b.expiresAt - t) / 1000));
      headers.push(['Contact', `<${b.uri}>;expires=${left}`]);
    }
    // RFC 5626 §6: a registrar that applied outbound processing says so (reg-id honoured).
    if (outbound && /\boutbound\b/i.test(inc.request.get('supported') ?? ''))
      headers.push(['Require', 'outbound']);
    headers.push(['Date', new Date(t).toUTCString()]);
    inc.reply(200, { headers });
  }

  // ---- credentials ----------------------------------------------------------------------------

  /** Who an authorization user is: a web credential `1001~<session ref>` or a desk phone's number. */
  private async identify(username: string): Promise<{ identity: Identity; password: string } | null> {
    if (username.includes('~')) {
      const found = await this.options.credentials.passwordForAuthorizationUser(username);
      if (!found) return null;
      return {
        identity: {
          kind: 'web',
          extension: found.extension,
          userId: found.userId,
          authorizationUser: username,
        },
        password: found.password,
      };
    }
    if (!/^[0-9A-Za-z_.+-]{1,64}$/.test(username)) return null;
    const row = await this.options.db
      .selectFrom('extensions')
      .select(['number', 'sip_secret', 'user_id'])
      .where('number', '=', username)
      .where('type', '=', 'sip')
      .executeTakeFirst();
    if (!row?.sip_secret) return null;
    return {
      identity: { kind: 'sip', extension: row.number, userId: row.user_id },
      password: row.sip_secret,
    };
  }

  // ---- removal --------------------------------------------------------------------------------

  private expire(extension: string, key: string, binding: Binding): void {
    const list = this.bindings.get(extension);
    if (!list) return;
    const at = list.indexOf(binding);
    if (at < 0 || list[at]!.key !== key) return;
    list.splice(at, 1);
    if (list.length === 0) this.bindings.delete(extension);
    this.emit(extension);
  }

  private removeMatching(extension: string, match: (b: Binding) => boolean): boolean {
    const list = this.bindings.get(extension);
    if (!list) return false;
    const keep = list.filter((b) => !match(b));
    if (keep.length === list.length) return false;
    for (const b of list) if (match(b)) clearTimeout(b.timer);
    if (keep.length) this.bindings.set(extension, keep);
    else this.bindings.delete(extension);
    this.emit(extension);
    return true;
  }

  /**
   * RFC 5626 §5.4 / RFC 7118 §5: a binding over a connection is only reachable through it, so when
   * the TCP or WebSocket connection closes the binding goes too. The Connection interface has no
   * close event, so the socket underneath is watched (see NOTES.md).
   */
  private watchFlow(connection: Connection | undefined): void {
    if (!connection || this.watched.has(connection)) return;
    this.watched.add(connection);
    const socket = (connection as unknown as { socket?: EventEmitter }).socket;
    const onClose = () => {
      for (const ext of [...this.bindings.keys()])
        this.removeMatching(ext, (b) => b.flow.connection === connection);
    };
    if (socket && typeof socket.once === 'function') socket.once('close', onClose);
  }

  /**
   * Bindings whose right to exist has gone are removed: web bindings whose session ended (logout,
   * idle or max age, user disabled), desk-phone bindings whose extension is no longer a SIP
   * extension with a secret (deleted or retyped by an administrator).
   */
  async dropEndedSessions(): Promise<void> {
    const users = new Set<string>();
    const desk = new Set<string>();
    for (const [ext, list] of this.bindings)
      for (const b of list) {
        if (b.authorizationUser) users.add(b.authorizationUser);
        else desk.add(ext);
      }
    for (const user of users) {
      if (await this.options.credentials.passwordForAuthorizationUser(user)) continue;
      for (const ext of [...this.bindings.keys()])
        this.removeMatching(ext, (b) => b.authorizationUser === user);
    }
    if (desk.size === 0) return;
    const rows = await this.options.db
      .selectFrom('extensions')
      .select('number')
      .where('number', 'in', [...desk])
      .where('type', '=', 'sip')
      .where('sip_secret', 'is not', null)
      .execute();
    const valid = new Set(rows.map((r) => r.number));
    for (const ext of desk)
      if (!valid.has(ext)) this.removeMatching(ext, (b) => b.authorizationUser === null);
  }

  private emit(extension: string): void {
    const contacts = this.lookup(extension).length;
    const change: RegistrationChange = { extension, registered: contacts > 0, contacts };
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.options.onError?.(err);
      }
    }
  }
}
