import type { PhoneNumberParts } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCallbackNumber } from '../api/get-callback-number';
import { useSetCallbackNumber } from '../api/set-callback-number';
import { emptyParts, PhoneNumberFields, partsForApi } from '../components/phone-number-fields';
import { PortalLayout } from '../components/portal-layout';

/** Add Call Back: the number web callbacks call first; submitting again replaces it. */
export function PortalCallbackNumberPage() {
  const current = useCallbackNumber();
  const save = useSetCallbackNumber();
  const [parts, setParts] = useState<PhoneNumberParts>(emptyParts);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) {
      const { countryCode, areaCode, number } = current.data;
      setParts({ countryCode, areaCode, number });
    }
  }, [current.data]);
  const errors = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate(partsForApi(parts), { onSuccess: () => setSaved(true) });
  };
  return (
    <PortalLayout>
      <Card title={current.data ? 'Change your call-back number' : 'Add a call-back number'}>
        <p className="mb-4 text-sm text-slate-500">
          A web callback calls this phone first, then connects you to the number you dial.
          {current.data ? (
            <>
              {' '}
              Now registered:{' '}
              <strong className="tabular-nums" data-testid="registered-callback-number">
                {current.data.e164}
              </strong>
              .
            </>
          ) : null}
        </p>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <PhoneNumberFields
            legend="Call-back number"
            name="callback"
            value={parts}
            onChange={setParts}
            errors={errors}
          />
          {save.isError && Object.keys(errors).length === 0 ? (
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          ) : null}
          {saved ? (
            <Alert tone="success">
              Saved.{' '}
              <Link to="/portal/web-callback" className="font-medium underline">
                Make a web callback
              </Link>
            </Alert>
          ) : null}
          <Button type="submit" disabled={save.isPending}>
            {current.data ? 'Change number' : 'Add call-back number'}
          </Button>
        </form>
      </Card>
    </PortalLayout>
  );
}
