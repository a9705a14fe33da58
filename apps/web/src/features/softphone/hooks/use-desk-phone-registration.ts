import type { SoftphoneConfig } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useLiveEvent } from '../../../lib/live-events/live-events-provider';
import type { DeskPhoneStatus } from './use-softphone';

/**
 * SIP extension: the desk phone's registration, from the live stream. The state at page load comes
 * with the softphone settings (`initialRegistration`); later changes arrive as events.
 */
export function useDeskPhoneRegistration(
  extension: { number: string } | null,
  initialRegistration: SoftphoneConfig['registration'] | undefined,
): DeskPhoneStatus {
  const [deskPhone, setDeskPhone] = useState<DeskPhoneStatus>('unknown');
  useEffect(() => {
    if (initialRegistration) setDeskPhone(initialRegistration.registered ? 'registered' : 'unregistered');
  }, [initialRegistration]);
  useLiveEvent('registration', (e) => {
    if (extension && e.extension === extension.number)
      setDeskPhone(e.registered ? 'registered' : 'unregistered');
  });
  return deskPhone;
}
