import type { UpdateUserInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { meQueryKey } from '../../auth/api/get-me';
import { queuesKey } from './get-queues';
import { usersKey } from './get-users';

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserInput & { id: number }) =>
      api.patch(`/api/admin/users/${id}`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: usersKey });
      // Queue membership is shown on the queues page too; an admin may have changed their own zone.
      void qc.invalidateQueries({ queryKey: meQueryKey });
      void qc.invalidateQueries({ queryKey: queuesKey });
    },
  });
}
