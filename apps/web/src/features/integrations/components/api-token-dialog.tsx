import {
  type ApiTokenCreated,
  type ApiTokenScope,
  apiTokenScopeLabels,
  apiTokenScopes,
  type CurrentUser,
} from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateApiToken } from '../api/create-api-token';
import { useTokenUsers } from '../api/get-token-users';

/** A new token: name, the user it acts as, scopes, expiry, rate. Its secret is shown once, here. */
export function ApiTokenDialog({
  open,
  viewer,
  onClose,
}: {
  open: boolean;
  viewer: CurrentUser;
  onClose: () => void;
}) {
  const create = useCreateApiToken();
  const users = useTokenUsers();
  const [name, setName] = useState('');
  const [actsAs, setActsAs] = useState(String(viewer.id));
  const [scopes, setScopes] = useState<ApiTokenScope[]>([]);
  const [expiry, setExpiry] = useState('90');
  const [rate, setRate] = useState('600');
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset each time it opens
  useEffect(() => {
    if (!open) return;
    setName('');
    setActsAs(String(viewer.id));
    setScopes([]);
    setExpiry('90');
    setRate('600');
    setCreated(null);
    create.reset();
  }, [open]);
  const errors = fieldErrorsOf(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        name,
        scopes,
        actsAsUserId: Number(actsAs),
        expiresInDays: expiry === 'never' ? null : Number(expiry),
        requestsPerMinute: Number(rate),
      },
      { onSuccess: setCreated },
    );
  };

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={onClose}
        title="Token created"
        description="Copy the token now: it is shown only once. Switchboard keeps only its hash."
        footer={<Button onClick={onClose}>Done</Button>}
      >
        <label htmlFor="new-token-secret" className="block text-sm font-medium text-slate-700">
          API token for {created.token.name}
        </label>
        <input
          id="new-token-secret"
          readOnly
          value={created.secret}
          onFocus={(e) => e.target.select()}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
        />
        <p className="mt-2 text-sm text-slate-600">
          Send it as <code>Authorization: Bearer …</code> with each request.
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="New API token"
      description="For another server (a CRM, a helpdesk) calling Switchboard's API. The token has the permissions of the user it acts as, on the scopes you tick."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="api-token-form" disabled={create.isPending}>
            Create token
          </Button>
        </>
      }
    >
      <form id="api-token-form" onSubmit={submit} noValidate className="space-y-4">
        {create.error && !Object.keys(errors).length ? (
          <Alert tone="error">{errorMessage(create.error)}</Alert>
        ) : null}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <SelectField label="Acts as" value={actsAs} onChange={(e) => setActsAs(e.target.value)}>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName} ({u.role})
            </option>
          ))}
        </SelectField>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Scopes</legend>
          {errors.scopes ? <p className="mt-1 text-sm text-red-700">{errors.scopes}</p> : null}
          <div className="mt-2 grid grid-cols-2 gap-2">
            {apiTokenScopes.map((s) => (
              <label key={s} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) =>
                    setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))
                  }
                />
                {apiTokenScopeLabels[s]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid grid-cols-2 gap-4">
          <SelectField label="Expires" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
            <option value="never">Never</option>
          </SelectField>
          <TextField
            label="Requests per minute"
            type="number"
            min={1}
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            error={errors.requestsPerMinute}
          />
        </div>
      </form>
    </Dialog>
  );
}
