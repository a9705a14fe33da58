import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select-field';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCreateUser } from '../api/create-user';

/** The new-user form's state and its submission; the extension is sent only when one is chosen. */
function useCreateUserForm(onClose: () => void) {
  const create = useCreateUser();
  const [f, setF] = useState({
    username: '',
    displayName: '',
    role: 'agent' as 'agent' | 'supervisor' | 'admin',
    agentId: '',
    password: '',
    extType: 'web' as 'none' | 'web' | 'sip',
    extNumber: '',
    sipSecret: '',
    recording: false,
  });
  const errors = fieldErrorsOf(create.error);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF((o) => ({ ...o, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        username: f.username,
        displayName: f.displayName,
        role: f.role,
        agentId: f.agentId || null,
        password: f.password,
        extension:
          f.extType === 'none'
            ? null
            : {
                number: f.extNumber,
                type: f.extType,
                sipSecret: f.extType === 'sip' ? f.sipSecret : null,
                recordingEnabled: f.recording,
              },
      },
      { onSuccess: onClose },
    );
  };
  return { create, f, setF, errors, set, submit };
}

export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const { create, f, setF, errors, set, submit } = useCreateUserForm(onClose);
  return (
    <Dialog
      open
      title="New user"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="create-user" disabled={create.isPending}>
            Create user
          </Button>
        </>
      }
    >
      <form id="create-user" onSubmit={submit} className="grid grid-cols-2 gap-4">
        {create.isError && Object.keys(errors).length === 0 ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(create.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Username"
          value={f.username}
          onChange={set('username')}
          error={errors.username}
          required
        />
        <TextField
          label="Display name"
          value={f.displayName}
          onChange={set('displayName')}
          error={errors.displayName}
          required
        />
        <SelectField label="Role" value={f.role} onChange={set('role')} error={errors.role}>
          <option value="agent">Agent</option>
          <option value="supervisor">Supervisor</option>
          <option value="admin">Administrator</option>
        </SelectField>
        <TextField
          label="Agent ID"
          value={f.agentId}
          onChange={set('agentId')}
          inputMode="numeric"
          error={errors.agentId}
          hint="Digits; agents sign in with it"
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={f.password}
          onChange={set('password')}
          error={errors.password}
          required
          className="col-span-2"
        />
        <SelectField label="Extension" value={f.extType} onChange={set('extType')}>
          <option value="web">Web extension (browser)</option>
          <option value="sip">SIP extension (desk phone)</option>
          <option value="none">No extension</option>
        </SelectField>
        {f.extType !== 'none' ? (
          <TextField
            label="Extension number"
            value={f.extNumber}
            onChange={set('extNumber')}
            inputMode="numeric"
            error={errors['extension.number']}
            required
          />
        ) : null}
        {f.extType === 'sip' ? (
          <TextField
            label="SIP secret"
            type="password"
            autoComplete="new-password"
            value={f.sipSecret}
            onChange={set('sipSecret')}
            error={errors['extension.sipSecret']}
            hint="At least 8 characters; shown only now"
            className="col-span-2"
          />
        ) : null}
        {f.extType !== 'none' ? (
          <label className="col-span-2 flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={f.recording}
              onChange={(e) => setF((o) => ({ ...o, recording: e.target.checked }))}
            />
            Record this extension's calls
          </label>
        ) : null}
      </form>
    </Dialog>
  );
}
