import type { QueueUpdate } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { queuesKey } from './get-queues';

/** A setting may be null: an empty box, which the server refuses naming the field. */
export type QueueBody = { [K in keyof QueueUpdate]?: QueueUpdate[K] | null } & { id?: number };

/** Creates a queue (no `id`) or changes one. */
export function useSaveQueue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: QueueBody) =>
      id
        ? api.patch<{ id: number }>(`/api/admin/queues/${id}`, body)
        : api.post<{ id: number }>('/api/admin/queues', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queuesKey }),
  });
}
