import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Hangs up both legs of a web callback in progress. */
export function useHangUpWebCallback() {
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/portal/web-callbacks/${id}`),
  });
}
