import type { AdminUser, Role } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { TimeZoneField } from '../../../components/time-zone-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useAdminQueues } from '../api/get-queues';
import { useUpdateExtension } from '../api/update-extension';
import { useUpdateUser } from '../api/update-user';

/** Change a user after creation: name, role, time zone, the queues they answer, their extension number. */
export function EditUserDialog({
  user,
  isSelf,
  onClose,
}: {
  user: AdminUser;
  isSelf: boolean;
  onClose: () => void;
}) {
  const update = useUpdateUser();
  const ext = useUpdateExtension();
  const [f, setF] = useState({
    displayName: user.displayName,
    role: user.role as Role,
    timeZone: user.timeZone ?? '',
    queueIds: user.queueIds,
    extNumber: user.extension?.number ?? '',
  });
  const userErrors = fieldErrorsOf(update.error);
  const extErrors = fieldErrorsOf(ext.error);
  const failure = update.error ?? ext.error;
  const shownInFields = Object.keys(userErrors).length + Object.keys(extErrors).length > 0;
  const takesCalls = f.role !== 'admin';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    update.reset();
    ext.reset();
    try {
      // The number first: a number someone else has is refused before anything else changes.
      if (user.extension && f.extNumber !== user.extension.number) {
        await ext.mutateAsync({ userId: user.id, number: f.extNumber });
      }
      await update.mutateAsync({
        id: user.id,
        displayName: f.displayName,
        ...(isSelf ? {} : { role: f.role }),
        timeZone: f.timeZone || null,
        queueIds: takesCalls ? f.queueIds : [],
      });
      onClose();
    } catch {
      // Shown by the fields and the alert.
    }
  };
  const toggleQueue = (id: number, on: boolean) =>
    setF((o) => ({ ...o, queueIds: on ? [...o.queueIds, id] : o.queueIds.filter((q) => q !== id) }));

  return (
    <Dialog
      open
      title={`Edit user · ${user.username}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="edit-user" disabled={update.isPending || ext.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form id="edit-user" onSubmit={submit} className="grid grid-cols-2 gap-4">
        {failure && !shownInFields ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(failure)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Display name"
          value={f.displayName}
          onChange={(e) => setF({ ...f, displayName: e.target.value })}
          error={userErrors.displayName}
          required
        />
        <SelectField
          label="Role"
          value={f.role}
          onChange={(e) => setF({ ...f, role: e.target.value as Role })}
          error={userErrors.role}
          disabled={isSelf}
          hint={isSelf ? 'You cannot change your own role' : undefined}
        >
          <option value="agent">Agent</option>
          <option value="supervisor">Supervisor</option>
          <option value="admin">Administrator</option>
        </SelectField>
        <TimeZoneField
          value={f.timeZone}
          onChange={(timeZone) => setF({ ...f, timeZone })}
          error={userErrors.timeZone}
          hint="Until one is chosen, dates are shown in the zone of the user's browser"
        />
        {user.extension ? (
          <TextField
            label="Extension number"
            value={f.extNumber}
            onChange={(e) => setF({ ...f, extNumber: e.target.value })}
            inputMode="numeric"
            error={extErrors.number ?? extErrors['extension.number']}
            required
          />
        ) : (
          <p className="self-end pb-2 text-sm text-slate-500">No extension</p>
        )}
        <UserQueuesFieldset
          takesCalls={takesCalls}
          queueIds={f.queueIds}
          onToggle={toggleQueue}
          error={userErrors.queueIds}
        />
      </form>
    </Dialog>
  );
}

/** The queues a user answers; administrators answer none. */
function UserQueuesFieldset({
  takesCalls,
  queueIds,
  onToggle,
  error,
}: {
  takesCalls: boolean;
  queueIds: number[];
  onToggle: (id: number, on: boolean) => void;
  error: string | undefined;
}) {
  const queues = useAdminQueues();
  return (
    <fieldset className="col-span-2">
      <legend className="mb-1 text-sm font-medium text-slate-700">Queues</legend>
      {!takesCalls ? (
        <p className="text-sm text-slate-500">Administrators take no queue calls.</p>
      ) : queues.isPending ? (
        <p className="text-sm text-slate-500">Loading queues…</p>
      ) : (
        <div className="grid grid-cols-3 gap-2">
          {(queues.data ?? []).map((q) => (
            <label key={q.id} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={queueIds.includes(q.id)}
                onChange={(e) => onToggle(q.id, e.target.checked)}
              />
              {q.name}
            </label>
          ))}
        </div>
      )}
      {error ? <p className="mt-1 text-sm text-red-600">{error}</p> : null}
    </fieldset>
  );
}
