import { DialButton } from '../../../components/dial-button';

/** Dials a customer's phone by its id (the switch looks the real number up; masking is fine). */
export function CallButton({
  label = 'Call',
  phoneLabel,
  phone,
}: {
  label?: string;
  phoneLabel?: string;
  phone: { id: number; number: string };
}) {
  return (
    <DialButton
      number={phone.number}
      reference={{ customerPhoneId: phone.id }}
      label={phoneLabel ? `${label} ${phoneLabel}` : label}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden="true">
        <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h1.148a1.5 1.5 0 0 1 1.465 1.175l.513 2.31a1.5 1.5 0 0 1-1.052 1.767l-.933.267c-.41.117-.643.555-.48.95a11.542 11.542 0 0 0 6.254 6.254c.395.163.833-.07.95-.48l.267-.933a1.5 1.5 0 0 1 1.767-1.052l2.31.513A1.5 1.5 0 0 1 18 15.352V16.5a1.5 1.5 0 0 1-1.5 1.5H15c-7.18 0-13-5.82-13-13V3.5Z" />
      </svg>
      {label}
    </DialButton>
  );
}
