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
}
