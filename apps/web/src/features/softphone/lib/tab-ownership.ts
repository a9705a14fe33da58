export type Ownership = 'pending' | 'owner' | 'elsewhere';

/** The part of the Web Locks API used here (injectable for tests). */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

export const softphoneLockName = 'switchboard-softphone';

/**
 * One tab owns the softphone (and so the registration, the microphone and the ringing). The owner
 * holds a Web Lock until it closes or another tab takes over with "Use here" (`steal`). Tabs that do
 * not own wait in the lock's queue, so when the owning tab closes the next one takes over by itself.
 */
export class TabOwnership {
  private state: Ownership = 'pending';
  private release: (() => void) | null = null;
  private waiting: AbortController | null = null;
  private readonly listeners = new Set<(state: Ownership) => void>();
  private disposed = false;

  constructor(
    private readonly locks: LockManagerLike | null,
    private readonly name = softphoneLockName,
  ) {}

  get current(): Ownership {
    return this.state;
  }

  subscribe(listener: (state: Ownership) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Takes the lock if it is free, else queues for it. Without Web Locks this tab simply owns. */
  start(): void {
    if (!this.locks) {
      this.set('owner');
      return;
    }
    void this.locks
      .request(this.name, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          this.set('elsewhere');
          this.queue();
          return Promise.resolve();
        }
        return this.hold();
      })
      .catch(() => this.lost());
  }

  /** "Use here": take the softphone from the tab that has it. */
  takeOver(): void {
    if (!this.locks || this.disposed || this.state === 'owner') return;
    this.waiting?.abort();
    this.waiting = null;
    void this.locks.request(this.name, { steal: true }, () => this.hold()).catch(() => this.lost());
  }

  dispose(): void {
    this.disposed = true;
    this.waiting?.abort();
    this.waiting = null;
    this.release?.();
    this.release = null;
    this.listeners.clear();
  }

  private hold(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.set('owner');
    return new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  /** Our held lock was stolen (its request rejects): the other tab owns now; queue again. */
  private lost(): void {
    if (this.disposed) return;
    this.release = null;
    this.set('elsewhere');
    this.queue();
  }

  private queue(): void {
    if (!this.locks || this.disposed || this.waiting) return;
    const controller = new AbortController();
    this.waiting = controller;
    void this.locks
      .request(this.name, { signal: controller.signal }, () => {
        if (this.waiting === controller) this.waiting = null;
        return this.hold();
      })
      .catch(() => {
        // Aborted by takeOver/dispose, or stolen after we got it.
        if (this.waiting === controller) this.waiting = null;
        if (!controller.signal.aborted) this.lost();
      });
  }

  private set(state: Ownership): void {
    if (this.state === state) return;
    this.state = state;
    for (const l of [...this.listeners]) l(state);
  }
}
