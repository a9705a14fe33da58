import { describe, expect, it } from 'vitest';
import { MAX_DIALS_PER_AGENT, predictivePacing } from './predictive-pacing';

const base = { freeAgents: 2, inFlight: 0, abandonRate: 0, capPercent: 3 };

describe('predictive pacing', () => {
  it('dials one per free agent at the start, before any dial was measured', () => {
    expect(predictivePacing({ ...base, answerRate: { answered: 0, dialled: 0 } })).toEqual({
      dials: 2,
      perAgent: 1,
      pace: 'predictive',
    });
  });

  it('starts cautiously: a few unanswered dials move pacing less than many would', () => {
    const few = predictivePacing({ ...base, answerRate: { answered: 0, dialled: 2 } });
    const many = predictivePacing({ ...base, answerRate: { answered: 5, dialled: 20 } });
    // 0 of 2 answered reads as 4 of 6 (1.5 per agent); 5 of 20 as 9 of 24 (2.67 per agent).
    expect(few.perAgent).toBe(1.5);
    expect(few.dials).toBe(3);
    expect(many.perAgent).toBe(2.67);
    expect(many.dials).toBe(5);
  });

  it('dials ahead by the measured answer rate, at most the per-agent ceiling', () => {
    const half = predictivePacing({ ...base, freeAgents: 4, answerRate: { answered: 100, dialled: 200 } });
    // 100 of 200 answered reads as 104 of 204: 1.96 customers per agent, 7 for 4 agents.
    expect(half).toEqual({ dials: 7, perAgent: 1.96, pace: 'predictive' });
    const none = predictivePacing({ ...base, answerRate: { answered: 0, dialled: 400 } });
    expect(none).toEqual({
      dials: 2 * MAX_DIALS_PER_AGENT,
      perAgent: MAX_DIALS_PER_AGENT,
      pace: 'predictive',
    });
  });

  it('never dials ahead when every dial answers', () => {
    expect(predictivePacing({ ...base, answerRate: { answered: 30, dialled: 30 } }).perAgent).toBe(1);
  });

  it('counts the calls in flight against the target', () => {
    const input = { ...base, answerRate: { answered: 0, dialled: 400 } };
    expect(predictivePacing({ ...input, inFlight: 4 }).dials).toBe(2);
    expect(predictivePacing({ ...input, inFlight: 9 }).dials).toBe(0);
  });

  it('falls back to one call per free agent once the abandon rate reaches the cap, and back when it drops', () => {
    const answerRate = { answered: 10, dialled: 100 };
    expect(predictivePacing({ ...base, answerRate, abandonRate: 3 })).toEqual({
      dials: 2,
      perAgent: 1,
      pace: 'progressive',
    });
    expect(predictivePacing({ ...base, answerRate, abandonRate: 5, inFlight: 1 }).dials).toBe(1);
    expect(predictivePacing({ ...base, answerRate, abandonRate: 2.9 }).pace).toBe('predictive');
    expect(predictivePacing({ ...base, answerRate, abandonRate: null }).pace).toBe('predictive');
  });

  it('a cap of 0 never dials ahead', () => {
    const d = predictivePacing({
      ...base,
      capPercent: 0,
      abandonRate: null,
      answerRate: { answered: 1, dialled: 50 },
    });
    expect(d).toEqual({ dials: 2, perAgent: 1, pace: 'progressive' });
  });

  it('no free agent: no dial', () => {
    expect(predictivePacing({ ...base, freeAgents: 0, answerRate: { answered: 0, dialled: 50 } }).dials).toBe(
      0,
    );
  });
});
