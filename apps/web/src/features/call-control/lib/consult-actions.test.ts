import { describe, expect, it } from 'vitest';
import { consultActions, consultView, isOwnConsult, type ReceivedConsultEvent } from './consult-actions';

const base = { callConnected: true, target: 'Sam', pending: false } as const;

describe('consultActions', () => {
  it('only allows calling a supervisor before a consult starts', () => {
    const a = consultActions({ ...base, phase: 'none' });
    expect(a.call.enabled).toBe(true);
    expect(a.transfer).toEqual({ enabled: false, reason: 'Call a supervisor first' });
    expect(a.conference.enabled).toBe(false);
    expect(a.back.enabled).toBe(false);
  });

  it('refuses Transfer and Conference while the supervisor rings, but allows going back', () => {
    const a = consultActions({ ...base, phase: 'ringing' });
    expect(a.transfer.enabled).toBe(false);
    expect(a.transfer.reason).toMatch(/^Sam has not answered yet/);
    expect(a.conference).toEqual({ enabled: false, reason: 'Sam has not answered yet' });
    expect(a.back.enabled).toBe(true);
    expect(a.call.enabled).toBe(false);
  });

  it('allows Transfer, Conference and Back once the supervisor answers', () => {
    const a = consultActions({ ...base, phase: 'answered' });
    expect([a.transfer.enabled, a.conference.enabled, a.back.enabled]).toEqual([true, true, true]);
    expect(a.call.reason).toBe('A consult is already in progress');
  });

  it('allows completing the transfer from a conference, but neither a second conference nor going back', () => {
    const a = consultActions({ ...base, phase: 'conference' });
    expect(a.transfer.enabled).toBe(true);
    expect(a.conference).toEqual({ enabled: false, reason: 'The conference is already on' });
    expect(a.back).toEqual({
      enabled: false,
      reason: 'The conference is on: use Transfer to leave the customer with Sam',
    });
  });

  it('disables everything while a request is on its way, and before the call is answered', () => {
    for (const a of [
      consultActions({ ...base, phase: 'answered', pending: true }),
      consultActions({ ...base, phase: 'none', callConnected: false }),
    ]) {
      expect(Object.values(a).every((s) => !s.enabled && s.reason)).toBe(true);
    }
    expect(consultActions({ ...base, phase: 'none', callConnected: false }).call.reason).toBe(
      'Answer the call first',
    );
  });

  it('names the supervisor generically when the target is unknown', () => {
    expect(consultActions({ ...base, phase: 'ringing', target: null }).conference.reason).toBe(
      'The supervisor has not answered yet',
    );
  });
});

describe('consultView', () => {
  const event = (state: ReceivedConsultEvent['state'], receivedAt: number, reason: string | null = null) => ({
    callId: 'c1',
    state,
    target: 'Sam',
    reason,
    receivedAt,
  });

  it("follows the server's state when no newer event arrived", () => {
    expect(consultView({ state: 'answered', target: 'Sam' }, 200, event('ringing', 100))).toEqual({
      phase: 'answered',
      target: 'Sam',
      outcome: null,
      handedOn: false,
    });
  });

  it('takes a newer live event over the last fetch', () => {
    expect(consultView({ state: 'ringing', target: 'Sam' }, 100, event('answered', 200)).phase).toBe(
      'answered',
    );
    expect(consultView(null, 100, event('ringing', 200))).toEqual({
      phase: 'ringing',
      target: 'Sam',
      outcome: null,
      handedOn: false,
    });
  });

  it('shows why the consult failed and that the agent is back, even after a refetch', () => {
    const failed = event('failed', 200, 'no_answer');
    const expected = {
      phase: 'none',
      target: null,
      outcome: { state: 'failed', target: 'Sam', reason: 'no_answer' },
      handedOn: false,
    };
    expect(consultView({ state: 'ringing', target: 'Sam' }, 100, failed)).toEqual(expected);
    expect(consultView(null, 300, failed)).toEqual(expected);
  });

  it('knows the call was handed on once the consult completed', () => {
    expect(consultView(null, 100, event('completed', 200))).toMatchObject({ phase: 'none', handedOn: true });
    expect(consultView({ state: 'answered', target: 'Sam' }, 100, event('answered', 200)).handedOn).toBe(
      false,
    );
  });

  it('forgets the old failure once a new consult is under way', () => {
    expect(consultView({ state: 'ringing', target: 'Sam' }, 300, event('failed', 200)).outcome).toBeNull();
  });

  it('has no outcome after a completed transfer', () => {
    expect(consultView(null, 100, event('completed', 200))).toEqual({
      phase: 'none',
      target: null,
      outcome: null,
      handedOn: true,
    });
  });
});

describe('isOwnConsult', () => {
  const calls = [
    { callId: 'mine', consult: { state: 'answered' as const, target: 'Sam' } },
    { callId: 'theirs', consult: null },
  ];

  it("accepts the consult the server reports as the viewer's, or one started in this tab", () => {
    expect(isOwnConsult('mine', calls, new Set())).toBe(true);
    expect(isOwnConsult('theirs', calls, new Set(['theirs']))).toBe(true);
  });

  it("ignores a consult where the viewer is the supervisor being consulted, or someone else's", () => {
    expect(isOwnConsult('theirs', calls, new Set())).toBe(false);
    expect(isOwnConsult('elsewhere', calls, new Set(['mine']))).toBe(false);
  });
});
