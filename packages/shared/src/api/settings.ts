import { z } from 'zod';

export const numberMaskingSchema = z
  .object({
    mode: z.enum(['off', 'all', 'partial']),
    keepFirst: z.number().int().min(0).max(8),
    keepLast: z.number().int().min(0).max(8),
    exemptSupervisors: z.boolean(),
  })
  .strict();
export type NumberMasking = z.infer<typeof numberMaskingSchema>;

export const defaultNumberMasking: NumberMasking = {
  mode: 'off',
  keepFirst: 2,
  keepLast: 2,
  exemptSupervisors: true,
};

export const settingsSchema = z.object({ numberMasking: numberMaskingSchema }).strict();
export type Settings = z.infer<typeof settingsSchema>;
export const settingsUpdateSchema = settingsSchema.partial().strict();
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
