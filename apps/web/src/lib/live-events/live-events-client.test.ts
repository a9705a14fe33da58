import { describe, expect, it } from 'vitest';
import { LiveEventsClient, type LiveEventsEnv } from './live-events-client';

/** An EventSource the test drives by hand: `emit` delivers a named event, `fail` a browser error. */
class ScriptedEventSource {
  readyState = 1;
  onerror: (() => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, data = '{}', lastEventId = ''): void {
    for (const l of this.listeners.get(type) ?? []) l({ data, lastEventId } as MessageEvent<string>);
  }
  fail(): void {
    this.readyState = 2;
    this.onerror?.();
  }
  close(): void {
    this.closed = true;
  }
}

function scriptedEnv() {
  const sources: ScriptedEventSource[] = [];
  const timers: (() => void)[] = [];
  const env: LiveEventsEnv = {
    createEventSource: (url) => {
      const es = new ScriptedEventSource(url);
      sources.push(es);
      return es as unknown as EventSource;
    },
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => {},
    now: () => 0,
  };
  return { env, sources, timers };
}

describe('LiveEventsClient ready listeners', () => {
  it('tells its listeners each time a stream is accepted, the first one and after a reconnect', () => {
    const { env, sources, timers } = scriptedEnv();
    const client = new LiveEventsClient('/api/events', env);
    let readies = 0;
    client.onReady(() => {
      readies += 1;
    });
    client.start();
    expect(readies).toBe(0);
    sources[0]!.emit('ready');
    expect(readies).toBe(1);
    expect(client.getState().status).toBe('open');

    sources[0]!.emit('agent_state', JSON.stringify({}), '41');
    sources[0]!.fail();
    expect(client.getState().status).toBe('reconnecting');
    timers.shift()!();
    expect(sources).toHaveLength(2);
    expect(sources[1]!.url).toBe('/api/events?lastEventId=41');
    sources[1]!.emit('ready');
    expect(readies).toBe(2);
  });

  it('ignores a stale stream and stops telling a listener that unsubscribed', () => {
    const { env, sources, timers } = scriptedEnv();
    const client = new LiveEventsClient('/api/events?types=wallboard', env);
    const seen: string[] = [];
    const off = client.onReady(() => seen.push('ready'));
    client.start();
    sources[0]!.fail();
    timers.shift()!();
    sources[0]!.emit('ready');
    expect(seen).toEqual([]);
    sources[1]!.emit('ready');
    expect(seen).toEqual(['ready']);
    off();
    client.retryNow();
    sources[2]!.emit('ready');
    expect(seen).toEqual(['ready']);
  });
});
