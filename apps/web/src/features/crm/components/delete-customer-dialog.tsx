import type { Customer } from '@switchboard/shared';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { errorMessage } from '../../../lib/field-errors';
import { useDeleteCustomer } from '../api/delete-customer';

export function DeleteCustomerDialog({
  customer,
  onClose,
  onDeleted,
}: {
  customer: Customer | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const del = useDeleteCustomer();
  return (
    <Dialog
      open={customer !== null}
      onClose={() => {
        del.reset();
        onClose();
      }}
      size="sm"
      title={customer ? `Delete ${customer.name}?` : 'Delete customer'}
      description="The customer, their numbers and their callback plans are removed. Call history stays."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Keep customer
          </Button>
          <Button
            variant="danger"
            disabled={del.isPending}
            onClick={() =>
              customer &&
              del.mutate(customer.id, {
                onSuccess: () => {
                  onClose();
                  onDeleted?.();
                },
              })
            }
          >
            {del.isPending ? 'Deleting…' : 'Delete customer'}
          </Button>
        </>
      }
    >
      {del.error ? <Alert tone="error">{errorMessage(del.error)}</Alert> : null}
      {customer ? (
        <p className="text-sm text-slate-600">
          Added by <span className="font-medium text-slate-900">{customer.owner.displayName}</span>. This
          cannot be undone.
        </p>
      ) : null}
    </Dialog>
  );
}
