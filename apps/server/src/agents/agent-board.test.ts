import { describe, expect, it } from 'vitest';
import { AgentBoard } from './agent-board';

describe('AgentBoard idle time (longest-idle)', () => {
  it('restarts when a call ends, with or without wrap-up', () => {
    let now = 1000;
    const board = new AgentBoard({
      isRegistered: () => true,
      wrapupFor: (q) => (q === 2 ? 5 : 0),
      now: () => now,
    });
    const queues = (id: number) => new Map([[id, { penalty: 0, paused: null }]]);
    board.load({
      userId: 1,
      extension: '1001',
      loggedIn: true,
      queues: queues(1),
      basePause: null,
      since: 0,
    });
    board.load({
      userId: 2,
      extension: '1002',
      loggedIn: true,
      queues: queues(2),
      basePause: null,
      since: 0,
    });
    board.markOnCall(1, { callId: 'a', queueId: 1 });
    now = 2000;
    board.markWrapUp(1); // queue 1: no wrap-up → free at once
    expect(board.get(1)).toMatchObject({ status: 'idle', idleSince: 2000 });
    board.markOnCall(2, { callId: 'b', queueId: 2 });
    now = 3000;
    board.markWrapUp(2); // queue 2: 5 s of wrap-up
    expect(board.get(2)?.status).toBe('wrapup');
    now = 4000;
    board.markFree(2);
    expect(board.get(2)).toMatchObject({ status: 'idle', idleSince: 4000 });
    board.dispose();
  });
});
