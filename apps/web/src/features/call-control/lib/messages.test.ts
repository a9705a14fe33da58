import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../lib/api-client';
import { callControlError, consultFailedMessage, unavailableReasonText } from './messages';

describe('callControlError', () => {
  it("turns the API's 409 codes into sentences", () => {
    expect(callControlError(new ApiRequestError(409, 'consult_not_answered', 'x'))).toBe(
      'The supervisor has not answered yet.',
    );
    expect(callControlError(new ApiRequestError(409, 'target_unavailable', 'x'))).toMatch(
      /Pick someone else/,
    );
  });

  it("keeps the server's message for an unknown code and explains 404", () => {
    expect(callControlError(new ApiRequestError(409, 'weird_state', 'Something odd'))).toBe('Something odd');
    expect(callControlError(new ApiRequestError(404, 'not_found', 'Not found'))).toBe(
      'This call is no longer in progress.',
    );
    expect(callControlError(new Error('boom'))).toBe('boom');
  });
});

describe('unavailableReasonText', () => {
  it('names each reason, and shows unknown ones readably', () => {
    expect(unavailableReasonText('on_call')).toBe('On a call');
    expect(unavailableReasonText('self')).toBe('You');
    expect(unavailableReasonText('in_training')).toBe('in training');
    expect(unavailableReasonText(null)).toBe('Not available');
  });
});

describe('consultFailedMessage', () => {
  it('says what happened and that the customer is back', () => {
    expect(consultFailedMessage('Sam', 'no_answer')).toBe(
      'Sam did not answer. You are back with the customer.',
    );
    expect(consultFailedMessage('Sam', 'rejected')).toBe(
      'Sam declined the call. You are back with the customer.',
    );
    expect(consultFailedMessage('Sam', 'sip_503')).toBe(
      'Sam could not be reached (sip 503). You are back with the customer.',
    );
  });
});
