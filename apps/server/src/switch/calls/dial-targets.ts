import { NameAddr, type SipStack, SipUri } from '@switchboard/sip';
import type { RegisteredContact, TrunkRoute } from '../contracts';
import type { DialTarget } from './invite-fork';

/** On every INVITE the switch sends to an agent: the desk matches its SIP session to the call's events. */
export function callIdHeader(uuid: string): [string, string] {
  return ['X-Switchboard-Call-Id', uuid];
}

export function contactTarget(c: RegisteredContact): DialTarget {
  return { uri: c.uri, transport: c.transport, flow: c.flow, label: `${c.extension} ${c.uri}` };
}

/** `sip:<user>@host:port` for a trunk route (its URI is the next hop). */
export function trunkRequestUri(trunkUri: string, number: string): string | null {
  const m = /^(sips?):(?:[^@]*@)?(.+)$/.exec(trunkUri);
  if (!m) return null;
  return `${m[1]}:${number}@${m[2]}`;
}

export function trunkTarget(trunk: TrunkRoute, number: string): DialTarget | null {
  const uri = trunkRequestUri(trunk.uri, number);
  if (!uri) return null;
  const count = trunk.countCall;
  return {
    uri,
    transport: trunk.transport,
    credentials: trunk.credentials,
    label: `trunk ${trunk.name}`,
    onFinal: count ? (status) => count('outbound', status) : undefined,
  };
}

/** A From for our side of a leg: `"display" <sip:user@our-host>`. */
export function fromAddress(stack: SipStack, user: string, display?: string | null): NameAddr {
  const safe = user.replace(/[^0-9A-Za-z+*._-]/g, '') || 'anonymous';
  const uri = new SipUri('sip', stack.host, stack.port === 5060 ? undefined : stack.port, safe);
  return new NameAddr(uri, display ? display.replace(/["\\\r\n]/g, '') : undefined);
}

/**
 * Caller ID toward the carrier: From and P-Asserted-Identity (RFC 3325 §9.1) carry `number`;
 * carriers screen the PAI against the numbers they gave us.
 */
export function carrierCallerId(stack: SipStack, number: string, display?: string | null) {
  const from = fromAddress(stack, number, display);
  const pai = `<sip:${number.replace(/[^0-9A-Za-z+]/g, '') || 'anonymous'}@${stack.host}>`;
  const headers: Array<[string, string]> = [['P-Asserted-Identity', pai]];
  return { from, headers };
}
