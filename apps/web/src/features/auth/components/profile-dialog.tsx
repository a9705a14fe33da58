import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { TimeZoneField } from '../../../components/time-zone-field';
import type { DeskUser } from '../../../lib/desk-user';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useUpdateProfile } from '../api/update-profile';

/** The user's own settings: the time zone every date on the desk is shown and typed in. */
export function ProfileDialog({ user, onClose }: { user: DeskUser; onClose: () => void }) {
  const update = useUpdateProfile();
  const [zone, setZone] = useState(user.chosenTimeZone ?? '');
  const errors = fieldErrorsOf(update.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ timeZone: zone || null }, { onSuccess: onClose });
  };
  return (
    <Dialog
      open
      title="Your settings"
      description={`${user.displayName} · ${user.username}`}
      onClose={onClose}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="profile-form" disabled={update.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form id="profile-form" onSubmit={submit} className="space-y-4">
        {update.isError && !errors.timeZone ? <Alert tone="error">{errorMessage(update.error)}</Alert> : null}
        <TimeZoneField
          value={zone}
          onChange={setZone}
          error={errors.timeZone}
          hint={`Dates are shown and typed in it. Now: ${formatDateTime(Date.now(), zone || user.timeZone)}`}
        />
      </form>
    </Dialog>
  );
}
