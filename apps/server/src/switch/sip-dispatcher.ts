import type { IncomingRequest } from '@switchboard/sip';
import type { Registrar } from './registrar/registrar';

/** The call engine's entry point for new out-of-dialog requests (INVITE, MESSAGE, REFER...). */
export type SwitchRequestHandler = (incoming: IncomingRequest) => void;

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE, REFER, NOTIFY';

/**
 * Routes what the SIP stack hands up: REGISTER to the registrar, OPTIONS answered here (a keep-alive
 * or capability probe, RFC 3261 §11.2), everything else to the call engine once it is set. In-dialog
 * requests never come here: the stack gives them to their dialog.
 */
export class SipDispatcher {
  private handler: SwitchRequestHandler | undefined;
  /**
   * The node is draining: new calls and OPTIONS probes get 503 (RFC 3261 §21.5.4), so a proxy in
   * front (Kamailio's dispatcher) sends new calls to other nodes; registrations and the requests of
   * calls already up go on.
   */
  draining = false;

  constructor(
    private readonly registrar: Registrar,
    private readonly onError: (err: unknown, incoming: IncomingRequest) => void = () => {},
  ) {}

  /** PART B (calls) sets this; until then INVITE gets 480 and other methods 501. */
  setHandler(handler: SwitchRequestHandler | undefined): void {
    this.handler = handler;
  }

  get hasHandler(): boolean {
    return this.handler !== undefined;
  }

  dispatch = (incoming: IncomingRequest): void => {
    try {
      if (this.draining && this.startsWork(incoming)) {
        incoming.reply(503, { reason: 'Draining', headers: [['Retry-After', '30']] });
        return;
      }
      switch (incoming.method) {
        case 'REGISTER':
          void this.registrar.handleRegister(incoming);
          return;
        case 'OPTIONS':
          if (!this.handler || incoming.request.uri.type !== 'sip' || !incoming.request.uri.user) {
            incoming.reply(200, {
              headers: [
                ['Allow', ALLOW],
                ['Accept', 'application/sdp'],
                ['Supported', 'outbound, path, replaces'],
              ],
            });
            return;
          }
          break;
      }
      if (!this.handler) {
        incoming.reply(incoming.method === 'INVITE' ? 480 : 501);
        return;
      }
      this.handler(incoming);
    } catch (err) {
      this.onError(err, incoming);
      if (!incoming.answered && incoming.method !== 'ACK') incoming.reply(500);
    }
  };

  /** An OPTIONS probe, or an INVITE for a new call (one with Replaces takes over a call already here, RFC 3891). */
  private startsWork(incoming: IncomingRequest): boolean {
    if (incoming.method === 'OPTIONS') return true;
    return incoming.method === 'INVITE' && incoming.request.get('replaces') === undefined;
  }
}
