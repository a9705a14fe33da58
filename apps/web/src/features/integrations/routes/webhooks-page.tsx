import { type Webhook, webhookEventLabels } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { useCurrentUser } from '../../auth/api/get-me';
import { useDeleteWebhook } from '../api/delete-webhook';
import { useWebhooks } from '../api/get-webhooks';
import { WebhookDeliveries } from '../components/webhook-deliveries';
import { WebhookDialog } from '../components/webhook-dialog';

/** Administration of outbound webhooks: receivers, their events, and what was delivered. */
export function WebhooksPage() {
  const { data: me } = useCurrentUser();
  const webhooks = useWebhooks();
  const remove = useDeleteWebhook();
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  return (
    <div>
      <PageHeader
        title="Webhooks"
        description="Tell a CRM, a helpdesk or any HTTP endpoint what happens in the call center, as it happens."
        actions={<Button onClick={() => setEditing('new')}>New webhook</Button>}
      />
      {webhooks.isError ? <Alert tone="error">{errorMessage(webhooks.error)}</Alert> : null}
      {remove.isError ? <Alert tone="error">{errorMessage(remove.error)}</Alert> : null}
      <Table
        caption="Webhooks"
        head={
          <>
            <Th>URL</Th>
            <Th>Events</Th>
            <Th>State</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {webhooks.data?.length === 0 ? <EmptyRow colSpan={4}>No webhooks yet.</EmptyRow> : null}
        {webhooks.data?.map((w) => (
          <tr key={w.id}>
            <Td>
              <div className="font-medium break-all text-slate-900">{w.url}</div>
              {w.description ? <div className="text-xs text-slate-500">{w.description}</div> : null}
            </Td>
            <Td className="max-w-sm text-xs text-slate-600">
              {w.events.map((e) => webhookEventLabels[e]).join(', ')}
            </Td>
            <Td>
              {w.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
              {w.pending > 0 ? (
                <div className="mt-1">
                  <Badge tone="amber">{w.pending} waiting to retry</Badge>
                </div>
              ) : null}
            </Td>
            <Td className="space-x-2 text-right whitespace-nowrap">
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Deliveries to ${w.url}`}
                onClick={() => setLog(w)}
              >
                Deliveries
              </Button>
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Edit ${w.url}`}
                onClick={() => setEditing(w)}
              >
                Edit
              </Button>
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Delete ${w.url}`}
                disabled={remove.isPending}
                onClick={() => remove.mutate(w.id)}
              >
                Delete
              </Button>
            </Td>
          </tr>
        ))}
      </Table>
      <WebhookDialog
        open={editing !== null}
        webhook={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
      />
      <WebhookDeliveries webhook={log} timeZone={me?.timeZone ?? 'UTC'} onClose={() => setLog(null)} />
    </div>
  );
}
