import { describe, expect, it } from 'vitest';
import { emptyPhoneErrors, newPhoneRow, phonesForRequest, rowsFromPhones } from './phone-rows';

describe('phone rows', () => {
  it('sends unchanged existing phones by reference and edited or new ones as text', () => {
    const rows = rowsFromPhones([
      { id: 7, number: '+12*******77', label: null },
      { id: 8, number: '+12025550178', label: null },
    ]);
    rows[1] = { ...rows[1]!, value: '+1 202 555 0199' };
    rows.push({ ...newPhoneRow(), value: ' 415 555 0100 ' });
    expect(phonesForRequest(rows)).toEqual([{ id: 7 }, '+1 202 555 0199', '415 555 0100']);
  });

  it('starts a customer without phones with one empty row', () => {
    const rows = rowsFromPhones([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.value).toBe('');
  });

  it('flags empty rows by index', () => {
    expect(emptyPhoneErrors([newPhoneRow('1'), newPhoneRow('  ')])).toEqual({
      'phones.1': 'Enter a phone number or remove the row',
    });
  });
});
