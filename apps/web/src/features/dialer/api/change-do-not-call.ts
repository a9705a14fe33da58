import type { DoNotCallCreateRequest, DoNotCallEntry } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dialerKeys } from './keys';

function useListChange<A, R>(change: (arg: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => qc.invalidateQueries({ queryKey: dialerKeys.doNotCall }),
  });
}

export const useAddDoNotCall = () =>
  useListChange((body: DoNotCallCreateRequest) =>
    api.post<{ entry: DoNotCallEntry }>('/api/do-not-call', body),
  );

export const useRemoveDoNotCall = () =>
  useListChange((id: number) => api.delete<void>(`/api/do-not-call/${id}`));

/** The CSV file's text; all or nothing (the error names the bad lines). */
export const useImportDoNotCall = () =>
  useListChange((csv: string) =>
    api.postText<{ added: number; alreadyListed: number }>('/api/do-not-call/import', csv, 'text/csv'),
  );
