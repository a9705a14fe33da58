import type { DrainState } from '@switchboard/shared';
import type { Logger } from '../observability/logger';
import type { SipDispatcher } from './sip-dispatcher';

export interface NodeDrainParts {
  dispatcher: SipDispatcher;
  /** The outbound dialer of this node: it stops claiming due work while draining. */
  dialer: { pause(): void; resume(): void };
  /** Calls up on this node (B2BUA calls and call scripts). */
  liveCalls: () => number;
  logger: Logger;
  now?: () => number;
  /** Told when the drain starts or ends (the desks signed in here hear of it). */
  announce?: (state: DrainState) => void;
}

/**
 * Taking a node out of service without dropping a call (docs/operations.md): while draining, new
 * calls and OPTIONS probes are refused with 503 so the proxy in front sends new work elsewhere, the
 * dialer claims nothing, `/readyz` says so, and the calls already up go on to their end.
 */
export class NodeDrain {
  private since: number | null = null;
  private readonly now: () => number;

  constructor(private readonly parts: NodeDrainParts) {
    this.now = parts.now ?? Date.now;
  }

  get draining(): boolean {
    return this.since !== null;
  }

  state(): DrainState {
    return { draining: this.draining, since: this.since, liveCalls: this.parts.liveCalls() };
  }

  start(reason: string): DrainState {
    if (this.since === null) {
      this.since = this.now();
      this.parts.dispatcher.draining = true;
      this.parts.dialer.pause();
      this.parts.logger.info({ reason, liveCalls: this.parts.liveCalls() }, 'draining: no new calls');
      this.parts.announce?.(this.state());
    }
    return this.state();
  }

  resume(reason: string): DrainState {
    if (this.since !== null) {
      this.since = null;
      this.parts.dispatcher.draining = false;
      this.parts.dialer.resume();
      this.parts.logger.info({ reason }, 'drain ended: taking new calls');
      this.parts.announce?.(this.state());
    }
    return this.state();
  }

  /**
   * Resolves true once no call is up, or false when `maxMs` passes first. Calls end on their own
   * schedule, so the count is looked at every `everyMs` rather than tracked through every call kind.
   */
  whenIdle(maxMs: number, everyMs = 250): Promise<boolean> {
    if (this.parts.liveCalls() === 0) return Promise.resolve(true);
    if (maxMs <= 0) return Promise.resolve(false);
    const deadline = this.now() + maxMs;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        if (this.parts.liveCalls() === 0) {
          clearInterval(timer);
          resolve(true);
        } else if (this.now() >= deadline) {
          clearInterval(timer);
          resolve(false);
        }
      }, everyMs);
    });
  }
}
