import { Alert } from '../../../components/alert';
import { useSoftphone } from '../hooks/use-softphone';

/** A SIP-extension agent sees whether the desk phone is registered, on top of the dashboard. */
export function DeskPhoneNotice() {
  const phone = useSoftphone();
  if (phone.mode !== 'sip') return null;
  if (phone.deskPhone === 'registered')
    return (
      <Alert tone="success">
        Your extension {phone.extension} is registered on your IP phone. Calls you dial here ring your desk
        phone first.
      </Alert>
    );
  return (
    <Alert tone="warning">
      <strong>Your extension {phone.extension} is not registered on a SIP phone.</strong>{' '}
      {phone.deskPhone === 'unknown'
        ? 'The server has not seen your desk phone register. '
        : 'Your desk phone unregistered. '}
      Please register your extension on an IP phone or contact the system administrator.
    </Alert>
  );
}
