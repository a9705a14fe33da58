import { Alert } from '../../../components/alert';
import { PageHeader } from '../../../components/page-header';
import { errorMessage } from '../../../lib/field-errors';
import { useCurrentUser } from '../../auth/api/get-me';
import { useDialingPolicy } from '../api/get-dialing-policy';
import { DialingPolicyForm } from '../components/dialing-policy-form';
import { DoNotCallPanel } from '../components/do-not-call-panel';

/** Administration of the dialer: its policy for auto-dialled callbacks and the do-not-call list. */
export function DialerPage() {
  const policy = useDialingPolicy();
  const { data: me } = useCurrentUser();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Dialer"
        description="How scheduled callbacks are dialled, and the numbers no one may call."
      />
      {policy.isError ? <Alert tone="error">{errorMessage(policy.error)}</Alert> : null}
      {policy.data ? <DialingPolicyForm current={policy.data} /> : null}
      {me ? <DoNotCallPanel timeZone={me.timeZone} /> : null}
    </div>
  );
}
