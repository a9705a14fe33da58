import { callbackDialingPolicySchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { draftOf, updateOf } from './dialing-policy-draft';

const inForce = { callsPerSecond: 10, maxConcurrent: 50 };

describe('dialing policy draft', () => {
  it("shows the node's caps when the policy sets none, and saves none unless asked to pace here", () => {
    const policy = callbackDialingPolicySchema.parse({});
    const draft = draftOf(policy, inForce);
    expect(draft).toMatchObject({ paceHere: false, callsPerSecond: '10', maxConcurrent: '50' });
    expect(updateOf(draft, policy.companyPrompt)).toEqual(policy);
    expect(updateOf({ ...draft, paceHere: true, callsPerSecond: '2.5' }, 'company-name').pacing).toEqual({
      callsPerSecond: 2.5,
      maxConcurrent: 50,
    });
  });

  it("shows the policy's own pacing, and sends an emptied box as null for the server to name", () => {
    const policy = callbackDialingPolicySchema.parse({ pacing: { callsPerSecond: 1, maxConcurrent: 4 } });
    const draft = draftOf(policy, inForce);
    expect(draft).toMatchObject({ paceHere: true, callsPerSecond: '1', maxConcurrent: '4' });
    const update = updateOf({ ...draft, maxConcurrent: ' ', maxAttempts: '' }, 'company-name');
    expect(update.pacing).toEqual({ callsPerSecond: 1, maxConcurrent: null });
    expect(update.maxAttempts).toBeNull();
  });
});
