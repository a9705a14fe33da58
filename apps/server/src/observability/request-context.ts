import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request a piece of work started from. Everything the request sets going (a call it
 * places, the database writes, their log lines) runs inside its context, so the logger can stamp
 * each line with the request's id and an operator can follow one request from the access log into
 * the call's own lines.
 */
const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
