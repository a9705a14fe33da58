import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { useCurrentUser } from '../../auth/api/get-me';
import { useCreateFlow } from '../api/create-flow';
import { useFlows } from '../api/get-flows';

/** Call flows: their published version and numbers; administrators create new ones. */
export function FlowsPage() {
  const flows = useFlows();
  const { data: user } = useCurrentUser();
  const canEdit = user?.role === 'admin';
  const create = useCreateFlow();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const errors = fieldErrorsOf(create.error);
  return (
    <div>
      <PageHeader
        title="Call flows"
        description="IVR flows of menus, opening hours, queues and call backs; inbound numbers route to a published flow."
      />
      <Card>
        <Table
          caption="Call flows"
          head={
            <>
              <Th>Name</Th>
              <Th>Published</Th>
              <Th>Numbers</Th>
              <Th>Draft</Th>
            </>
          }
        >
          {(flows.data ?? []).length === 0 ? (
            <EmptyRow colSpan={4}>{flows.isPending ? 'Loading…' : 'No call flows yet.'}</EmptyRow>
          ) : (
            (flows.data ?? []).map((f) => (
              <tr key={f.id}>
                <Td>
                  <Link className="font-medium text-brand-700 hover:underline" to={`/flows/${f.id}`}>
                    {f.name}
                  </Link>
                  {f.description ? <p className="text-xs text-slate-500">{f.description}</p> : null}
                </Td>
                <Td>{f.publishedVersion ? `Version ${f.publishedVersion}` : 'Not published'}</Td>
                <Td className="font-mono">{f.numbers.join(', ') || '—'}</Td>
                <Td>
                  {f.draftChanged ? (
                    <Badge tone="amber">Unpublished changes</Badge>
                  ) : (
                    <Badge tone="green">Published</Badge>
                  )}
                </Td>
              </tr>
            ))
          )}
        </Table>
        {canEdit ? (
          <form
            className="mt-4 flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name }, { onSuccess: (flow) => navigate(`/flows/${flow.id}`) });
            }}
          >
            <TextField
              label="New flow name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={errors.name}
              className="w-72"
            />
            <Button type="submit">Create flow</Button>
          </form>
        ) : null}
        {create.isError && Object.keys(errors).length === 0 ? (
          <div className="mt-2">
            <Alert tone="error">{errorMessage(create.error)}</Alert>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
