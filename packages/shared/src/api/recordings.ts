import { z } from 'zod';
import { callTypeSchema, numberFragmentSchema, queryTimeSchema } from './cdr';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const recordingSearchQuerySchema = z
  .object({
    customer: z.preprocess(emptyToUndefined, z.string().trim().max(100, 'At most 100 characters').optional()),
    number: numberFragmentSchema,
    from: queryTimeSchema,
    to: queryTimeSchema,
    type: z.preprocess(emptyToUndefined, callTypeSchema.optional()),
    page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
    pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    path: ['to'],
    message: '"To" must be after "From"',
  });
export type RecordingSearchQuery = z.infer<typeof recordingSearchQuerySchema>;
export type RecordingSearchParams = Partial<Record<keyof RecordingSearchQuery, string | number>>;

export const recordingSchema = z.object({
  id: z.number().int(),
  callId: z.number().int(),
  startedAt: z.number(),
  durationMs: z.number(),
  sizeBytes: z.number(),
  status: z.enum(['recording', 'complete', 'repaired', 'truncated']),
  type: callTypeSchema,
  customerNumber: z.string().nullable(),
  customerName: z.string().nullable(),
  agentUserId: z.number().nullable(),
  agentName: z.string().nullable(),
  queueName: z.string().nullable(),
});
export type Recording = z.infer<typeof recordingSchema>;

export const recordingListResponseSchema = z.object({
  recordings: z.array(recordingSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  numbersMasked: z.boolean(),
});
export type RecordingListResponse = z.infer<typeof recordingListResponseSchema>;
