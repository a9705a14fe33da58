import type { SipRequest, SipResponse } from '../messages/message';
import { createNon2xxAck } from './ack';
import type { TimerConfig } from './timers';
import { type ClientTransactionUser, Transaction, type TransactionChannel } from './transaction';

/**
 * INVITE client transaction (RFC 3261 §17.1.1, with the "Accepted" state of RFC 6026 so that
 * 2xx retransmissions and forked 2xx responses still reach the TU for 64*T1).
 */
export class InviteClientTransaction extends Transaction {
  private ack: SipRequest | undefined;

  constructor(
    id: string,
    request: SipRequest,
    channel: TransactionChannel,
    config: TimerConfig,
    readonly user: ClientTransactionUser,
  ) {
    super(id, request, channel, config, 'calling');
  }

  start(): void {
    this.transmit(this.request);
    if (!this.channel.reliable) this.scheduleA(this.config.T1);
    // Timer B: give up on the INVITE after 64*T1 with no response at all.
    this.timer('B', 64 * this.config.T1, () => {
      if (this.state !== 'calling') return;
      this.user.onTimeout?.();
      this.terminate();
    });
  }

  private scheduleA(interval: number): void {
    // Timer A doubles without a cap for INVITE (§17.1.1.2); Timer B bounds it.
    this.timer('A', interval, () => {
      if (this.state !== 'calling') return;
      this.transmit(this.request);
      this.scheduleA(interval * 2);
    });
  }

  receiveResponse(response: SipResponse): void {
    const s = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        this.stopTimer('A');
        if (s < 200) {
          this.state = 'proceeding';
          this.stopTimer('B');
          this.user.onResponse(response);
        } else if (s < 300) {
          // RFC 6026 §8.4: 2xx moves to Accepted; the TU sends the ACK, Timer M absorbs stray 2xx.
          this.state = 'accepted';
          this.stopTimer('B');
          this.timer('M', 64 * this.config.T1, () => this.terminate());
          this.user.onResponse(response);
        } else {
          this.state = 'completed';
          this.stopTimer('B');
          this.ack = createNon2xxAck(this.request, response);
          this.transmit(this.ack);
          this.user.onResponse(response);
          // Timer D: stay around to re-ACK retransmitted final responses (32 s on UDP, 0 on TCP).
          this.timer('D', this.channel.reliable ? 0 : Math.max(32_000, 64 * this.config.T1), () =>
            this.terminate(),
          );
        }
        break;
      case 'accepted':
        // Retransmitted or forked 2xx: the TU must see each one to ACK it (RFC 6026 §7.2).
        if (s >= 200 && s < 300) this.user.onResponse(response);
        break;
      case 'completed':
        // A retransmitted final response is absorbed and re-ACKed, not passed up (§17.1.1.2).
        if (s >= 300 && this.ack) this.transmit(this.ack);
        break;
      default:
        break;
    }
  }

  protected transportError(error: Error): void {
    if (this.state === 'terminated') return;
    this.user.onTransportError?.(error);
    this.terminate();
  }
}
