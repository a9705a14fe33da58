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
  assertAllowed(): void {
    const wait = Math.max(
      this.deps.accountThrottle.retryAfterMs([this.accountKey]),
      this.deps.addressThrottle.retryAfterMs([this.addressKey]),
    );
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

  failed(): void {
    this.deps.accountThrottle.recordFailure([this.accountKey]);
    this.deps.addressThrottle.recordFailure([this.addressKey]);
  }

  succeeded(): void {
    this.deps.accountThrottle.recordSuccess(this.accountKey);
  }
}
