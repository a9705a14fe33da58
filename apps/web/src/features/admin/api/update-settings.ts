import type { Settings, SettingsUpdate } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { settingsKey } from './get-settings';

export function useUpdateSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsUpdate) => api.put<Settings>('/api/admin/settings', body),
    onSuccess: (data) => qc.setQueryData(settingsKey, data),
  });
}
