import type { CustomerPhone } from '@switchboard/shared';

export interface PhoneRow {
  key: number;
  /** Set for a phone the customer already has. */
  id?: number;
  /** The number as the server showed it (possibly masked). */
  original?: string;
  value: string;
}

let nextKey = 1;
export function newPhoneRow(value = ''): PhoneRow {
  return { key: nextKey++, value };
}

export function rowsFromPhones(phones: CustomerPhone[]): PhoneRow[] {
  return phones.length
    ? phones.map((p) => ({ key: nextKey++, id: p.id, original: p.number, value: p.number }))
    : [newPhoneRow()];
}

/**
 * What the API gets for the phone list: an unchanged existing phone goes by reference (`{ id }`), so a
 * masked number is kept without its digits ever being known here; anything typed goes as text.
 */
export function phonesForRequest(rows: PhoneRow[]): (string | { id: number })[] {
  return rows.map((r) => (r.id !== undefined && r.value === r.original ? { id: r.id } : r.value.trim()));
}

/** Client-side check before sending: an empty row gets a message at its index. */
export function emptyPhoneErrors(rows: PhoneRow[]): Record<string, string> {
  const errors: Record<string, string> = {};
  rows.forEach((r, i) => {
    if (!r.value.trim()) errors[`phones.${i}`] = 'Enter a phone number or remove the row';
  });
  return errors;
}
