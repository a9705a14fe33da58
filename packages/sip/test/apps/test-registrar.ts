import { DigestServer, type Flow, type NameAddr, type SipStack } from '../../src/index';

export interface Binding {
  contact: NameAddr;
  flow: Flow;
  expires: number;
}

/** A registrar on the stack (RFC 3261 §10.3) with digest authentication, for tests. */
export function runTestRegistrar(_stack: SipStack, users: Record<string, string>, realm = '127.0.0.1') {
  const digest = new DigestServer({ realm });
  const bindings = new Map<string, Binding>();
  const lookup = (user: string) => (users[user] !== undefined ? { password: users[user]! } : undefined);
  const handleRegister = async (inc: Parameters<NonNullable<SipStack['onRequest']>>[0]) => {
    const req = inc.request;
    const result = await digest.verify(req, lookup);
    if (!result.ok) return inc.send(digest.rejection(req, result));
    const aor = req.to?.uri.type === 'sip' ? (req.to.uri.user ?? '') : '';
    if (aor !== result.username) return void inc.reply(403);
    const contact = req.contact;
    const expires = Number(contact?.params.get('expires') ?? req.get('expires') ?? 3600);
    if (contact && expires > 0) bindings.set(aor, { contact, flow: inc.flow, expires });
    else bindings.delete(aor);
    const headers: Array<[string, string]> = [];
    if (contact && expires > 0) headers.push(['Contact', `<${contact.uri.toString()}>;expires=${expires}`]);
    inc.reply(200, { headers });
  };
  return { digest, bindings, handleRegister };
}
