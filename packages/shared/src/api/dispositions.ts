import { z } from 'zod';

/** A disposition code: the outcome an agent picks at wrap-up, for every queue or for one. */
export const dispositionCodeSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Null: offered after calls from every queue. */
  queueId: z.number().int().nullable(),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type DispositionCode = z.infer<typeof dispositionCodeSchema>;

/** `POST /api/admin/disposition-codes`. */
export const dispositionCodeInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the code').max(60),
    queueId: z.number().int().positive().nullable().default(null),
    active: z.boolean().default(true),
    sortOrder: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type DispositionCodeInput = z.input<typeof dispositionCodeInputSchema>;

/** `PATCH /api/admin/disposition-codes/:id`. */
export const dispositionCodeUpdateSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the code').max(60).optional(),
    active: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type DispositionCodeUpdate = z.infer<typeof dispositionCodeUpdateSchema>;

/** `GET /api/admin/dispositions`: every code, and per queue whether a code is required. */
export const dispositionSettingsSchema = z.object({
  codes: z.array(dispositionCodeSchema),
  queues: z.array(z.object({ queueId: z.number().int(), queueName: z.string(), required: z.boolean() })),
});
export type DispositionSettings = z.infer<typeof dispositionSettingsSchema>;

/** `PUT /api/admin/queues/:id/disposition-required`. */
export const dispositionRequiredSchema = z.object({ required: z.boolean() }).strict();

/**
 * `GET /api/agents/me/wrapup`: the agent's wrap-up after a queue call, or `{ wrapUp: null }`.
 * `until` is when the timer ends; with `required` and no `code` the wrap-up lasts past it.
 */
export const wrapUpSchema = z.object({
  callId: z.string(),
  queueId: z.number().int(),
  queueName: z.string(),
  until: z.number().int(),
  required: z.boolean(),
  code: z.string().nullable(),
  note: z.string().nullable(),
  codes: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type WrapUp = z.infer<typeof wrapUpSchema>;
export const myWrapUpSchema = z.object({ wrapUp: wrapUpSchema.nullable() });
export type MyWrapUp = z.infer<typeof myWrapUpSchema>;

/** `PUT /api/agents/me/wrapup`: the code (by id) and note for the call being wrapped up. */
export const wrapUpDispositionSchema = z
  .object({
    codeId: z.number().int().positive().nullable(),
    note: z.string().trim().max(1000).nullable().default(null),
  })
  .strict();
export type WrapUpDisposition = z.input<typeof wrapUpDispositionSchema>;

/** `POST /api/agents/me/wrapup/extend`: more wrap-up time. */
export const wrapUpExtendSchema = z.object({ seconds: z.number().int().min(1).max(600) }).strict();
