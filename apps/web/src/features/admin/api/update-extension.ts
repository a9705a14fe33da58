import type { UpdateExtensionInput } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { usersKey } from './get-users';

export function useUpdateExtension() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, ...body }: UpdateExtensionInput & { userId: number }) =>
      api.patch(`/api/admin/users/${userId}/extension`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey }),
  });
}
