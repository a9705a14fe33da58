import { SipStack, type SipStackOptions } from '../src/index';

/** A stack on 127.0.0.1 with free ports (UDP and TCP on the same number). */
export function testStack(options: SipStackOptions = {}): Promise<SipStack> {
  return SipStack.listen({ host: '127.0.0.1', port: 0, ...options });
}

/** Resolves with the first value `register` delivers. */
export function once<T>(register: (fn: (v: T) => void) => void): Promise<T> {
  return new Promise((resolve) => register(resolve));
}
