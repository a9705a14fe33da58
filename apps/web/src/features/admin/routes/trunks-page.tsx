import type { Trunk } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useDeleteTrunk } from '../api/delete-trunk';
import { useTrunks } from '../api/get-trunks';
import { useSaveTrunk } from '../api/save-trunk';

function TrunkDialog({ trunk, onClose }: { trunk: Trunk | null; onClose: () => void }) {
  const save = useSaveTrunk();
  const [f, setF] = useState({
    name: trunk?.name ?? '',
    uri: trunk?.uri ?? '',
    username: trunk?.username ?? '',
    password: '',
    transport: trunk?.transport ?? ('udp' as 'udp' | 'tcp'),
    register: trunk?.register ?? false,
    enabled: trunk?.enabled ?? true,
  });
  const errors = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        ...(trunk ? { id: trunk.id } : {}),
        name: f.name,
        uri: f.uri,
        username: f.username || null,
        // Left empty on edit: keep the stored password.
        ...(f.password || !trunk ? { password: f.password || null } : {}),
        transport: f.transport,
        register: f.register,
        enabled: f.enabled,
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog
      open
      title={trunk ? `Edit trunk · ${trunk.name}` : 'New trunk'}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="trunk-form" disabled={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form id="trunk-form" onSubmit={submit} className="grid grid-cols-2 gap-4">
        {save.isError && Object.keys(errors).length === 0 ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Name"
          value={f.name}
          onChange={(e) => setF({ ...f, name: e.target.value })}
          error={errors.name}
        />
        <TextField
          label="SIP URI"
          value={f.uri}
          onChange={(e) => setF({ ...f, uri: e.target.value })}
          placeholder="sip:carrier.example.com:5060"
          error={errors.uri}
        />
        <TextField
          label="Username"
          value={f.username}
          onChange={(e) => setF({ ...f, username: e.target.value })}
          error={errors.username}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={f.password}
          onChange={(e) => setF({ ...f, password: e.target.value })}
          hint={trunk?.hasPassword ? 'Set — leave empty to keep it' : undefined}
          error={errors.password}
        />
        <SelectField
          label="Transport"
          value={f.transport}
          onChange={(e) => setF({ ...f, transport: e.target.value as 'udp' | 'tcp' })}
        >
          <option value="udp">UDP</option>
          <option value="tcp">TCP</option>
        </SelectField>
        <div className="flex flex-col justify-end gap-2 text-sm text-slate-700">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={f.register}
              onChange={(e) => setF({ ...f, register: e.target.checked })}
            />
            Register with the carrier
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={f.enabled}
              onChange={(e) => setF({ ...f, enabled: e.target.checked })}
            />
            Enabled
          </label>
        </div>
      </form>
    </Dialog>
  );
}

export function TrunksPage() {
  const trunks = useTrunks();
  const del = useDeleteTrunk();
  const [editing, setEditing] = useState<Trunk | 'new' | null>(null);
  const rows = trunks.data ?? [];
  return (
    <div>
      <PageHeader
        title="Trunks"
        description="SIP trunks to the carrier. Passwords are stored and never shown again."
        actions={<Button onClick={() => setEditing('new')}>New trunk</Button>}
      />
      {trunks.isError ? <Alert tone="error">{errorMessage(trunks.error)}</Alert> : null}
      <Table
        caption="Trunks"
        head={
          <>
            <Th>Name</Th>
            <Th>URI</Th>
            <Th>Username</Th>
            <Th>Password</Th>
            <Th>Transport</Th>
            <Th>Register</Th>
            <Th>Status</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {trunks.isPending ? (
          <EmptyRow colSpan={8}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={8}>No trunks. Calls to the outside fail until one is added.</EmptyRow>
        ) : (
          rows.map((t) => (
            <tr key={t.id}>
              <Td className="font-medium text-slate-900">{t.name}</Td>
              <Td className="font-mono text-xs">{t.uri}</Td>
              <Td>{t.username ?? '—'}</Td>
              <Td>{t.hasPassword ? 'Set' : 'None'}</Td>
              <Td className="uppercase">{t.transport}</Td>
              <Td>{t.register ? 'Yes' : 'No'}</Td>
              <Td>{t.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
              <Td className="whitespace-nowrap text-right">
                <Button variant="ghost" onClick={() => setEditing(t)}>
                  Edit
                </Button>
                <Button variant="ghost" onClick={() => del.mutate(t.id)}>
                  Delete
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      {editing ? (
        <TrunkDialog trunk={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </div>
  );
}
