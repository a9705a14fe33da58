import { createResponse } from '../messages/builders';
import type { SipRequest, SipResponse } from '../messages/message';
import type { TimerConfig } from './timers';
import { Transaction, type TransactionChannel } from './transaction';

/**
 * INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's "Accepted" state: after a 2xx the
 * transaction absorbs INVITE retransmissions for 64*T1 while the TU retransmits the 2xx itself).
 */
export class InviteServerTransaction extends Transaction {
  private lastResponse: SipResponse | undefined;
  /** Set when a matching CANCEL arrived (§9.2); the TU should answer 487. */
  cancelled = false;
  onCancel: ((cancel: SipRequest) => void) | undefined;
  /** Timer H fired: the non-2xx final response was never acknowledged. */
  onTimeout: (() => void) | undefined;
  onTransportError: ((error: Error) => void) | undefined;

  constructor(id: string, request: SipRequest, channel: TransactionChannel, config: TimerConfig) {
    super(id, request, channel, config, 'proceeding');
  }

  /**
   * §17.2.1: if the TU does not answer within 200 ms, the transaction sends 100 Trying itself so the
   * client stops retransmitting. A fast TU never causes a 100 to be sent.
   */
  start(trying100Delay = 200): void {
    this.timer('Trying', trying100Delay, () => {
      if (this.state === 'proceeding' && !this.lastResponse) this.respond(createResponse(this.request, 100));
    });
  }

  get finalResponseSent(): boolean {
    return this.state !== 'proceeding';
  }

  respond(response: SipResponse): void {
    const s = response.status;
    if (this.state === 'proceeding') {
      this.stopTimer('Trying');
      this.lastResponse = response;
      this.transmit(response);
      if (s < 200) return;
      if (s < 300) {
        this.state = 'accepted';
        this.timer('L', 64 * this.config.T1, () => this.terminate());
        return;
      }
      this.state = 'completed';
      if (!this.channel.reliable) this.scheduleG(this.config.T1);
      // Timer H: wait 64*T1 for the ACK of a failure response.
      this.timer('H', 64 * this.config.T1, () => {
        if (this.state !== 'completed') return;
        this.onTimeout?.();
        this.terminate();
      });
    } else if (this.state === 'accepted' && s >= 200 && s < 300) {
      // 2xx retransmissions by the TU (§13.3.1.4) pass straight through.
      this.transmit(response);
    }
  }

  private scheduleG(interval: number): void {
    // Timer G: retransmit the failure response, doubling up to T2, until an ACK arrives.
    this.timer('G', interval, () => {
      if (this.state !== 'completed' || !this.lastResponse) return;
      this.transmit(this.lastResponse);
      this.scheduleG(Math.min(interval * 2, this.config.T2));
    });
  }

  /** A request matched this transaction: an INVITE retransmission or the ACK for a non-2xx. */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.state !== 'completed') return;
      this.state = 'confirmed';
      this.stopTimer('G');
      this.stopTimer('H');
      // Timer I: absorb ACK retransmissions for T4 on unreliable transports.
      this.timer('I', this.channel.reliable ? 0 : this.config.T4, () => this.terminate());
      return;
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) {
      this.transmit(this.lastResponse);
    }
  }

  cancel(cancelRequest: SipRequest): void {
    if (this.state !== 'proceeding') return;
    this.cancelled = true;
    this.onCancel?.(cancelRequest);
  }

  protected transportError(error: Error): void {
    if (this.state === 'terminated') return;
    this.onTransportError?.(error);
    this.terminate();
  }
}
