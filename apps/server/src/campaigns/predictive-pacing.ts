/**
 * Predictive pacing: how many customers to dial now for a campaign's free agents. Pure, so the rule
 * is tested on its own; `CampaignDialing` gathers the figures and places the dials.
 *
 * - The answer rate is measured over the campaign's recent dials. With few of them it is read
 *   cautiously, as if some extra dials had all answered, so a new campaign starts near one call per
 *   agent and dials ahead only as the measure firms up.
 * - Customers dialled per free agent = 1 / answer rate, at most `MAX_DIALS_PER_AGENT`.
 * - When today's abandon rate has reached the cap, pacing is progressive (one call per free agent)
 *   until the rate drops under it again.
 * - Calls already in flight (dialled, or answered and waiting for an agent) count against the target.
 */
export interface PacingInput {
  /** Joined agents free for a call now. */
  freeAgents: number;
  /** The campaign's customers being dialled or answered and not yet given an agent. */
  inFlight: number;
  /** The recent dials (the sliding window) and how many of them answered. */
  answerRate: { answered: number; dialled: number };
  /** Today's abandoned customers per answered customer, in percent; null before any answered. */
  abandonRate: number | null;
  /** The campaign's abandon-rate cap, in percent. */
  capPercent: number;
}

export interface PacingDecision {
  /** New dials to place now. */
  dials: number;
  /** Customers aimed at per free agent (1 when progressive). */
  perAgent: number;
  /** `progressive`: the abandon cap is reached. */
  pace: 'predictive' | 'progressive';
}

/** Dials the measured answer rate is read over (the campaign's most recent). */
export const ANSWER_WINDOW = 40;
/** Extra dials, all answered, that the measure is read with: the cautious start. */
export const CAUTIOUS_PRIOR = 4;
/** Never more customers than this per free agent, however low the answer rate. */
export const MAX_DIALS_PER_AGENT = 3;

export function predictivePacing(input: PacingInput): PacingDecision {
  const free = Math.max(0, Math.floor(input.freeAgents));
  const inFlight = Math.max(0, Math.floor(input.inFlight));
  const capped = (input.abandonRate ?? 0) >= input.capPercent;
  if (capped) return { dials: Math.max(0, free - inFlight), perAgent: 1, pace: 'progressive' };
  const { answered, dialled } = input.answerRate;
  const rate = (Math.max(0, answered) + CAUTIOUS_PRIOR) / (Math.max(0, dialled) + CAUTIOUS_PRIOR);
  const perAgent = Math.min(MAX_DIALS_PER_AGENT, Math.max(1, 1 / Math.min(1, rate)));
  // Rounded down: an extra customer dialled is a customer who may be abandoned.
  const target = Math.floor(free * perAgent + 1e-9);
  return {
    dials: Math.max(0, target - inFlight),
    perAgent: Math.round(perAgent * 100) / 100,
    pace: 'predictive',
  };
}
