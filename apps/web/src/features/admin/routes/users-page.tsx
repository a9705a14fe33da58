import type { AdminUser } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { useCurrentUser } from '../../auth/api/get-me';
import { useAdminUsers } from '../api/get-users';
import { useUpdateExtension } from '../api/update-extension';
import { useUpdateUser } from '../api/update-user';
import { CreateUserDialog } from '../components/create-user-dialog';
import { EditUserDialog } from '../components/edit-user-dialog';
import { ResetPasswordDialog } from '../components/reset-password-dialog';

export function UsersPage() {
  const { data: me } = useCurrentUser();
  const users = useAdminUsers();
  const update = useUpdateUser();
  const ext = useUpdateExtension();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const rows = users.data ?? [];
  const failure = update.error ?? ext.error;
  return (
    <div>
      <PageHeader
        title="Users & extensions"
        description="Agents, supervisors and administrators, their extensions and call recording."
        actions={<Button onClick={() => setCreating(true)}>New user</Button>}
      />
      {users.isError ? <Alert tone="error">{errorMessage(users.error)}</Alert> : null}
      {failure ? (
        <div className="mb-4">
          <Alert tone="error">{errorMessage(failure)}</Alert>
        </div>
      ) : null}
      <Table
        caption="Users"
        head={
          <>
            <Th>Name</Th>
            <Th>Username</Th>
            <Th>Agent ID</Th>
            <Th>Role</Th>
            <Th>Extension</Th>
            <Th>Recording</Th>
            <Th>Status</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {users.isPending ? (
          <EmptyRow colSpan={8}>Loading…</EmptyRow>
        ) : rows.length === 0 ? (
          <EmptyRow colSpan={8}>No users.</EmptyRow>
        ) : (
          rows.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <Td className="font-medium text-slate-900">{u.displayName}</Td>
              <Td>{u.username}</Td>
              <Td className="tabular-nums">{u.agentId ?? '—'}</Td>
              <Td>
                <span className="capitalize">{u.role}</span>
                <span className="block text-xs text-slate-500" title="Time zone">
                  {u.timeZone ?? "Browser's time zone"}
                </span>
              </Td>
              <Td>
                {u.extension ? `${u.extension.number} · ${u.extension.type === 'web' ? 'Web' : 'SIP'}` : '—'}
              </Td>
              <Td>
                {u.extension ? (
                  <label className="inline-flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={u.extension.recordingEnabled}
                      disabled={ext.isPending}
                      onChange={(e) => ext.mutate({ userId: u.id, recordingEnabled: e.target.checked })}
                      aria-label={`Record calls of ${u.displayName}`}
                    />
                    {u.extension.recordingEnabled ? 'On' : 'Off'}
                  </label>
                ) : (
                  '—'
                )}
              </Td>
              <Td>{u.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</Td>
              <Td className="whitespace-nowrap text-right">
                <div className="flex justify-end gap-1">
                  <Button variant="ghost" onClick={() => setEditing(u)} aria-label={`Edit ${u.username}`}>
                    Edit
                  </Button>
                  <Button variant="ghost" onClick={() => setResetting(u)}>
                    Reset password
                  </Button>
                  {u.id !== me?.id ? (
                    <Button
                      variant="ghost"
                      disabled={update.isPending}
                      onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  ) : null}
                </div>
              </Td>
            </tr>
          ))
        )}
      </Table>
      <p className="mt-3 text-xs text-slate-500">Disabling a user signs them out everywhere at once.</p>
      {creating ? <CreateUserDialog onClose={() => setCreating(false)} /> : null}
      {editing ? (
        <EditUserDialog user={editing} isSelf={editing.id === me?.id} onClose={() => setEditing(null)} />
      ) : null}
      {resetting ? <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} /> : null}
    </div>
  );
}
