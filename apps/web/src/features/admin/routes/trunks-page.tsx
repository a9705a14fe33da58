import type { Trunk, TrunkLive } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { TextareaField } from '../../../components/textarea-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useDeleteTrunk } from '../api/delete-trunk';
import { useTrunks } from '../api/get-trunks';
import { useSaveTrunk } from '../api/save-trunk';
import { dialerCapValue, joinTrunkUri, splitTrunkUri, trunkFormErrors } from '../lib/trunk-form';

/** The trunk form's state, its own checks before the server's, and its submission. */
function useTrunkForm(trunk: Trunk | null, onClose: () => void) {
  const save = useSaveTrunk();
  const uri = splitTrunkUri(trunk?.uri ?? 'sip:');
  const [f, setF] = useState({
    name: trunk?.name ?? '',
    host: uri.host,
    port: uri.port,
    username: trunk?.username ?? '',
    password: '',
    transport: trunk?.transport ?? ('udp' as 'udp' | 'tcp'),
    register: trunk?.register ?? false,
    enabled: trunk?.enabled ?? true,
    callerId: trunk?.callerId ?? '',
    inboundAddresses: (trunk?.inboundAddresses ?? []).join('\n'),
    dialerCallsPerSecond: trunk?.dialerCallsPerSecond?.toString() ?? '',
    dialerMaxConcurrent: trunk?.dialerMaxConcurrent?.toString() ?? '',
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(save.error);
  const addressError = Object.entries(server).find(([k]) => k.startsWith('inboundAddresses'));
  const errors: Record<string, string | undefined> = {
    ...server,
    ...local,
    host: local.host ?? server.uri,
    inboundAddresses: addressError
      ? `${addressError[1]} (line ${Number(addressError[0].split('.')[1] ?? 0) + 1})`
      : undefined,
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = trunkFormErrors(f);
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      {
        ...(trunk ? { id: trunk.id } : {}),
        name: f.name,
        uri: joinTrunkUri({ ...uri, host: f.host, port: f.port }),
        username: f.username || null,
        // Left empty on edit: keep the stored password.
        ...(f.password || !trunk ? { password: f.password || null } : {}),
        transport: f.transport,
        register: f.register,
        enabled: f.enabled,
        callerId: f.callerId.trim() || null,
        inboundAddresses: f.inboundAddresses
          .split(/[\n,]/)
          .map((a) => a.trim())
          .filter(Boolean),
        dialerCallsPerSecond: dialerCapValue(f.dialerCallsPerSecond),
        dialerMaxConcurrent: dialerCapValue(f.dialerMaxConcurrent),
      },
      { onSuccess: onClose },
    );
  };
  return { save, f, setF, server, errors, submit };
}

type TrunkForm = ReturnType<typeof useTrunkForm>;

function TrunkCredentialFields({ form, trunk }: { form: TrunkForm; trunk: Trunk | null }) {
  const { f, setF, errors } = form;
  return (
    <>
      <TextField
        label="Username"
        value={f.username}
        onChange={(e) => setF({ ...f, username: e.target.value })}
        error={errors.username}
        autoComplete="off"
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
    </>
  );
}

/** The carrier's own caps on the dialer's calls through this trunk (docs/dialer.md, "Durability and pacing"). */
function TrunkDialerCapFields({ form }: { form: TrunkForm }) {
  const { f, setF, errors } = form;
  return (
    <>
      <TextField
        label="Dialer calls per second"
        value={f.dialerCallsPerSecond}
        onChange={(e) => setF({ ...f, dialerCallsPerSecond: e.target.value })}
        inputMode="decimal"
        hint="The carrier's cap on calls the dialer starts here; empty: the dialing policy's"
        error={errors.dialerCallsPerSecond}
      />
      <TextField
        label="Dialer concurrent calls"
        value={f.dialerMaxConcurrent}
        onChange={(e) => setF({ ...f, dialerMaxConcurrent: e.target.value })}
        inputMode="numeric"
        hint="The carrier's cap on the dialer's calls up at once here; empty: the dialing policy's"
        error={errors.dialerMaxConcurrent}
      />
    </>
  );
}

function TrunkDialog({ trunk, onClose }: { trunk: Trunk | null; onClose: () => void }) {
  const form = useTrunkForm(trunk, onClose);
  const { save, f, setF, server, errors, submit } = form;
  return (
    <Dialog
      open
      title={trunk ? `Edit trunk · ${trunk.name}` : 'New trunk'}
      onClose={onClose}
      size="lg"
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
      <form id="trunk-form" onSubmit={submit} className="grid grid-cols-2 gap-4" noValidate>
        {save.isError && Object.keys(server).length === 0 ? (
          <div className="col-span-2">
            <Alert tone="error">{errorMessage(save.error)}</Alert>
          </div>
        ) : null}
        <TextField
          label="Name"
          value={f.name}
          onChange={(e) => setF({ ...f, name: e.target.value })}
          error={errors.name}
          className="col-span-2"
        />
        <TextField
          label="Host"
          value={f.host}
          onChange={(e) => setF({ ...f, host: e.target.value })}
          placeholder="carrier.example.com"
          error={errors.host}
        />
        <div className="grid grid-cols-2 gap-4">
          <TextField
            label="Port"
            value={f.port}
            onChange={(e) => setF({ ...f, port: e.target.value })}
            placeholder="5060"
            inputMode="numeric"
            error={errors.port}
          />
          <SelectField
            label="Transport"
            value={f.transport}
            onChange={(e) => setF({ ...f, transport: e.target.value as 'udp' | 'tcp' })}
          >
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
          </SelectField>
        </div>
        <TrunkCredentialFields form={form} trunk={trunk} />
        <TextField
          label="Caller ID"
          value={f.callerId}
          onChange={(e) => setF({ ...f, callerId: e.target.value })}
          placeholder="+15550100"
          hint="The number customers see; empty: the carrier's default"
          error={errors.callerId}
        />
        <div className="flex flex-col justify-end gap-2 text-sm text-slate-700">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={f.register}
              onChange={(e) => setF({ ...f, register: e.target.checked })}
            />
            Register with the carrier (needs username and password)
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
        <TextareaField
          label="Inbound addresses"
          value={f.inboundAddresses}
          onChange={(e) => setF({ ...f, inboundAddresses: e.target.value })}
          placeholder={'198.51.100.7\n203.0.113.0/24'}
          hint="Calls are accepted from the host's addresses and these: one IP address, CIDR block or host name a line"
          error={errors.inboundAddresses}
          className="col-span-2"
        />
        <TrunkDialerCapFields form={form} />
      </form>
    </Dialog>
  );
}

const stateTones: Record<TrunkLive['state'], BadgeTone> = {
  up: 'green',
  down: 'red',
  registering: 'amber',
  unregistered: 'red',
  disabled: 'gray',
};
const stateLabels: Record<TrunkLive['state'], string> = {
  up: 'Up',
  down: 'Down',
  registering: 'Registering',
  unregistered: 'Not registered',
  disabled: 'Disabled',
};

/** The switch's view of the trunk: its state and, when not up, why. */
function TrunkState({ live }: { live: TrunkLive | null | undefined }) {
  if (!live) return <Badge>Unknown</Badge>;
  const why =
    live.state === 'down'
      ? `No answer to ${live.keepalive.failures} keep-alive${live.keepalive.failures === 1 ? '' : 's'}`
      : live.state === 'unregistered' && live.registration?.lastError
        ? `Registration refused: ${live.registration.lastError}`
        : null;
  return (
    <span className="flex flex-col gap-0.5">
      <span data-testid="trunk-state">
        <Badge tone={stateTones[live.state]}>{stateLabels[live.state]}</Badge>
      </span>
      {why ? <span className="text-xs text-slate-500">{why}</span> : null}
    </span>
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
        description="SIP trunks to the carrier, with their state as the switch sees it now. Passwords are stored and never shown again."
        actions={<Button onClick={() => setEditing('new')}>New trunk</Button>}
      />
      {trunks.isError ? <Alert tone="error">{errorMessage(trunks.error)}</Alert> : null}
      <Table
        caption="Trunks"
        head={
          <>
            <Th>Name</Th>
            <Th>Host</Th>
            <Th>Transport</Th>
            <Th>Credentials</Th>
            <Th>Caller ID</Th>
            <Th>Inbound from</Th>
            <Th>State</Th>
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
            <tr key={t.id} data-testid="trunk-row">
              <Td className="font-medium text-slate-900">{t.name}</Td>
              <Td className="font-mono text-xs">{t.uri.replace(/^sips?:/, '')}</Td>
              <Td className="uppercase">{t.transport}</Td>
              <Td>
                {t.username ? `${t.username} · password ${t.hasPassword ? 'set' : 'none'}` : 'None'}
                {t.register ? <span className="block text-xs text-slate-500">Registers</span> : null}
              </Td>
              <Td className="tabular-nums">{t.callerId ?? '—'}</Td>
              <Td className="text-xs">{t.inboundAddresses?.length ? t.inboundAddresses.join(', ') : '—'}</Td>
              <Td>
                <TrunkState live={t.live} />
              </Td>
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
