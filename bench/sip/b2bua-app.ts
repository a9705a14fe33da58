// The B2BUA-like test app used by the signalling benchmark: answers every INVITE at once (180,
// then 200 with an SDP answer) and hangs up with BYE one second after the ACK, as an agent desk
// would for a short call. Run alone: `npx tsx bench/sip/b2bua-app.ts [port]`.
import { createAnswer, SipStack } from '../../packages/sip/src/index';

export interface AppStats {
  invites: number;
  byesSent: number;
  byeFailures: number;
}

export async function startB2bua(port = 0, holdMs = 1000): Promise<{ stack: SipStack; stats: AppStats }> {
  const stack = await SipStack.listen({
    host: '127.0.0.1',
    port,
    transports: ['UDP'],
    userAgent: 'switchboard-bench',
  });
  const stats: AppStats = { invites: 0, byesSent: 0, byeFailures: 0 };
  stack.onRequest = (inc) => {
    if (inc.method !== 'INVITE') return void inc.reply(405);
    stats.invites++;
    inc.progress(180);
    const answer = createAnswer(inc.request.bodyText, { address: '127.0.0.1', port: 20000 });
    if (!answer) return void inc.reply(488);
    const dialog = inc.accept({ body: answer.sdp, contentType: 'application/sdp' });
    void dialog.waitForAck().then(() => {
      setTimeout(() => {
        if (dialog.state === 'terminated') return;
        stats.byesSent++;
        dialog.bye().then(
          (r) => {
            if (r.status !== 200) stats.byeFailures++;
          },
          () => stats.byeFailures++,
        );
      }, holdMs);
    });
  };
  return { stack, stats };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { stack } = await startB2bua(Number(process.argv[2] ?? 5060));
  console.log(`B2BUA test app on udp 127.0.0.1:${stack.port}`);
}
