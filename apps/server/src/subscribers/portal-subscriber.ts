import { formatMinor, type Subscriber } from '@switchboard/shared';
import type { Db } from '../db/database';

export async function loadSubscriber(db: Db, id: number): Promise<Subscriber | null> {
  const row = await db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    phoneNumber: row.phone_number,
    balance: formatMinor(Number(row.balance_minor), row.currency),
    currency: row.currency,
    callbackNumber: row.callback_number
      ? {
          countryCode: row.callback_country ?? '',
          areaCode: row.callback_area ?? '',
          number: row.callback_number,
        }
      : null,
  };
}

export async function findSubscriberForLogin(db: Db, phoneNumber: string) {
  const digits = phoneNumber.replace(/\D+/g, '');
  return db
    .selectFrom('subscribers')
    .select(['id', 'password_hash'])
    .where('phone_number', '=', digits)
    .executeTakeFirst();
}
