import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useDeleteInboundRoute } from '../api/delete-inbound-route';
import { useDeleteQueue } from '../api/delete-queue';
import { useFlowTargets } from '../api/get-flow-targets';
import { useInboundRoutes } from '../api/get-inbound-routes';
import { usePauseReasons } from '../api/get-pause-reasons';
import { type AdminQueue, useAdminQueues } from '../api/get-queues';
import { useAdminUsers } from '../api/get-users';
import { useSaveInboundRoute } from '../api/save-inbound-route';
import { useSavePauseReason } from '../api/save-pause-reason';
import { useSetQueueMember } from '../api/set-queue-member';
import { DispositionsCard } from '../components/dispositions-card';
import { QueueDialog } from '../components/queue-dialog';

/** One line of what the queue does with a caller nobody takes. */
function overflowText(q: AdminQueue, queues: AdminQueue[]): string {
  const { type, target } = q.overflow;
  if (type === 'queue') return `to queue ${queues.find((x) => String(x.id) === target)?.name ?? target}`;
  if (type === 'extension') return `to extension ${target}`;
  return 'hang up with a message';
}

/** A member of a queue: their penalty, changed when the box loses focus, and removal (penalty null). */
function QueueMemberRow({
  queueId,
  member: m,
  onPenalty,
}: {
  queueId: number;
  member: AdminQueue['members'][number];
  onPenalty: (penalty: number | null) => void;
}) {
  return (
    <li className="flex items-center justify-between gap-3 py-2" data-testid="queue-member">
      <span>
        {m.displayName} <span className="text-slate-400">({m.role})</span>
        {m.paused ? (
          <span className="ml-2">
            <Badge tone="amber">paused</Badge>
          </span>
        ) : null}
      </span>
      <span className="flex items-center gap-2">
        <label className="text-xs text-slate-500" htmlFor={`pen-${queueId}-${m.userId}`}>
          Penalty
        </label>
        <input
          id={`pen-${queueId}-${m.userId}`}
          aria-label={`Penalty for ${m.displayName}`}
          type="number"
          min={0}
          max={99}
          defaultValue={m.penalty}
          onBlur={(e) => {
            const v = Number(e.target.value);
            if (v !== m.penalty) onPenalty(v);
          }}
          className="w-16 rounded-md px-2 py-1 text-sm ring-1 ring-slate-300"
        />
        <Button variant="ghost" onClick={() => onPenalty(null)}>
          Remove
        </Button>
      </span>
    </li>
  );
}

function QueueCard({
  queue,
  queues,
  onEdit,
}: {
  queue: AdminQueue;
  queues: AdminQueue[];
  onEdit: () => void;
}) {
  const users = useAdminUsers();
  const setMember = useSetQueueMember();
  const del = useDeleteQueue();
  const [confirming, setConfirming] = useState(false);
  const [userId, setUserId] = useState('');
  const [penalty, setPenalty] = useState('0');
  const errors = fieldErrorsOf(setMember.error);
  const candidates = (users.data ?? []).filter(
    (u) => u.role !== 'admin' && !u.disabled && !queue.members.some((m) => m.userId === u.id),
  );
  return (
    <Card title={`${queue.name} · ${queue.strategy}`}>
      <div className="mb-3 flex items-start justify-between gap-3">
        <p className="text-xs text-slate-500" data-testid="queue-settings">
          Ring {queue.ringTimeoutS} s, retry {queue.retryDelayS} s, wrap-up {queue.wrapupS} s · max wait{' '}
          {queue.maxWaitS} s, then {overflowText(queue, queues)} ·{' '}
          {queue.announceIntervalS > 0
            ? `announcements every ${queue.announceIntervalS} s`
            : 'no announcements'}{' '}
          · music {queue.holdMusic ?? 'default'}
        </p>
        <div className="flex shrink-0 gap-2">
          <Button variant="secondary" onClick={onEdit} aria-label={`Edit settings of ${queue.name}`}>
            Edit settings
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              del.reset();
              setConfirming(true);
            }}
            aria-label={`Delete queue ${queue.name}`}
          >
            Delete
          </Button>
        </div>
      </div>
      {del.isError ? (
        <div className="mb-3" data-testid="queue-delete-error">
          <Alert tone="error">{errorMessage(del.error)}</Alert>
        </div>
      ) : null}
      <Dialog
        open={confirming}
        title={`Delete queue ${queue.name}?`}
        description="Its members leave it. Past calls keep their records but no longer name the queue."
        size="sm"
        onClose={() => setConfirming(false)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
            <Button
              variant="danger"
              disabled={del.isPending}
              onClick={() => del.mutate(queue.id, { onSettled: () => setConfirming(false) })}
            >
              Delete queue
            </Button>
          </>
        }
      >
        <p className="text-sm text-slate-600">
          The switch refuses while calls wait in it or inbound routes, call flows, other queues or callback
          plans send calls to it.
        </p>
      </Dialog>
      <ul className="divide-y divide-slate-100 text-sm">
        {queue.members.length === 0 ? <li className="py-2 text-slate-500">No members.</li> : null}
        {queue.members.map((m) => (
          <QueueMemberRow
            key={m.userId}
            queueId={queue.id}
            member={m}
            onPenalty={(penalty) => setMember.mutate({ queueId: queue.id, userId: m.userId, penalty })}
          />
        ))}
      </ul>
      <form
        className="mt-3 flex items-end gap-2"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (!userId) return;
          setMember.mutate(
            { queueId: queue.id, userId: Number(userId), penalty: Number(penalty) },
            {
              onSuccess: () => {
                setUserId('');
                setPenalty('0');
              },
            },
          );
        }}
      >
        <SelectField
          label="Add member"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          className="flex-1"
        >
          <option value="">Choose…</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Penalty"
          type="number"
          min={0}
          max={99}
          value={penalty}
          onChange={(e) => setPenalty(e.target.value)}
          className="w-24"
        />
        <Button type="submit" variant="secondary" disabled={!userId}>
          Add
        </Button>
      </form>
      {setMember.isError ? (
        <p className="mt-2 text-sm text-red-600">{errors.penalty ?? errorMessage(setMember.error)}</p>
      ) : null}
    </Card>
  );
}

