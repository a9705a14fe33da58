import type { SipRequest, SipResponse } from '../messages/message';
import type { TimerConfig } from './timers';
import { Transaction, type TransactionChannel } from './transaction';

/** Non-INVITE server transaction (RFC 3261 §17.2.2). */
export class NonInviteServerTransaction extends Transaction {
  private lastResponse: SipResponse | undefined;
  onTransportError: ((error: Error) => void) | undefined;

  constructor(id: string, request: SipRequest, channel: TransactionChannel, config: TimerConfig) {
    super(id, request, channel, config, 'trying');
  }

  get finalResponseSent(): boolean {
    return this.state === 'completed' || this.state === 'terminated';
  }

  respond(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.lastResponse = response;
    this.transmit(response);
    if (response.status < 200) {
      this.state = 'proceeding';
      return;
    }
    this.state = 'completed';
    // Timer J: keep answering retransmitted requests for 64*T1 on unreliable transports.
    this.timer('J', this.channel.reliable ? 0 : 64 * this.config.T1, () => this.terminate());
  }

  /** A retransmission of the request: answered with the last response, or absorbed while Trying. */
  receiveRequest(_request: SipRequest): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) {
      this.transmit(this.lastResponse);
    }
  }

  protected transportError(error: Error): void {
    if (this.state === 'terminated') return;
    this.onTransportError?.(error);
    this.terminate();
  }
}
