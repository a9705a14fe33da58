import type { WaitingCall } from '@switchboard/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WaitingList, waitingListKey } from './get-waiting-calls';
import { useMoveWaitingCall } from './move-waiting-call';

const call = (callId: string, position: number): WaitingCall => ({
  callId,
  callerNumber: `+1202555010${position}`,
  callerName: null,
  waitingSince: 0,
  waitS: 5,
  position,
  ringing: [],
  callback: null,
});

function setup() {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  const list: WaitingList = { calls: [call('late', 2), call('early', 1)], fetchedAt: 1000 };
  client.setQueryData(waitingListKey(7), list);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const { result } = renderHook(() => useMoveWaitingCall(7), { wrapper });
  const order = () =>
    client.getQueryData<WaitingList>(waitingListKey(7))?.calls.map((c) => [c.callId, c.position]);
  return { result, order, list };
}

afterEach(() => {
  // Unmounted before the environment goes: pending work would otherwise run without a window.
  cleanup();
  vi.unstubAllGlobals();
});

describe('moving a waiting call', () => {
  it('shows the new order at once and sends each move in turn', async () => {
    const sent: { url: string; body: unknown }[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, body: JSON.parse(String(init.body)) });
      await held;
      return new Response(JSON.stringify({ callId: 'late', position: 1 }), { status: 200 });
    });
    const { result, order } = setup();
    act(() => result.current.mutate({ callId: 'late', moves: ['up', 'up'], order: ['early', 'late'] }));
    await waitFor(() =>
      expect(order()).toEqual([
        ['early', 2],
        ['late', 1],
      ]),
    );
    expect(sent).toHaveLength(1);
    release();
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(sent.map((s) => [s.url, s.body])).toEqual([
      ['/api/queues/7/waiting/late/position', { move: 'up' }],
      ['/api/queues/7/waiting/late/position', { move: 'up' }],
    ]);
  });

  it('puts the list back as it was when the server refuses the move', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({
            error: { code: 'not_found', message: 'That call is no longer waiting in this queue' },
          }),
          { status: 404 },
        ),
    );
    const { result, order } = setup();
    act(() => result.current.mutate({ callId: 'late', moves: ['top'], order: ['early', 'late'] }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toBe('That call is no longer waiting in this queue');
    expect(order()).toEqual([
      ['late', 2],
      ['early', 1],
    ]);
  });
});
