import { z } from 'zod';

/** What a webhook can be told about (docs/integrations.md, "Webhooks"). */
export const webhookEventTypes = [
  'call.started',
  'call.answered',
  'call.ended',
  'agent.state_changed',
  'callback_plan.due',
  'web_callback.updated',
  'dial_task.result',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookEventLabels: Record<WebhookEventType, string> = {
  'call.started': 'A call started',
  'call.answered': 'A call was answered',
  'call.ended': 'A call ended (with its CDR)',
  'agent.state_changed': 'An agent’s state changed',
  'callback_plan.due': 'A callback plan came due',
  'web_callback.updated': 'A web callback’s legs changed',
  'dial_task.result': 'A dial task got a result',
};

const webhookUrl = z
  .url({ error: 'Enter the URL Switchboard posts to (http or https)' })
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'The URL must start with http:// or https://');

export const webhookInputSchema = z
  .object({
    url: webhookUrl,
    description: z.string().trim().max(200).default(''),
    events: z
      .array(z.enum(webhookEventTypes, { error: 'Unknown event type' }), {
        error: 'Choose at least one event',
      })
      .min(1, 'Choose at least one event'),
    enabled: z.boolean().default(true),
    /** Phone numbers in payloads masked as the number masking setting says (as for agents). */
    maskNumbers: z.boolean().default(true),
  })
  .strict();
export type WebhookInput = z.input<typeof webhookInputSchema>;

export const webhookUpdateSchema = webhookInputSchema.partial().strict();
export type WebhookUpdate = z.input<typeof webhookUpdateSchema>;

export interface Webhook {
  id: number;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  maskNumbers: boolean;
  /** The signing secret (`whsec_…`); receivers verify `Switchboard-Signature` with it. */
  secret: string;
  createdAt: number;
  /** Deliveries waiting for a retry now. */
  pending: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: number;
  eventType: WebhookEventType | 'ping';
  eventId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  /** The receiver's answer (the first 2,000 characters) or why it could not be reached. */
  lastResponse: string | null;
  createdAt: number;
  deliveredAt: number | null;
}
