import type { CampaignCustomerSourceRequest, CampaignCustomerSourceResponse } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { campaignKeys } from './keys';

/** A dial task for each customer a CRM search finds, added to the campaign. */
export function useAddCampaignCustomers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: CampaignCustomerSourceRequest & { id: number }) =>
      api.post<CampaignCustomerSourceResponse>(`/api/campaigns/${id}/tasks/from-customers`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}
