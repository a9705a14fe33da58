import type { Sound } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { soundLibraryKeys } from '../../../components/sound-picker';
import { api } from '../../../lib/api-client';

/** Renames a sound or moves it to another folder. */
export function useUpdateSound() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: number; name: string; folder: string }) =>
      api.put<Sound>(`/api/admin/sounds/${id}`, change),
    onSuccess: () => qc.invalidateQueries({ queryKey: soundLibraryKeys.sounds }),
  });
}
