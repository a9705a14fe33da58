import { createAnswer, type SipStack } from '../../src/index';

/** A minimal UAS on the stack: rings, answers with an SDP answer, accepts BYE. */
export function runTestUas(
  stack: SipStack,
  options: { answerDelayMs?: number } = {},
): { calls: number; byes: number } {
  const stats = { calls: 0, byes: 0 };
  stack.onRequest = (inc) => {
    if (inc.method === 'OPTIONS') return void inc.reply(200);
    if (inc.method !== 'INVITE') return void inc.reply(405);
    stats.calls++;
    const dialog = inc.progress(180);
    dialog.onRequest = (r) => {
      if (r.method === 'BYE') stats.byes++;
      r.reply(200);
    };
    const answer = () => {
      if (inc.answered) return;
      const offer = inc.request.bodyText;
      const a = offer ? createAnswer(offer, { address: '127.0.0.1', port: 20000 }) : undefined;
      if (offer && !a) return void inc.reply(488);
      inc.accept(a ? { body: a.sdp, contentType: 'application/sdp' } : {});
    };
    if (options.answerDelayMs) setTimeout(answer, options.answerDelayMs);
    else answer();
  };
  return stats;
}
