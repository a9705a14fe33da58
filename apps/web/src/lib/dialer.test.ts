import { describe, expect, it } from 'vitest';
import { clickToDialBody, referenceTarget } from './dialer';

describe('dialing by reference', () => {
  it('a web extension dials ref-phone-/ref-cdr-/ref-task-<id>, never the (maybe masked) digits', () => {
    expect(referenceTarget({ customerPhoneId: 7 })).toBe('ref-phone-7');
    expect(referenceTarget({ cdrId: 42 })).toBe('ref-cdr-42');
    expect(referenceTarget({ dialTaskId: 3 })).toBe('ref-task-3');
    expect(referenceTarget({ callbackPlanId: 5 })).toBeNull();
    expect(referenceTarget(undefined)).toBeNull();
  });

  it('a desk-phone agent clicks to dial by reference when there is one, else by number', () => {
    expect(clickToDialBody('+12*******43', { customerPhoneId: 7 })).toEqual({ customerPhoneId: 7 });
    expect(clickToDialBody('+12*******43', { cdrId: 42 })).toEqual({ cdrId: 42 });
    expect(clickToDialBody('+12*******43', { dialTaskId: 3 })).toEqual({ dialTaskId: 3 });
    expect(clickToDialBody('+12025550143', { callbackPlanId: 5 })).toEqual({ number: '+12025550143' });
    expect(clickToDialBody('+12025550143')).toEqual({ number: '+12025550143' });
  });
});
