import type { Disposition } from '../../db/schema';

export interface FailureMapping {
  disposition: Disposition;
  cause: string;
  /** The response for the caller's INVITE (the B2BUA relays the outcome, not the exact code). */
  status: number;
  reason: string;
}

/**
 * The callee side's final failure → the CDR and the caller's response. Busy and decline are
 * relayed as such (RFC 3261 §21.4.24, §21.6.2); timeouts and unavailability become 480 "no answer";
 * everything else is a failed call, which the caller hears as 503 when it was our side's fault.
 */
export function mapFailure(status: number, cause: 'no_answer' | 'cancelled' | 'response'): FailureMapping {
  if (cause === 'no_answer')
    return { disposition: 'unanswered', cause: 'no_answer', status: 480, reason: 'No Answer' };
  if (cause === 'cancelled')
    return { disposition: 'unanswered', cause: 'cancelled', status: 487, reason: 'Request Terminated' };
  if (status === 486 || status === 600)
    return { disposition: 'busy', cause: 'busy', status: 486, reason: 'Busy Here' };
  if (status === 603) return { disposition: 'busy', cause: 'rejected', status: 603, reason: 'Decline' };
  if (status === 408 || status === 480 || status === 487)
    return { disposition: 'unanswered', cause: 'no_answer', status: 480, reason: 'Temporarily Unavailable' };
  if (status === 404 || status === 484 || status === 604)
    return { disposition: 'failed', cause: 'not_found', status: 404, reason: 'Not Found' };
  if (status === 401 || status === 407 || status === 403)
    return { disposition: 'failed', cause: 'trunk_auth_failed', status: 503, reason: 'Service Unavailable' };
  if (status === 488 || status === 606)
    return { disposition: 'failed', cause: 'incompatible_media', status: 488, reason: 'Not Acceptable Here' };
  return {
    disposition: 'failed',
    cause: `sip_${status}`,
    status: status >= 500 ? 503 : 480,
    reason: 'Call Failed',
  };
}
