import type { SendDtmfRequest } from '@switchboard/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { callPath } from './keys';

/** `POST /api/calls/:id/dtmf`: tones to the other party (an IVR's menu, a PIN). */
export function useSendDtmf() {
  return useMutation({
    mutationFn: ({ callId, digits }: { callId: string } & SendDtmfRequest) =>
      api.post<unknown>(callPath(callId, 'dtmf'), { digits } satisfies SendDtmfRequest),
  });
}
