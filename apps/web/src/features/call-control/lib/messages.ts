import { ApiRequestError } from '../../../lib/api-client';

/** The API's 409 codes (and 404) in the agent's words. */
const conflictMessages: Record<string, string> = {
  not_connected: 'The call is not connected yet.',
  no_consult: 'There is no consult in progress any more.',
  consult_not_answered: 'The supervisor has not answered yet.',
  consult_in_progress:
    'A consult is already in progress: transfer, conference or go back to the customer first.',
  target_unavailable: 'That person is not available any more. Pick someone else.',
  in_conference: 'The call is a conference now: hold and going back are not possible. Use Transfer to leave.',
  not_in_call: 'Only the agent who has the call can do this.',
  transfer_in_progress: 'The call is being transferred.',
  no_trunk: 'No carrier line is available for outside numbers right now.',
  invalid_number: 'That number cannot be dialed.',
};

/** A failed call-control request as a sentence for the agent. */
export function callControlError(err: unknown): string {
  if (err instanceof ApiRequestError) {
    if (err.status === 404) return 'This call is no longer in progress.';
    if (err.status === 403) return 'You are not allowed to do that on this call.';
    const known = conflictMessages[err.code];
    if (known) return known;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

const unavailable: Record<string, string> = {
  offline: 'Offline',
  on_call: 'On a call',
  wrapup: 'In wrap-up',
  paused: 'Paused',
  logged_out: 'Logged out',
  self: 'You',
};

/** Why a person cannot take the call now, for the list and its tooltip. */
export function unavailableReasonText(reason: string | null): string {
  if (!reason) return 'Not available';
  return unavailable[reason] ?? humanize(reason);
}

const failures: Record<string, string> = {
  no_answer: 'did not answer',
  timeout: 'did not answer',
  busy: 'is busy',
  rejected: 'declined the call',
  declined: 'declined the call',
  hung_up: 'hung up',
  hangup: 'hung up',
  unavailable: 'is not available',
  offline: 'is offline',
  failed: 'could not be reached',
};

/** A consult that ended without a transfer: what happened, and that the customer is back. */
export function consultFailedMessage(target: string, reason: string | null): string {
  const what = reason
    ? (failures[reason] ?? `could not be reached (${humanize(reason)})`)
    : 'could not be reached';
  return `${target} ${what}. You are back with the customer.`;
}

function humanize(code: string): string {
  return code.replace(/_/g, ' ');
}
