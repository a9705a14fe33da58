import type { Webhook, WebhookDeliveryStatus } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useWebhookDeliveries } from '../api/get-webhook-deliveries';
import { usePingWebhook } from '../api/ping-webhook';

const statusTone: Record<WebhookDeliveryStatus, BadgeTone> = {
  delivered: 'green',
  pending: 'amber',
  failed: 'red',
};

/** The delivery log of one webhook: each event, its attempts and the receiver's last answer. */
export function WebhookDeliveries({
  webhook,
  timeZone,
  onClose,
}: {
  webhook: Webhook | null;
  timeZone: string;
  onClose: () => void;
}) {
  const deliveries = useWebhookDeliveries(webhook?.id ?? null);
  const ping = usePingWebhook();
  return (
    <Dialog
      open={webhook !== null}
      onClose={onClose}
      size="lg"
      title={`Deliveries to ${webhook?.url ?? ''}`}
      description={
        <>
          Signing secret: <code className="break-all">{webhook?.secret}</code>
        </>
      }
      footer={
        <>
          <Button
            variant="secondary"
            disabled={ping.isPending}
            onClick={() => webhook && ping.mutate(webhook.id)}
          >
            Send a ping
          </Button>
          <Button onClick={onClose}>Close</Button>
        </>
      }
    >
      {deliveries.isError ? <Alert tone="error">{errorMessage(deliveries.error)}</Alert> : null}
      <Table
        caption="Deliveries"
        head={
          <>
            <Th>Event</Th>
            <Th>Created</Th>
            <Th>State</Th>
            <Th>Attempts</Th>
            <Th>Last answer</Th>
          </>
        }
      >
        {deliveries.data?.length === 0 ? <EmptyRow colSpan={5}>Nothing sent yet.</EmptyRow> : null}
        {deliveries.data?.map((d) => (
          <tr key={d.id}>
            <Td className="font-mono text-xs">{d.eventType}</Td>
            <Td>{formatDateTime(d.createdAt, timeZone)}</Td>
            <Td>
              <Badge tone={statusTone[d.status]}>{d.status}</Badge>
              {d.status === 'pending' && d.nextAttemptAt !== null ? (
                <div className="text-xs text-slate-500">next {formatDateTime(d.nextAttemptAt, timeZone)}</div>
              ) : null}
            </Td>
            <Td className="tabular-nums">{d.attempts}</Td>
            <Td className="max-w-xs truncate text-xs" title={d.lastResponse ?? ''}>
              {d.lastStatusCode !== null ? <span className="font-medium">{d.lastStatusCode} </span> : null}
              {d.lastResponse}
            </Td>
          </tr>
        ))}
      </Table>
    </Dialog>
  );
}
