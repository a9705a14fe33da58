import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { SipStack, type UpgradeDecision } from '@switchboard/sip';
import { hashToken } from '../auth/sessions';
import type { Config } from '../config';
import type { Db } from '../db/database';
import { hostAllowed } from '../http/middleware/allowed-hosts';
import { forwardedClientOf, trustedProxiesOf } from '../http/trusted-proxies';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { WebSipCredentials } from '../softphone/web-sip-credentials';
import { Registrar, type RegistrarOptions } from './registrar/registrar';
import { SipDispatcher } from './sip-dispatcher';
import { SipSourceGuard } from './sip-guard';

export interface SipServiceOptions {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
  registrar?: Partial<
    Pick<RegistrarOptions, 'minExpires' | 'maxExpires' | 'defaultExpires' | 'nonceTtlMs' | 'sessionCheckMs'>
  >;
}

/**
 * RFC 7118 has no authentication of its own and browsers send cookies with WebSocket upgrades from
 * any site, so a page elsewhere must not get a SIP connection through a visitor's browser: a browser
 * upgrade (it always sends Origin) must come from this server's own origin. Non-browser clients
 * send no Origin and still have to pass digest authentication to register.
 */
export function sameOriginUpgrade(req: IncomingMessage, host = req.headers.host): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return origin !== 'null' && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The user session cookie's value in an upgrade request (plain or `__Host-` name), if any. */
function sessionCookie(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    if (name === 'sb_session' || name === '__Host-sb_session') return part.slice(at + 1).trim() || null;
  }
  return null;
}

/** The switch's SIP side: the stack on UDP/TCP (and WS once HTTP is up), the registrar and dispatcher. */
export class SipService {
  private stopped = false;

  private constructor(
    readonly stack: SipStack,
    readonly registrar: Registrar,
    readonly dispatcher: SipDispatcher,
    /** Per-source rate limits and bans (admin API: list, unban). */
    readonly guard: SipSourceGuard,
    private readonly trust: { isTrusted: (address: string) => boolean },
    private readonly credentials: WebSipCredentials,
    private readonly options: SipServiceOptions,
  ) {}

  /** The proxies in front of the HTTP server (TRUST_PROXY), for the WebSocket upgrades. */
  private get proxies() {
    return trustedProxiesOf(this.options.config.security.trustedProxies);
  }

  static async start(options: SipServiceOptions): Promise<SipService> {
    const { config, logger, metrics } = options;
    const security = config.security;
    // Trunks load after the stack starts; until then no address is trusted.
    const trust = { isTrusted: (_address: string) => false };
    const guard = new SipSourceGuard({
      limits: security.sipGuard,
      isTrusted: (address) => trust.isTrusted(address),
      now: options.now,
      onBan: (ban) => {
        metrics.sipBans.inc({ reason: ban.reason });
        logger.warn(
          { source: ban.address, reason: ban.reason, until: new Date(ban.until).toISOString() },
          'SIP source banned',
        );
      },
    });
    const stack = await SipStack.listen({
      host: config.sip.host,
      port: config.sip.port,
      publicHost: config.sip.publicAddress,
      userAgent: 'Switchboard',
      onTransportError: (reason, flow) => {
        metrics.sipRejected.inc();
        logger.debug({ reason, from: `${flow.remoteAddress}:${flow.remotePort}` }, 'SIP message rejected');
      },
      tcpLimits: {
        maxConnections: security.sipMaxConnections,
        maxPerAddress: security.sipMaxConnectionsPerAddress,
        authenticateWithinMs: security.sipAuthTimeoutMs,
        isTrustedAddress: (address) => trust.isTrusted(address),
      },
      admitRequest: (_req, flow) => {
        if (guard.admit(flow.remoteAddress)) return true;
        metrics.sipDropped.inc();
        return false;
      },
    });
    const credentials = new WebSipCredentials(options.db, config.session.idleMs, options.now);
    const registrar = new Registrar({
      db: options.db,
      credentials,
      realm: config.sip.publicAddress,
      now: options.now,
      onError: (err) => logger.error({ err }, 'registrar failed'),
      maxContacts: security.sipMaxContactsPerExtension,
      onAuthFailure: (failure) => {
        metrics.sipAuthFailures.inc();
        // One line per failure, `source` first, for fail2ban (docs/security.md has the filter).
        logger.warn(
          {
            source: failure.flow.remoteAddress,
            port: failure.flow.remotePort,
            transport: failure.flow.transport,
            user: failure.username.slice(0, 64),
            reason: failure.reason,
          },
          'SIP authentication failed',
        );
        guard.authFailed(failure.flow.remoteAddress);
      },
      ...options.registrar,
    });
    const dispatcher = new SipDispatcher(registrar, (err, inc) =>
      logger.error({ err, method: inc.method }, 'SIP request handler failed'),
    );
    stack.onRequest = (inc) => {
      metrics.sipRequests.inc({ method: inc.method.length <= 16 ? inc.method : 'other' });
      dispatcher.dispatch(inc);
    };
    logger.info({ host: config.sip.host, port: stack.port }, 'SIP listening on UDP and TCP');
    return new SipService(stack, registrar, dispatcher, guard, trust, credentials, options);
  }

