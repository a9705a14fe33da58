import { errorCodes } from '@switchboard/shared';
import type { Context } from 'hono';
import { ApiError } from './api-error';
import { clientAddress } from './client-address';
import type { AppDeps } from './deps';

/** Throttles sign-in per account and per client address, for desk users and subscribers alike. */
export class LoginGuard {
  private readonly accountKey: string;
  private readonly addressKey: string;

  constructor(
    private readonly deps: Pick<AppDeps, 'accountThrottle' | 'addressThrottle'>,
    c: Context,
    account: string,
  ) {
    this.accountKey = account.toLowerCase();
    this.addressKey = `ip:${clientAddress(c)}`;
  }

  /** Throws 429 with Retry-After while either key is locked. */
  async assertAllowed(): Promise<void> {
    const [account, address] = await Promise.all([
      this.deps.accountThrottle.retryAfterMs([this.accountKey]),
      this.deps.addressThrottle.retryAfterMs([this.addressKey]),
    ]);
    const wait = Math.max(account, address);
    if (wait <= 0) return;
    const seconds = Math.ceil(wait / 1000);
    throw new ApiError(
      429,
      errorCodes.throttled,
      `Too many failed sign-in attempts. Try again in ${seconds} seconds.`,
      { retryAfterSeconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }

  async failed(): Promise<void> {
    await this.deps.accountThrottle.recordFailure([this.accountKey]);
    await this.deps.addressThrottle.recordFailure([this.addressKey]);
  }

  async succeeded(): Promise<void> {
    await this.deps.accountThrottle.recordSuccess(this.accountKey);
  }
}
