import { SipRequest, type SipResponse } from '../messages/message';

/**
 * The ACK for a non-2xx final response, built by the INVITE client transaction (§17.1.1.3): same
 * Request-URI, Call-ID, From, CSeq number and top Via as the INVITE, To from the response, and the
 * INVITE's Route headers. It is part of the INVITE transaction, so it keeps the INVITE's branch.
 */
export function createNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const ack = new SipRequest('ACK', invite.uri, invite.version);
  const top = invite.rawFields().get('via')?.[0];
  if (top !== undefined) ack.set('via', top);
  const from = invite.get('from');
  if (from !== undefined) ack.set('from', invite.from ?? from);
  const to = response.to ?? response.get('to');
  if (to !== undefined) ack.set('to', to);
  ack.set('call-id', invite.callId);
  ack.set('cseq', invite.cseq.seq + ' ACK');
  const routes = invite.rawFields().get('route');
  if (routes) ack.set('route', routes);
  ack.set('max-forwards', '70');
  return ack;
}
