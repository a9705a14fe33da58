import type { Customer } from '@switchboard/shared';
import { roleAtLeast } from '@switchboard/shared';
import { Card } from '../../../components/card';
import type { DeskUser } from '../../../lib/desk-user';
import { useCallbackPlans } from '../api/get-callback-plans';
import { CallbackPlanForm } from './callback-plan-form';
import { CallbackPlansTable } from './callback-plans-table';

/** The customer page's "Callback plan" panel: plan a new one, and this customer's open plans. */
export function CustomerCallbackPlans({ viewer, customer }: { viewer: DeskUser; customer: Customer }) {
  const plans = useCallbackPlans({ customerId: customer.id, status: 'scheduled,due,missed', limit: 10 });
  return (
    <div className="space-y-4">
      <Card title="Callback plan">
        <CallbackPlanForm viewer={viewer} customerId={customer.id} phones={customer.phones} />
      </Card>
      <CallbackPlansTable
        viewer={viewer}
        plans={plans.data?.plans}
        loading={plans.isPending}
        error={plans.error}
        showOwner={roleAtLeast(viewer.role, 'supervisor')}
        showCustomer={false}
        empty="No open callback plans for this customer."
      />
    </div>
  );
}
