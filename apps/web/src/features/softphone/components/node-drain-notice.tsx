import { Alert } from '../../../components/alert';
import { useNodeDrain } from '../hooks/use-node-drain';
import { useSoftphone } from '../hooks/use-softphone';

/**
 * While the server this desk is signed in to drains: the desk moves to another server once no call
 * is up, and says so (docs/operations.md, "Draining a node").
 */
export function NodeDrainNotice() {
  const phone = useSoftphone();
  const call = phone.snapshot?.call ?? null;
  const action = useNodeDrain(call !== null && call.state !== 'ended');
  if (action === 'after-call')
    return (
      <Alert tone="warning">
        This server is being taken out of service. Your desk moves to another server when this call ends; the
        call itself is not affected.
      </Alert>
    );
  if (action === 'move') return <Alert tone="info">Moving your desk to another server…</Alert>;
  if (action === 'stay')
    return (
      <Alert tone="warning">
        This server is being taken out of service and takes no new calls, and no other server took your desk.
        Tell your administrator.
      </Alert>
    );
  return null;
}
