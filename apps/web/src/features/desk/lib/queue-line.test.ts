import { describe, expect, it } from 'vitest';
import { queueLineLabel } from './queue-line';

describe('the State card queue line', () => {
  it('says the call, not only the pause, while the agent is on a call or wrapping up', () => {
    expect(queueLineLabel('on_call', { paused: true, reason: 'Lunch' })).toBe(
      'On a call · then paused · lunch',
    );
    expect(queueLineLabel('wrapup', { paused: true, reason: null })).toBe('Wrap-up · then paused');
    expect(queueLineLabel('on_call', { paused: false, reason: null })).toBe('On a call');
  });

  it('says Idle or the pause when no call is on', () => {
    expect(queueLineLabel('idle', { paused: false, reason: null })).toBe('Idle');
    expect(queueLineLabel('paused', { paused: true, reason: 'Break' })).toBe('Paused · Break');
  });
});
