import type { CallFlow } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The flow's name and status (published version, numbers, unsaved or unpublished changes), and the toolbar. */
export function FlowEditorHeader({
  flow,
  dirty,
  readOnly,
  toolbar,
}: {
  flow: CallFlow;
  dirty: boolean;
  readOnly: boolean;
  toolbar: ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-center justify-between gap-3">
      <div>
        <p className="text-xs text-slate-500">
          <Link to="/flows" className="hover:underline">
            Call flows
          </Link>
        </p>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">{flow.name}</h1>
        <p className="text-xs text-slate-500" data-testid="flow-status">
          {flow.publishedVersion ? `Published version ${flow.publishedVersion}` : 'Not published'}
          {flow.numbers.length > 0 ? ` · on ${flow.numbers.join(', ')}` : ''}
          {dirty ? ' · unsaved changes' : flow.draftChanged ? ' · draft not published' : ''}
          {readOnly ? ' · read-only' : ''}
        </p>
      </div>
      {toolbar}
    </header>
  );
}
