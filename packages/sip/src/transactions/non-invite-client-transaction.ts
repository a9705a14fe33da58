import type { SipRequest, SipResponse } from '../messages/message';
import type { TimerConfig } from './timers';
import { type ClientTransactionUser, Transaction, type TransactionChannel } from './transaction';

/** Non-INVITE client transaction (RFC 3261 §17.1.2). */
export class NonInviteClientTransaction extends Transaction {
  constructor(
    id: string,
    request: SipRequest,
    channel: TransactionChannel,
    config: TimerConfig,
    readonly user: ClientTransactionUser,
  ) {
    super(id, request, channel, config, 'trying');
  }

  start(): void {
    this.transmit(this.request);
    if (!this.channel.reliable) this.scheduleE(this.config.T1);
    // Timer F: the request gets 64*T1 to produce a final response.
    this.timer('F', 64 * this.config.T1, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.user.onTimeout?.();
      this.terminate();
    });
  }

  private scheduleE(interval: number): void {
    // Timer E: doubling up to T2 while Trying; once a provisional arrived it stays at T2 (§17.1.2.2).
    this.timer('E', interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.transmit(this.request);
      this.scheduleE(this.state === 'proceeding' ? this.config.T2 : Math.min(interval * 2, this.config.T2));
    });
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return; // completed: absorb retransmissions
    if (response.status < 200) {
      this.state = 'proceeding';
      this.user.onResponse(response);
      return;
    }
    this.state = 'completed';
    this.stopTimer('E');
    this.stopTimer('F');
    this.user.onResponse(response);
    // Timer K: linger T4 on unreliable transports to absorb retransmitted responses.
    this.timer('K', this.channel.reliable ? 0 : this.config.T4, () => this.terminate());
  }

  protected transportError(error: Error): void {
    if (this.state === 'terminated') return;
    this.user.onTransportError?.(error);
    this.terminate();
  }
}
