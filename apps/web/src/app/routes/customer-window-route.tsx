import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../features/auth/api/get-me';
import { CallbackPlanNote } from '../../features/callback-plans/components/callback-plan-note';
import { CustomerCallbackPlans } from '../../features/callback-plans/components/customer-callback-plans';
import { CustomerWindowPage } from '../../features/crm/routes/customer-window-page';

/*
 * The customer window the desk pops up for a queue call, or for a callback the dialer rings the
 * agent for (`planId`: that plan's note on top): its own browser window, so no navigation, no
 * softphone and no live stream (the desk tab keeps those); the CRM page with the callback-plans
 * panel composed in, as on the customer page.
 */
export function CustomerWindowRoute() {
  const { data: user } = useCurrentUser();
  const [params] = useSearchParams();
  const planId = Number(params.get('planId'));
  if (!user) return null;
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-4 px-4 py-5">
      {Number.isInteger(planId) && planId > 0 ? <CallbackPlanNote viewer={user} planId={planId} /> : null}
      <CustomerWindowPage
        viewer={user}
        callbackPlans={(customer) => <CustomerCallbackPlans viewer={user} customer={customer} />}
      />
    </main>
  );
}
