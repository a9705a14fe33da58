import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { sipBansKey } from './get-sip-bans';

export function useLiftSipBan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (address: string) => api.delete(`/api/admin/sip-bans/${encodeURIComponent(address)}`),
    onSettled: () => qc.invalidateQueries({ queryKey: sipBansKey }),
  });
}
