import type { Sound } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { soundLibraryKeys } from '../../../components/sound-picker';
import { api } from '../../../lib/api-client';

/** Uploads an audio file; the server converts it to 8 kHz G.711 or says why it cannot. */
export function useUploadSound() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { file: File; name: string; folder: string }) => {
      const form = new FormData();
      form.set('file', input.file, input.file.name);
      if (input.name.trim()) form.set('name', input.name.trim());
      form.set('folder', input.folder.trim());
      return api.post<Sound>('/api/admin/sounds', form);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: soundLibraryKeys.sounds }),
  });
}
