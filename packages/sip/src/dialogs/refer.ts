import { trimWs } from '../messages/grammar';
import type { Dialog } from './dialog';

/** The Replaces header (RFC 3891 §6.1). */
export interface Replaces {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

export function parseReplaces(value: string): Replaces | undefined {
  const parts = value.split(';');
  const callId = trimWs(parts[0] ?? '');
  if (!callId) return undefined;
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const p of parts.slice(1)) {
    const [k, v] = p.split('=').map((s) => trimWs(s));
    const key = (k ?? '').toLowerCase();
    if (key === 'to-tag') toTag = v;
    else if (key === 'from-tag') fromTag = v;
    else if (key === 'early-only') earlyOnly = true;
  }
  if (toTag === undefined || fromTag === undefined) return undefined;
  return { callId, toTag, fromTag, earlyOnly };
}

/**
 * The Replaces value that identifies `dialog` to the party receiving it: RFC 3891 §3 matches
 * to-tag against the recipient's local tag, so from our point of view to-tag is the remote tag.
 */
export function replacesFor(dialog: Dialog): string {
  return `${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`;
}

/** message/sipfrag body for a REFER progress NOTIFY (RFC 3515 §2.4.5). */
export function sipfrag(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}