  /** Addresses exempt from the rate limits, bans and connection deadline (the carrier trunks). */
  setTrustedAddresses(isTrusted: (address: string) => boolean): void {
    this.trust.isTrusted = isTrusted;
  }

  /**
   * Who may open the SIP WebSocket: a browser of this origin with a live session cookie, or a
   * client holding the session's upgrade token (`?token=` from /api/softphone/config). The session
   * names the group the per-session connection cap counts.
   */
  private async verifyUpgrade(req: IncomingMessage): Promise<UpgradeDecision> {
    // Behind a proxy that rewrites Host, the browser's host is in X-Forwarded-Host (TRUST_PROXY).
    const { host } = forwardedClientOf(this.proxies, req);
    if (!sameOriginUpgrade(req, host) || !hostAllowed(this.options.config, host)) return false;
    const token = new URL(req.url ?? '/', 'http://upgrade').searchParams.get('token');
    if (token) {
      const sessionId = await this.credentials.sessionForUpgradeToken(token);
      if (sessionId) return { group: sessionId };
    }
    const cookie = sessionCookie(req);
    if (cookie && cookie.length >= 20 && cookie.length <= 100) {
      const sessionId = hashToken(cookie);
      if (await this.credentials.isLiveUserSession(sessionId)) return { group: sessionId };
    }
    return false;
  }

  get port(): number {
    return this.stack.port;
  }

  /** SIP over WebSocket at /sip on the HTTP server (RFC 7118), same-origin signed-in upgrades only. */
  attachWebSocket(http: HttpServer, publicHost?: string): void {
    const security = this.options.config.security;
    this.stack.attachWebSocket(http, {
      path: '/sip',
      verifyUpgrade: (req) => this.verifyUpgrade(req),
      publicHost,
      // Behind a proxy every agent's WebSocket comes from the proxy: per-source limits and bans
      // must count each agent, not lock them all out together.
      clientAddress: (req) => forwardedClientOf(this.proxies, req).address,
      maxPerGroup: security.sipWsMaxPerSession,
      limits: {
        maxConnections: security.sipMaxConnections,
        maxPerAddress: security.sipMaxConnectionsPerAddress,
        authenticateWithinMs: security.sipAuthTimeoutMs,
      },
    });
  }

  /** Health: the UDP and TCP listeners are up. */
  async check(): Promise<void> {
    if (this.stopped) throw new Error('SIP stopped');
    const names = this.stack.transport.transports.map((t) => t.name);
    if (!names.includes('UDP') || !names.includes('TCP')) throw new Error('SIP listeners are down');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.registrar.close();
    await this.stack.close().catch((err) => this.options.logger.warn({ err }, 'SIP stack close failed'));
  }
}
