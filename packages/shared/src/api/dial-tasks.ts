import { z } from 'zod';
import { csvDelimiterSchema } from './csv';

export const dialTaskResults = [
  'pending',
  'reached',
  'no_answer',
  'busy',
  'wrong_number',
  'callback_requested',
  'done',
] as const;
export const dialTaskResultSchema = z.enum(dialTaskResults, {
  error: `result must be one of ${dialTaskResults.join(', ')}`,
});
export type DialTaskResult = z.infer<typeof dialTaskResultSchema>;

export const dialTaskResultLabels: Record<DialTaskResult, string> = {
  pending: 'Pending',
  reached: 'Reached',
  no_answer: 'No answer',
  busy: 'Busy',
  wrong_number: 'Wrong number',
  callback_requested: 'Callback requested',
  done: 'Done',
};

export const dialTaskSchema = z.object({
  id: z.number().int(),
  customer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** For display, possibly masked; calls are placed by the task's id. */
  number: z.string(),
  assignee: z.object({ id: z.number().int(), displayName: z.string() }),
  createdBy: z.object({ id: z.number().int(), displayName: z.string() }),
  startAt: z.number(),
  endAt: z.number(),
  note: z.string().nullable(),
  result: dialTaskResultSchema,
  attempts: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type DialTask = z.infer<typeof dialTaskSchema>;

const when = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(40);
const note = z
  .string()
  .trim()
  .max(2000, 'The note is at most 2000 characters')
  .nullish()
  .transform((v) => (v === undefined ? undefined : v || null));

/**
 * `POST /api/dial-tasks` (supervisors). The number comes from `number`, or from the customer's phone
 * `phoneId`, or the customer's first phone. Times are instants with an offset, or wall times / dates
 * in `timeZone` (default: the supervisor's); a date alone as `endAt` means the end of that day.
 */
export const dialTaskCreateSchema = z
  .object({
    customerId: z.number().int().positive().nullish(),
    phoneId: z.number().int().positive().nullish(),
    number: z.string().trim().max(40).nullish(),
    assignedUserId: z.number({ error: 'Choose the agent' }).int().positive(),
    startAt: when('start date'),
    endAt: when('end date'),
    timeZone: z.string().trim().min(1).max(64).optional(),
    note,
  })
  .strict();
export type DialTaskCreateRequest = z.input<typeof dialTaskCreateSchema>;

/** `PATCH /api/dial-tasks/:id`. Agents may send `result` only; supervisors any field. */
export const dialTaskUpdateSchema = z
  .object({
    result: dialTaskResultSchema.optional(),
    customerId: z.number().int().positive().nullish(),
    phoneId: z.number().int().positive().nullish(),
    number: z.string().trim().max(40).nullish(),
    assignedUserId: z.number().int().positive().optional(),
    startAt: when('start date').optional(),
    endAt: when('end date').optional(),
    timeZone: z.string().trim().min(1).max(64).optional(),
    note,
  })
  .strict();
export type DialTaskUpdateRequest = z.input<typeof dialTaskUpdateSchema>;

export const dialTaskListQuerySchema = z.object({
  result: dialTaskResultSchema.optional(),
  assignee: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type DialTaskListQuery = z.input<typeof dialTaskListQuerySchema>;

export const dialTaskListResponseSchema = z.object({
  tasks: z.array(dialTaskSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});
export type DialTaskListResponse = z.infer<typeof dialTaskListResponseSchema>;
export const dialTaskResponseSchema = z.object({ task: dialTaskSchema });
export type DialTaskResponse = z.infer<typeof dialTaskResponseSchema>;

export const dialTaskHistoryEntrySchema = z.object({
  at: z.number(),
  action: z.string(),
  actor: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});
export type DialTaskHistoryEntry = z.infer<typeof dialTaskHistoryEntrySchema>;
export const dialTaskHistoryResponseSchema = z.object({ history: z.array(dialTaskHistoryEntrySchema) });
export type DialTaskHistoryResponse = z.infer<typeof dialTaskHistoryResponseSchema>;

/** `POST /api/dial-tasks/import`: CSV text with a header row; all rows are created or none. */
export const dialTaskImportSchema = z
  .object({
    csv: z
      .string({ error: 'Paste or choose a CSV file' })
      .min(1, 'The CSV is empty')
      .max(4_000_000, 'The CSV is larger than 4 MB'),
    timeZone: z.string().trim().min(1).max(64).optional(),
    /** The file's one delimiter; detected from its header line when not given. */
    delimiter: csvDelimiterSchema.optional(),
  })
  .strict();
export type DialTaskImportRequest = z.input<typeof dialTaskImportSchema>;

export const dialTaskImportRowErrorSchema = z.object({
  /** 1-based line in the file, counting the header as line 1. */
  line: z.number().int(),
  field: z.string(),
  message: z.string(),
});
export type DialTaskImportRowError = z.infer<typeof dialTaskImportRowErrorSchema>;
export const dialTaskImportResponseSchema = z.object({ created: z.number().int() });
export type DialTaskImportResponse = z.infer<typeof dialTaskImportResponseSchema>;
/** The `details` of a 400 from the import: every bad row, and how many rows were read. */
export const dialTaskImportErrorDetailsSchema = z.object({
  rows: z.number().int(),
  errors: z.array(dialTaskImportRowErrorSchema),
});
export type DialTaskImportErrorDetails = z.infer<typeof dialTaskImportErrorDetailsSchema>;