function PauseReasons() {
  const reasons = usePauseReasons();
  const save = useSavePauseReason();
  const [name, setName] = useState('');
  const errors = fieldErrorsOf(save.error);
  return (
    <Card title="Pause reasons">
      <ul className="divide-y divide-slate-100 text-sm">
        {(reasons.data ?? []).map((r) => (
          <li key={r.id} className="flex items-center justify-between py-2">
            <span className={r.active ? '' : 'text-slate-400 line-through'}>{r.name}</span>
            <Button variant="ghost" onClick={() => save.mutate({ id: r.id, active: !r.active })}>
              {r.active ? 'Retire' : 'Restore'}
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="mt-3 flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ name }, { onSuccess: () => setName('') });
        }}
      >
        <TextField
          label="New reason"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name ?? (save.isError && !errors.name ? errorMessage(save.error) : null)}
          className="flex-1"
        />
        <Button type="submit" variant="secondary">
          Add
        </Button>
      </form>
    </Card>
  );
}

function InboundRoutes({ queues }: { queues: AdminQueue[] }) {
  const routes = useInboundRoutes();
  const save = useSaveInboundRoute();
  const del = useDeleteInboundRoute();
  const flows = useFlowTargets();
  const [f, setF] = useState({
    number: '',
    targetType: 'queue' as 'queue' | 'extension' | 'callback_service' | 'flow',
    targetId: '',
  });
  const errors = fieldErrorsOf(save.error);
  const targetLabel = (t: string, id: string) =>
    t === 'queue'
      ? `Queue ${queues.find((q) => String(q.id) === id)?.name ?? id}`
      : t === 'extension'
        ? `Extension ${id}`
        : t === 'flow'
          ? `Call flow ${(flows.data ?? []).find((x) => String(x.id) === id)?.name ?? id}`
          : `Callback service ${id}`;
  return (
    <Card title="Inbound routes">
      <Table
        caption="Inbound routes"
        head={
          <>
            <Th>Number</Th>
            <Th>Goes to</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {(routes.data ?? []).length === 0 ? (
          <EmptyRow colSpan={3}>No inbound routes.</EmptyRow>
        ) : (
          (routes.data ?? []).map((r) => (
            <tr key={r.id}>
              <Td className="font-mono">{r.number}</Td>
              <Td>{targetLabel(r.targetType, r.targetId)}</Td>
              <Td className="text-right">
                <Button variant="ghost" onClick={() => del.mutate(r.id)}>
                  Delete
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      <form
        className="mt-4 grid grid-cols-4 items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(f, { onSuccess: () => setF({ ...f, number: '', targetId: '' }) });
        }}
      >
        <TextField
          label="Number"
          value={f.number}
          onChange={(e) => setF({ ...f, number: e.target.value })}
          error={errors.number}
        />
        <SelectField
          label="Target"
          value={f.targetType}
          onChange={(e) => setF({ ...f, targetType: e.target.value as typeof f.targetType, targetId: '' })}
        >
          <option value="queue">Queue</option>
          <option value="extension">Extension</option>
          <option value="callback_service">Callback service</option>
          <option value="flow">Call flow</option>
        </SelectField>
        {f.targetType === 'flow' ? (
          <SelectField
            label="Call flow"
            value={f.targetId}
            onChange={(e) => setF({ ...f, targetId: e.target.value })}
            error={errors.targetId}
          >
            <option value="">Choose…</option>
            {(flows.data ?? [])
              .filter((x) => x.publishedVersion !== null)
              .map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
          </SelectField>
        ) : f.targetType === 'queue' ? (
          <SelectField
            label="Queue"
            value={f.targetId}
            onChange={(e) => setF({ ...f, targetId: e.target.value })}
            error={errors.targetId}
          >
            <option value="">Choose…</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label={f.targetType === 'extension' ? 'Extension number' : 'Callback service ID'}
            value={f.targetId}
            onChange={(e) => setF({ ...f, targetId: e.target.value })}
            error={errors.targetId}
          />
        )}
        <Button type="submit" variant="secondary">
          Add route
        </Button>
      </form>
      {save.isError && Object.keys(errors).length === 0 ? (
        <div className="mt-2">
          <Alert tone="error">{errorMessage(save.error)}</Alert>
        </div>
      ) : null}
    </Card>
  );
}

export function RoutingPage() {
  const queues = useAdminQueues();
  const [editing, setEditing] = useState<AdminQueue | 'new' | null>(null);
  return (
    <div>
      <PageHeader
        title="Queues & routes"
        description="Queues and their members, pause reasons, wrap-up dispositions, and where inbound numbers go."
        actions={<Button onClick={() => setEditing('new')}>New queue</Button>}
      />
      {queues.isError ? <Alert tone="error">{errorMessage(queues.error)}</Alert> : null}
      <div className="space-y-6">
        <div className="grid gap-4 lg:grid-cols-2">
          {(queues.data ?? []).map((q) => (
            <QueueCard key={q.id} queue={q} queues={queues.data ?? []} onEdit={() => setEditing(q)} />
          ))}
        </div>
        <div className="grid gap-4 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <InboundRoutes queues={queues.data ?? []} />
          </div>
          <PauseReasons />
        </div>
        <DispositionsCard />
      </div>
      {editing ? (
        <QueueDialog queue={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </div>
  );
}
