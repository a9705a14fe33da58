/**
 * Limits on a stream transport's incoming connections. Each open connection holds a file
 * descriptor, so without a bound one source can use them all and starve every other listener of
 * the process (HTTP included).
 */
export interface ConnectionLimits {
  /** Incoming connections open at once on this transport; more are refused at once. */
  maxConnections?: number;
  /** Incoming connections from one address (an office behind NAT shares one, so keep it generous). */
  maxPerAddress?: number;
  /**
   * A connection that has not been marked authenticated (`Connection.markAuthenticated`, e.g. after
   * a successful REGISTER) this long after it opened is closed. 0 or unset: never.
   */
  authenticateWithinMs?: number;
  /** Addresses whose connections count as authenticated from the start (carrier trunks). */
  isTrustedAddress?(address: string): boolean;
}

export type AdmissionRefusal = 'total' | 'address';

/** Counts open connections in total and per address against `ConnectionLimits`. */
export class ConnectionCounter {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: ConnectionLimits = {}) {}

  /** Takes a slot for a connection from `address`, or says which limit refuses it. */
  acquire(address: string): AdmissionRefusal | null {
    const n = this.perAddress.get(address) ?? 0;
    if (this.limits.maxConnections !== undefined && this.total >= this.limits.maxConnections) return 'total';
    if (this.limits.maxPerAddress !== undefined && n >= this.limits.maxPerAddress) return 'address';
    this.total++;
    this.perAddress.set(address, n + 1);
    return null;
  }

  release(address: string): void {
    const n = this.perAddress.get(address) ?? 0;
    if (n <= 0) return;
    this.total--;
    if (n === 1) this.perAddress.delete(address);
    else this.perAddress.set(address, n - 1);
  }

  get size(): number {
    return this.total;
  }

  fromAddress(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  trusted(address: string): boolean {
    return this.limits.isTrustedAddress?.(address) ?? false;
  }

  get authenticateWithinMs(): number {
    return this.limits.authenticateWithinMs ?? 0;
  }
}
