import type { Campaign, CampaignMode, CampaignUpdateRequest } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateCampaign } from '../api/create-campaign';
import { useUpdateCampaign } from '../api/update-campaign';
import { CampaignFields, type CampaignFormValues } from './campaign-fields';

function valuesOf(c: Campaign | null): CampaignFormValues {
  return {
    name: c?.name ?? '',
    mode: c?.mode ?? 'preview',
    queueId: c?.queue ? String(c.queue.id) : '',
    agentIds: c ? c.agents.filter((a) => a.listed).map((a) => a.id) : [],
    callerId: c?.callerId ?? '',
    maxAttempts: String(c?.maxAttempts ?? 3),
    hoursFrom: c?.callingHours?.from ?? '',
    hoursTo: c?.callingHours?.to ?? '',
    abandonCap: String(c?.abandonCapPercent ?? 3),
    abandonPrompt: c?.abandonPrompt ?? '',
  };
}

function localErrors(v: CampaignFormValues): Record<string, string> {
  const local: Record<string, string> = {};
  if (!v.name.trim()) local.name = 'Enter a name';
  if (!v.queueId && v.agentIds.length === 0) local.agentIds = 'Choose a queue or at least one agent';
  if (Boolean(v.hoursFrom) !== Boolean(v.hoursTo))
    local.callingHours = 'Give both times, or neither for the policy’s';
  return local;
}

/** The form's values as the API's fields (all of them: an edit sends the whole form). */
function requestOf(v: CampaignFormValues) {
  return {
    name: v.name,
    mode: v.mode as CampaignMode,
    queueId: v.queueId ? Number(v.queueId) : null,
    agentIds: v.agentIds,
    callerId: v.callerId.trim() || null,
    maxAttempts: Number(v.maxAttempts),
    callingHours: v.hoursFrom && v.hoursTo ? { from: v.hoursFrom, to: v.hoursTo } : null,
    abandonCapPercent: Number(v.abandonCap),
    abandonPrompt: v.abandonPrompt.trim() || null,
  } satisfies CampaignUpdateRequest;
}

/**
 * A supervisor creates a campaign (`campaign` null) or edits one: name, mode, who works it (a queue
 * and/or agents), caller ID, dials, calling hours and, for predictive ones, the abandon cap and message.
 */
export function CampaignFormDialog({
  open,
  campaign = null,
  onClose,
  onSaved,
}: {
  open: boolean;
  campaign?: Campaign | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const create = useCreateCampaign();
  const update = useUpdateCampaign();
  const mutation = campaign ? update : create;
  const [values, setValues] = useState<CampaignFormValues>(() => valuesOf(campaign));
  const [errors, setErrors] = useState<Record<string, string>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form each time it opens
  useEffect(() => {
    if (!open) return;
    setValues(valuesOf(campaign));
    setErrors({});
    create.reset();
    update.reset();
  }, [open, campaign?.id]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local = localErrors(values);
    setErrors(local);
    if (Object.keys(local).length) return;
    const body = requestOf(values);
    const onError = (err: unknown) => setErrors(fieldErrorsOf(err));
    if (campaign) {
      update.mutate(
        { id: campaign.id, body },
        { onSuccess: (res) => finish(`Campaign “${res.campaign.name}” saved.`), onError },
      );
    } else {
      create.mutate(body, {
        onSuccess: (res) => finish(`Campaign “${res.campaign.name}” created. Add dial tasks, then start it.`),
        onError,
      });
    }
  };
  const finish = (message: string) => {
    onSaved(message);
    onClose();
  };

  return (
    <Dialog
      open={open}
      title={campaign ? `Edit campaign “${campaign.name}”` : 'New campaign'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="campaign-form" disabled={mutation.isPending}>
            {campaign ? 'Save' : 'Create'}
          </Button>
        </>
      }
    >
      <form id="campaign-form" onSubmit={submit} noValidate className="space-y-4">
        {mutation.isError && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(mutation.error)}</Alert>
        ) : null}
        <CampaignFields
          open={open}
          values={values}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
          errors={errors}
          modeLocked={campaign?.state === 'running'}
        />
      </form>
    </Dialog>
  );
}
