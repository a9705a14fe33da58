import { useCurrentUser } from '../../features/auth/api/get-me';
import { CustomerCallbackPlans } from '../../features/callback-plans/components/customer-callback-plans';
import { CustomerWindowPage } from '../../features/crm/routes/customer-window-page';

/*
 * The customer window the desk pops up for a queue call: its own browser window, so no navigation,
 * no softphone and no live stream (the desk tab keeps those); the CRM page with the callback-plans
 * panel composed in, as on the customer page.
 */
export function CustomerWindowRoute() {
  const { data: user } = useCurrentUser();
  if (!user) return null;
  return (
    <main id="main" className="mx-auto max-w-4xl px-4 py-5">
      <CustomerWindowPage
        viewer={user}
        callbackPlans={(customer) => <CustomerCallbackPlans viewer={user} customer={customer} />}
      />
    </main>
  );
}
