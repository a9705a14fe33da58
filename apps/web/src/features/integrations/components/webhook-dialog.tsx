import {
  type Webhook,
  type WebhookEventType,
  webhookEventLabels,
  webhookEventTypes,
} from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useSaveWebhook } from '../api/save-webhook';

/** A new webhook, or changes to one: where to post, which events, whether numbers are masked. */
export function WebhookDialog({
  open,
  webhook,
  onClose,
}: {
  open: boolean;
  webhook?: Webhook;
  onClose: () => void;
}) {
  const save = useSaveWebhook();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [maskNumbers, setMaskNumbers] = useState(true);
  const [enabled, setEnabled] = useState(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset each time it opens
  useEffect(() => {
    if (!open) return;
    setUrl(webhook?.url ?? '');
    setDescription(webhook?.description ?? '');
    setEvents(webhook?.events ?? []);
    setMaskNumbers(webhook?.maskNumbers ?? true);
    setEnabled(webhook?.enabled ?? true);
    save.reset();
  }, [open]);
  const errors = fieldErrorsOf(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ id: webhook?.id, url, description, events, maskNumbers, enabled }, { onSuccess: onClose });
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={webhook ? 'Edit webhook' : 'New webhook'}
      description="Switchboard posts each chosen event as JSON to this URL, signed with the webhook's secret, and retries for a day until it answers 2xx."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="webhook-form" disabled={save.isPending}>
            {webhook ? 'Save webhook' : 'Create webhook'}
          </Button>
        </>
      }
    >
      <form id="webhook-form" onSubmit={submit} noValidate className="space-y-4">
        {save.error && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(save.error)}</Alert>
        ) : null}
        <TextField
          label="URL"
          type="url"
          placeholder="https://crm.example.com/switchboard"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
        />
        <TextField
          label="Description (optional)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          {errors.events ? <p className="mt-1 text-sm text-red-700">{errors.events}</p> : null}
          <div className="mt-2 grid grid-cols-2 gap-2">
            {webhookEventTypes.map((t) => (
              <label key={t} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  checked={events.includes(t)}
                  onChange={(e) =>
                    setEvents(e.target.checked ? [...events, t] : events.filter((x) => x !== t))
                  }
                />
                {webhookEventLabels[t]}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={maskNumbers} onChange={(e) => setMaskNumbers(e.target.checked)} />
          Mask phone numbers as the number masking setting says
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
      </form>
    </Dialog>
  );
}
