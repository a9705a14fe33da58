import { describe, expect, it } from 'vitest';
import { drainAction } from './node-drain';

describe('drainAction', () => {
  it('does nothing while the node takes calls', () => {
    expect(drainAction(null, false, null)).toBe('none');
    expect(drainAction(null, true, '1000')).toBe('none');
  });

  it('moves an idle desk, and waits for a call to end first', () => {
    expect(drainAction(1000, false, null)).toBe('move');
    expect(drainAction(1000, true, null)).toBe('after-call');
  });

  it('moves once per drain: back on the same draining node it stays; a later drain moves it again', () => {
    expect(drainAction(1000, false, '1000')).toBe('stay');
    expect(drainAction(2000, false, '1000')).toBe('move');
  });
});
