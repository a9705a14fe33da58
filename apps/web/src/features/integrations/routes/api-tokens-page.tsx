import { apiTokenScopeLabels } from '@switchboard/shared';
import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { errorMessage } from '../../../lib/field-errors';
import { formatDateTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useApiTokens } from '../api/get-api-tokens';
import { useRevokeApiToken } from '../api/revoke-api-token';
import { ApiTokenDialog } from '../components/api-token-dialog';

/** Administration of API tokens: who may call the API from another server, and how much. */
export function ApiTokensPage() {
  const { data: me } = useCurrentUser();
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const [creating, setCreating] = useState(false);
  const zone = me?.timeZone ?? 'UTC';
  const when = (ms: number | null) => (ms === null ? '—' : formatDateTime(ms, zone));
  return (
    <div>
      <PageHeader
        title="API tokens"
        description="Tokens let another server use Switchboard's API with the permissions of one user, on the scopes you choose."
        actions={
          <>
            {/* Served by the server itself: the API document and its docs page (docs/integrations.md). */}
            <a
              href="/api/docs"
              target="_blank"
              rel="noopener"
              className="self-center text-sm font-medium text-brand-700 hover:underline"
            >
              API reference
            </a>
            <Button onClick={() => setCreating(true)}>New token</Button>
          </>
        }
      />
      {tokens.isError ? <Alert tone="error">{errorMessage(tokens.error)}</Alert> : null}
      {revoke.isError ? <Alert tone="error">{errorMessage(revoke.error)}</Alert> : null}
      <Table
        caption="API tokens"
        head={
          <>
            <Th>Name</Th>
            <Th>Acts as</Th>
            <Th>Scopes</Th>
            <Th>Expires</Th>
            <Th>Last used</Th>
            <Th>State</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {tokens.data?.length === 0 ? <EmptyRow colSpan={7}>No API tokens yet.</EmptyRow> : null}
        {tokens.data?.map((t) => {
          const expired = t.expiresAt !== null && t.expiresAt <= Date.now();
          return (
            <tr key={t.id}>
              <Td>
                <div className="font-medium text-slate-900">{t.name}</div>
                <div className="font-mono text-xs text-slate-500">{t.prefix}…</div>
              </Td>
              <Td>
                {t.actsAs.displayName} <span className="text-slate-500">({t.actsAs.role})</span>
              </Td>
              <Td className="max-w-xs text-xs text-slate-600">
                {t.scopes.map((s) => apiTokenScopeLabels[s]).join(', ')}
              </Td>
              <Td>{t.expiresAt === null ? 'Never' : when(t.expiresAt)}</Td>
              <Td>{when(t.lastUsedAt)}</Td>
              <Td>
                {t.revokedAt !== null ? (
                  <Badge tone="red">Revoked</Badge>
                ) : expired ? (
                  <Badge tone="amber">Expired</Badge>
                ) : (
                  <Badge tone="green">Active</Badge>
                )}
              </Td>
              <Td className="text-right">
                {t.revokedAt === null ? (
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Revoke ${t.name}`}
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(t.id)}
                  >
                    Revoke
                  </Button>
                ) : null}
              </Td>
            </tr>
          );
        })}
      </Table>
      {me ? <ApiTokenDialog open={creating} viewer={me} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
