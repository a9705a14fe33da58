import type { SipMessageAny, SipRequest, SipResponse } from '../messages/message';
import { Timer, type TimerConfig } from './timers';

/** How a transaction puts its messages on the wire: bound to one destination or flow. */
export interface TransactionChannel {
  /** Reliable transports get no retransmissions (§17.1.1.2, §17.1.2.2). */
  readonly reliable: boolean;
  send(message: SipMessageAny): void | Promise<void>;
}

export type TransactionState =
  | 'calling'
  | 'trying'
  | 'proceeding'
  | 'accepted'
  | 'completed'
  | 'confirmed'
  | 'terminated';

export interface ClientTransactionUser {
  /** Every response the transaction passes up (provisional, final, and 2xx retransmissions on INVITE). */
  onResponse(response: SipResponse): void;
  /** Timer B or F fired with no final response (§17.1.1.2, §17.1.2.2). */
  onTimeout?(): void;
  onTransportError?(error: Error): void;
}

export abstract class Transaction {
  state: TransactionState;
  readonly timers = new Map<string, Timer>();
  private terminatedListeners: Array<() => void> = [];

  constructor(
    readonly id: string,
    readonly request: SipRequest,
    readonly channel: TransactionChannel,
    readonly config: TimerConfig,
    initial: TransactionState,
  ) {
    this.state = initial;
  }

  protected timer(name: string, ms: number, fn: () => void): void {
    let t = this.timers.get(name);
    if (!t) {
      t = new Timer(name);
      this.timers.set(name, t);
    }
    t.start(ms, fn);
  }

  protected stopTimer(name: string): void {
    this.timers.get(name)?.stop();
  }

  /** Whether a named timer (e.g. 'A') is pending; used by tests and diagnostics. */
  isTimerRunning(name: string): boolean {
    return this.timers.get(name)?.running ?? false;
  }

  protected transmit(message: SipMessageAny): void {
    try {
      const p = this.channel.send(message);
      if (p) p.catch((e: unknown) => this.transportError(e instanceof Error ? e : new Error(String(e))));
    } catch (e) {
      this.transportError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  protected abstract transportError(error: Error): void;

  onTerminated(fn: () => void): void {
    if (this.state === 'terminated') fn();
    else this.terminatedListeners.push(fn);
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    for (const t of this.timers.values()) t.stop();
    const ls = this.terminatedListeners;
    this.terminatedListeners = [];
    for (const fn of ls) fn();
  }
}
