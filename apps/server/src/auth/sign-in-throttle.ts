import type { Db } from '../db/database';

/** Counts failed sign-ins per key and says how long a locked key must wait. */
export interface SignInThrottle {
  /** Milliseconds until `keys` may try again; 0 when none of them is locked. */
  retryAfterMs(keys: string[]): Promise<number>;
  recordFailure(keys: string[]): Promise<void>;
  /** A right password clears the account's failures. */
  recordSuccess(key: string): Promise<void>;
}

/**
 * Failed sign-ins kept in the database (`sign_in_failures`), so every node sharing it counts them
 * together: an attacker spreading guesses over the nodes behind a load balancer meets one limit.
 * After `limit` failures in `windowMs` the key is locked until the oldest of them leaves the window.
 */
export class StoredSignInThrottle implements SignInThrottle {
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    /** Which throttle this is (`account`, `address`): its keys are counted apart from the others'. */
    private readonly scope: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async retryAfterMs(keys: string[]): Promise<number> {
    if (!keys.length) return 0;
    const t = this.now();
    const rows = await this.db
      .selectFrom('sign_in_failures')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('first')])
      .where('scope', '=', this.scope)
      .where('key', 'in', keys)
      .where('at', '>', t - this.windowMs)
      .groupBy('key')
      .execute();
    let wait = 0;
    for (const r of rows) {
      if (Number(r.n) >= this.limit) wait = Math.max(wait, Number(r.first) + this.windowMs - t);
    }
    return wait;
  }

  async recordFailure(keys: string[]): Promise<void> {
    if (!keys.length) return;
    const t = this.now();
    await this.db
      .insertInto('sign_in_failures')
      .values(keys.map((key) => ({ scope: this.scope, key, at: t })))
      .execute();
    // Failures older than the window count for nothing: cleared at most once a window.
    if (t - this.lastPrune >= this.windowMs) {
      this.lastPrune = t;
      await this.db
        .deleteFrom('sign_in_failures')
        .where('scope', '=', this.scope)
        .where('at', '<=', t - this.windowMs)
        .execute();
    }
  }

  async recordSuccess(key: string): Promise<void> {
    await this.db
      .deleteFrom('sign_in_failures')
      .where('scope', '=', this.scope)
      .where('key', '=', key)
      .execute();
  }
}
