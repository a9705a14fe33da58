import { z } from 'zod';
import { isValidTimeZone } from '../time';

export const roles = ['agent', 'supervisor', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** agent < supervisor < admin: a higher role may do everything a lower one may. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(required);
}

export const loginRequestSchema = z.object({
  username: z.string().trim().min(1, 'Enter your agent name or agent ID').max(100),
  password: z.string().min(1, 'Enter your password').max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const extensionTypeSchema = z.enum(['web', 'sip']);
export type ExtensionType = z.infer<typeof extensionTypeSchema>;

export const currentUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  agentId: z.string().nullable(),
  displayName: z.string(),
  role: roleSchema,
  /** The IANA zone the user chose; null until they (or an administrator) choose one. */
  timeZone: z.string().nullable(),
  extension: z
    .object({
      number: z.string(),
      type: extensionTypeSchema,
      recordingEnabled: z.boolean(),
    })
    .nullable(),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

/** A user's time zone: an IANA name the runtime knows (`Europe/Paris`), or null for "not chosen". */
export const userTimeZoneSchema = z
  .string()
  .trim()
  .max(64, 'At most 64 characters')
  .refine(isValidTimeZone, 'Unknown time zone; use an IANA name such as Europe/Paris')
  .nullable();

/** `PATCH /api/auth/me`: what users change of their own profile. */
export const updateMyProfileSchema = z.object({ timeZone: userTimeZoneSchema }).strict();
export type UpdateMyProfileInput = z.infer<typeof updateMyProfileSchema>;

export const meResponseSchema = z.object({ user: currentUserSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const portalLoginRequestSchema = z.object({
  phoneNumber: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{3,32}$/, 'Enter your soft-phone number'),
  password: z.string().min(1, 'Enter your password').max(200),
});
export type PortalLoginRequest = z.infer<typeof portalLoginRequestSchema>;

export const subscriberSchema = z.object({
  id: z.number().int(),
  phoneNumber: z.string(),
  balance: z.string(),
  currency: z.string(),
  callbackNumber: z.object({ countryCode: z.string(), areaCode: z.string(), number: z.string() }).nullable(),
});
export type Subscriber = z.infer<typeof subscriberSchema>;
export const portalMeResponseSchema = z.object({ subscriber: subscriberSchema });
export type PortalMeResponse = z.infer<typeof portalMeResponseSchema>;
