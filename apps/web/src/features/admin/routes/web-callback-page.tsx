import type { WebCallbackSettings } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useTrunks } from '../api/get-trunks';
import { useSaveWebCallbackSettings, useWebCallbackSettings } from '../api/web-callback-settings';

/** The web-callback service: trunk, caller IDs, ring timeouts, countries, limits, recording. */
export function WebCallbackPage() {
  const settings = useWebCallbackSettings();
  const trunks = useTrunks();
  const save = useSaveWebCallbackSettings();
  const [s, setS] = useState<WebCallbackSettings | null>(null);
  const [countries, setCountries] = useState('');
  useEffect(() => {
    if (settings.data && !s) {
      setS(settings.data);
      setCountries(settings.data.allowedCountries.join(', '));
    }
  }, [settings.data, s]);
  const errors = fieldErrorsOf(save.error);
  if (settings.isError) return <Alert tone="error">{errorMessage(settings.error)}</Alert>;
  if (!s) return <p className="text-sm text-slate-500">Loading…</p>;
  const num = (k: keyof WebCallbackSettings) => (e: { target: { value: string } }) =>
    setS({ ...s, [k]: e.target.value === '' ? 0 : Number(e.target.value) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const allowedCountries = countries
      .split(/[\s,;]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    save.mutate({ ...s, allowedCountries });
  };
  const check = (k: 'enabled' | 'allowConnectTwo' | 'record', label: string) => (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <input type="checkbox" checked={s[k]} onChange={(e) => setS({ ...s, [k]: e.target.checked })} />
      {label}
    </label>
  );
  return (
    <div className="max-w-2xl">
      <PageHeader title="Web callback" />
      <form onSubmit={submit} className="space-y-4" aria-label="Web callback settings" noValidate>
        <Card title="Service">
          <div className="space-y-4">
            {check('enabled', 'Subscribers may start web callbacks from the portal')}
            <SelectField
              label="Trunk for both legs"
              value={s.trunkId ?? ''}
              onChange={(e) => setS({ ...s, trunkId: e.target.value === '' ? null : Number(e.target.value) })}
              error={errors.trunkId}
            >
              <option value="">The first trunk that is up</option>
              {(trunks.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
            <div className="grid grid-cols-2 gap-4">
              <TextField
                label="Ring leg A for (s)"
                type="number"
                min={5}
                max={180}
                value={s.legARingTimeoutS}
                onChange={num('legARingTimeoutS')}
                error={errors.legARingTimeoutS}
              />
              <TextField
                label="Ring leg B for (s)"
                type="number"
                min={5}
                max={180}
                value={s.legBRingTimeoutS}
                onChange={num('legBRingTimeoutS')}
                error={errors.legBRingTimeoutS}
              />
            </div>
            {check('record', 'Record web callbacks')}
          </div>
        </Card>
        <CallerIdCard s={s} setS={setS} errors={errors} />
        <Card title="Toll-fraud limits">
          <div className="space-y-4">
            <TextField
              label="Allowed countries"
              hint="Two-letter codes, such as US, CA, GB; empty: every country the subscriber's rates allow"
              value={countries}
              onChange={(e) => setCountries(e.target.value)}
              error={Object.entries(errors).find(([k]) => k.startsWith('allowedCountries'))?.[1]}
            />
            {check(
              'allowConnectTwo',
              "Allow calling a first number that is not the subscriber's own (connect two)",
            )}
            <div className="grid grid-cols-2 gap-4">
              <TextField
                label="Per account, a minute"
                type="number"
                min={1}
                value={s.maxPerMinutePerSubscriber}
                onChange={num('maxPerMinutePerSubscriber')}
                error={errors.maxPerMinutePerSubscriber}
              />
              <TextField
                label="Per address, a minute"
                type="number"
                min={1}
                value={s.maxPerMinutePerAddress}
                onChange={num('maxPerMinutePerAddress')}
                error={errors.maxPerMinutePerAddress}
              />
            </div>
            <p className="text-xs text-slate-500">
              Premium-rate numbers are always refused; each account's own limits (calls at once, calls a day,
              countries) apply too.
            </p>
          </div>
        </Card>
        {save.isError && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{errorMessage(save.error)}</Alert>
        ) : null}
        {save.isSuccess ? <Alert tone="success">Saved. New web callbacks use these settings.</Alert> : null}
        <div className="flex justify-end">
          <Button type="submit" disabled={save.isPending}>
            Save
          </Button>
        </div>
      </form>
    </div>
  );
}

/** What each leg of a web callback sees as the caller: the other number or a fixed one. */
function CallerIdCard({
  s,
  setS,
  errors,
}: {
  s: WebCallbackSettings;
  setS: (s: WebCallbackSettings) => void;
  errors: Record<string, string>;
}) {
  return (
    <Card title="Caller ID">
      <div className="grid grid-cols-2 gap-4">
        <SelectField
          label="Leg A (the subscriber) sees"
          value={s.legACallerIdPolicy}
          onChange={(e) =>
            setS({
              ...s,
              legACallerIdPolicy: e.target.value as WebCallbackSettings['legACallerIdPolicy'],
            })
          }
        >
          <option value="destination">The destination's number</option>
          <option value="fixed">A fixed number</option>
        </SelectField>
        <TextField
          label="Fixed number for leg A"
          value={s.legACallerId ?? ''}
          disabled={s.legACallerIdPolicy !== 'fixed'}
          onChange={(e) => setS({ ...s, legACallerId: e.target.value || null })}
          error={errors.legACallerId}
        />
        <SelectField
          label="Leg B (the destination) sees"
          value={s.legBCallerIdPolicy}
          onChange={(e) =>
            setS({
              ...s,
              legBCallerIdPolicy: e.target.value as WebCallbackSettings['legBCallerIdPolicy'],
            })
          }
        >
          <option value="subscriber">The subscriber's number</option>
          <option value="fixed">A fixed number</option>
        </SelectField>
        <TextField
          label="Fixed number for leg B"
          value={s.legBCallerId ?? ''}
          disabled={s.legBCallerIdPolicy !== 'fixed'}
          onChange={(e) => setS({ ...s, legBCallerId: e.target.value || null })}
          error={errors.legBCallerId}
        />
      </div>
    </Card>
  );
}
