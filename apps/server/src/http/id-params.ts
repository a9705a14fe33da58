import { z } from 'zod';

/** The `:id` of a record route (customers, callback plans, dial tasks): a positive whole number. */
export const idParams = z.object({
  id: z.coerce.number().int('id must be a whole number').positive('id must be positive'),
});
