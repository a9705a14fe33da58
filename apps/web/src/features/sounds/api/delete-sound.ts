import { useMutation, useQueryClient } from '@tanstack/react-query';
import { soundLibraryKeys } from '../../../components/sound-picker';
import { api } from '../../../lib/api-client';

export function useDeleteSound() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/admin/sounds/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: soundLibraryKeys.sounds }),
  });
}
