import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { SipStack } from '@switchboard/sip';
import type { Config } from '../config';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { WebSipCredentials } from '../softphone/web-sip-credentials';
import { Registrar, type RegistrarOptions } from './registrar/registrar';
import { SipDispatcher } from './sip-dispatcher';

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
export function sameOriginUpgrade(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return origin !== 'null' && new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The switch's SIP side: the stack on UDP/TCP (and WS once HTTP is up), the registrar and dispatcher. */
export class SipService {
  private stopped = false;

  private constructor(
    readonly stack: SipStack,
    readonly registrar: Registrar,
    readonly dispatcher: SipDispatcher,
    private readonly logger: Logger,
  ) {}

  static async start(options: SipServiceOptions): Promise<SipService> {
    const { config, logger, metrics } = options;
    const stack = await SipStack.listen({
      host: config.sip.host,
      port: config.sip.port,
      publicHost: config.sip.publicAddress,
      userAgent: 'Switchboard',
      onTransportError: (reason, flow) => {
        metrics.sipRejected.inc();
        logger.debug({ reason, from: `${flow.remoteAddress}:${flow.remotePort}` }, 'SIP message rejected');
      },
    });
    const registrar = new Registrar({
      db: options.db,
      credentials: new WebSipCredentials(options.db, config.session.idleMs, options.now),
      realm: config.sip.publicAddress,
      now: options.now,
      onError: (err) => logger.error({ err }, 'registrar failed'),
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
    return new SipService(stack, registrar, dispatcher, logger);
  }

  get port(): number {
    return this.stack.port;
  }

  /** SIP over WebSocket at /sip on the HTTP server (RFC 7118), same-origin upgrades only. */
  attachWebSocket(http: HttpServer, publicHost?: string): void {
    this.stack.attachWebSocket(http, { path: '/sip', verifyUpgrade: sameOriginUpgrade, publicHost });
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
    await this.stack.close().catch((err) => this.logger.warn({ err }, 'SIP stack close failed'));
  }
}
