import { type LiveEvent, type LiveEventType, liveEventSchema } from '@switchboard/shared';
import { backoffDelay } from '../backoff';

export type LiveConnectionState =
  | { status: 'connecting' }
  | { status: 'open'; since: number }
  | { status: 'reconnecting'; attempt: number; retryAt: number | null; reason: string };

export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;
type Handler = (event: LiveEvent) => void;

/** Every event type once: a type added to the contract and missing here fails to compile. */
const everyLiveEventType: Record<LiveEventType, true> = {
  registration: true,
  call: true,
  agent_state: true,
  callback_plan: true,
  queue_waiting: true,
  queue_agents: true,
  call_leg: true,
  consult: true,
  web_callback: true,
  flow_step: true,
  monitor: true,
  wallboard: true,
  import_progress: true,
  callback_breaker: true,
  trunk_state: true,
  campaign: true,
  campaign_call: true,
  node_drain: true,
};
export const liveEventTypes = Object.keys(everyLiveEventType) as LiveEventType[];

/** What the client needs from the browser; injectable for tests. */
export interface LiveEventsEnv {
  createEventSource(url: string): EventSource;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const browserEnv: LiveEventsEnv = {
  createEventSource: (url) => new EventSource(url, { withCredentials: true }),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

const backoff = { baseMs: 1000, maxMs: 30_000, jitter: 0.3 };

/**
 * One EventSource to `/api/events` for this tab. The browser's own retry covers dropped
 * connections (it resends Last-Event-ID); when the browser gives up (server down, an HTTP error)
 * this client opens a new stream with backoff and `?lastEventId=` so nothing is missed.
 */
export class LiveEventsClient {
  private source: EventSource | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private lastEventId = '';
  private stopped = true;
  private state: LiveConnectionState = { status: 'connecting' };
  private readonly handlers = new Map<LiveEventType, Set<Handler>>();
  private readonly stateListeners = new Set<() => void>();
  private readonly readyListeners = new Set<() => void>();

  constructor(
    private readonly url = '/api/events',
    private readonly env: LiveEventsEnv = browserEnv,
  ) {}

  getState = (): LiveConnectionState => this.state;

  onState = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  };

  /**
   * Called each time a stream is accepted (`ready`): data fetched before it, or while the tab was
   * cut off, may have missed events the stream cannot replay.
   */
  onReady = (listener: () => void): (() => void) => {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  };

  on<T extends LiveEventType>(type: T, handler: (event: LiveEventOf<T>) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    const h = handler as Handler;
    set.add(h);
    return () => set.delete(h);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
  }

  /** Reconnect now (the "Retry" button), skipping the remaining backoff. */
  retryNow(): void {
    if (this.stopped) return;
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.open();
  }

  private setState(state: LiveConnectionState): void {
    this.state = state;
    for (const l of this.stateListeners) l();
  }

  private open(): void {
    const url = this.lastEventId
      ? `${this.url}${this.url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(this.lastEventId)}`
      : this.url;
    const es = this.env.createEventSource(url);
    this.source = es;
    if (this.state.status !== 'reconnecting') this.setState({ status: 'connecting' });
    es.addEventListener('ready', () => {
      if (this.source !== es) return;
      this.attempt = 0;
      this.setState({ status: 'open', since: this.env.now() });
      for (const l of [...this.readyListeners]) l();
    });
    for (const type of liveEventTypes) {
      es.addEventListener(type, (e) => this.dispatch(es, e as MessageEvent<string>));
    }
    es.onerror = () => {
      if (this.source !== es || this.stopped) return;
      if (es.readyState === 2 /* CLOSED: the browser gave up */) {
        es.close();
        const delay = backoffDelay(this.attempt, backoff);
        this.attempt += 1;
        this.setState({
          status: 'reconnecting',
          attempt: this.attempt,
          retryAt: this.env.now() + delay,
          reason: 'The server did not accept the live connection',
        });
        this.timer = this.env.setTimeout(() => {
          this.timer = null;
          if (!this.stopped) this.open();
        }, delay);
      } else {
        // CONNECTING: the browser retries by itself after the server's `retry` hint.
        this.attempt += 1;
        this.setState({
          status: 'reconnecting',
          attempt: this.attempt,
          retryAt: null,
          reason: 'Connection to the server lost',
        });
      }
    };
  }

  private dispatch(es: EventSource, e: MessageEvent<string>): void {
    if (this.source !== es) return;
    if (e.lastEventId) this.lastEventId = e.lastEventId;
    let parsed: LiveEvent;
    try {
      const result = liveEventSchema.safeParse(JSON.parse(e.data));
      if (!result.success) return;
      parsed = result.data;
    } catch {
      return;
    }
    const set = this.handlers.get(parsed.type);
    if (!set) return;
    for (const h of [...set]) {
      try {
        h(parsed);
      } catch (err) {
        console.error('live event handler failed', err);
      }
    }
  }
}
