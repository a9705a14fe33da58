import { afterEach, describe, expect, it } from 'vitest';
import { AgentBoard } from './agent-board';
import { AgentPresence } from './agent-presence';

const QUEUE_WITH_WRAPUP = 7;

function boardWithAgent(): AgentBoard {
  const board = new AgentBoard({
    isRegistered: () => true,
    wrapupFor: (q) => (q === QUEUE_WITH_WRAPUP ? 30 : 0),
    now: () => Date.now(),
  });
  board.load({
    userId: 1,
    extension: '1001',
    loggedIn: true,
    queues: new Map([[QUEUE_WITH_WRAPUP, { penalty: 0, paused: null }]]),
    basePause: null,
    since: 0,
  });
  return board;
}

describe('AgentPresence (presence from the parties of calls)', () => {
  let board: AgentBoard;
  afterEach(() => board.dispose());

  it('a queue call that ends or is handed on gives wrap-up; a direct call or being dropped frees', () => {
    board = boardWithAgent();
    const presence = new AgentPresence(board);
    presence.apply({ change: 'joined', callId: 'q1', userId: 1, queueId: QUEUE_WITH_WRAPUP });
    expect(board.get(1)?.status).toBe('on_call');
    presence.apply({
      change: 'left',
      callId: 'q1',
      userId: 1,
      queueId: QUEUE_WITH_WRAPUP,
      reason: 'transferred',
    });
    expect(board.get(1)?.status).toBe('wrapup');
    board.finishWrapUp(1);
    expect(board.get(1)?.status).toBe('idle');

    presence.apply({ change: 'joined', callId: 'd1', userId: 1, queueId: null });
    presence.apply({ change: 'left', callId: 'd1', userId: 1, queueId: null, reason: 'ended' });
    expect(board.get(1)?.status).toBe('idle');

    presence.apply({ change: 'joined', callId: 'q2', userId: 1, queueId: QUEUE_WITH_WRAPUP });
    presence.apply({ change: 'left', callId: 'q2', userId: 1, queueId: QUEUE_WITH_WRAPUP, reason: 'left' });
    expect(board.get(1)?.status).toBe('idle');
  });

  it('an agent in two calls stays on the other one when leaving the first, and wrap-up waits for the last', () => {
    board = boardWithAgent();
    const presence = new AgentPresence(board);
    presence.apply({ change: 'joined', callId: 'a', userId: 1, queueId: QUEUE_WITH_WRAPUP });
    presence.apply({ change: 'joined', callId: 'b', userId: 1, queueId: null });
    expect(presence.callsOfUser(1)).toEqual(['a', 'b']);
    presence.apply({ change: 'left', callId: 'b', userId: 1, queueId: null, reason: 'ended' });
    expect(board.get(1)?.onCall?.callId).toBe('a');
    expect(board.finishWrapUp(1)).toBe(false);
    expect(board.get(1)?.status).toBe('on_call');
    presence.apply({ change: 'left', callId: 'a', userId: 1, queueId: QUEUE_WITH_WRAPUP, reason: 'ended' });
    expect(board.get(1)?.status).toBe('wrapup');
    expect(presence.callsOfUser(1)).toEqual([]);
  });

  it('leaving a call it never saw the agent join does not end the call the agent is on', () => {
    board = boardWithAgent();
    const presence = new AgentPresence(board);
    presence.apply({ change: 'joined', callId: 'mine', userId: 1, queueId: null });
    presence.apply({ change: 'left', callId: 'unknown', userId: 1, queueId: null, reason: 'ended' });
    expect(board.get(1)?.onCall?.callId).toBe('mine');
    presence.apply({ change: 'left', callId: 'mine', userId: 1, queueId: null, reason: 'ended' });
    presence.apply({ change: 'left', callId: 'mine', userId: 1, queueId: null, reason: 'ended' });
    expect(board.get(1)?.status).toBe('idle');
    expect(presence.callsOfUser(1)).toEqual([]);
  });
});
