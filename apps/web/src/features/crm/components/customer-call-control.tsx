import type { CustomerPhone } from '@switchboard/shared';
import { useId, useState } from 'react';
import { CallButton } from './call-button';

/** Call a customer; with several numbers the agent chooses which. Dialing is by phone id. */
export function CustomerCallControl({
  customerName,
  phones,
}: {
  customerName: string;
  phones: CustomerPhone[];
}) {
  const selectId = useId();
  const [phoneId, setPhoneId] = useState(phones[0]?.id);
  if (phones.length === 0) return null;
  if (phones.length === 1)
    return <CallButton phone={phones[0]!} phoneLabel={`${customerName} on ${phones[0]!.number}`} />;
  const chosen = phones.find((p) => p.id === phoneId) ?? phones[0]!;
  return (
    <span className="inline-flex items-center gap-1.5">
      <label htmlFor={selectId} className="sr-only">
        Number to call for {customerName}
      </label>
      <select
        id={selectId}
        value={chosen.id}
        onChange={(e) => setPhoneId(Number(e.target.value))}
        className="rounded-md border-0 bg-white py-1.5 pr-7 pl-2 text-sm text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600"
      >
        {phones.map((p) => (
          <option key={p.id} value={p.id}>
            {p.number}
          </option>
        ))}
      </select>
      <CallButton phone={chosen} phoneLabel={`${customerName} on ${chosen.number}`} />
    </span>
  );
}
