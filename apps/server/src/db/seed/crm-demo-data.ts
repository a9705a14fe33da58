import type { Kysely } from 'kysely';
import type { Database, DialTaskResult } from '../schema';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Demo outbound tasks (assigned by the supervisor) and callback plans, so the Outbound Tasks and
 * Callback Plans pages show real records on a fresh database. Written with the rest of the demo data.
 */
export async function seedCrmDemoData(
  db: Kysely<Database>,
  input: {
    userId: (username: string) => number;
    customers: { id: number; owner: number; number: string }[];
    now: number;
  },
): Promise<void> {
  const { userId, customers, now } = input;
  const startOfToday = Math.floor(now / DAY) * DAY;
  const supervisor = userId('sam');
  const notes = ['Renewal offer', 'Follow up on the quote', 'Satisfaction survey'];
  const results: DialTaskResult[] = ['pending', 'pending', 'reached'];
  for (const agent of ['alice', 'bob', 'carol', 'dave']) {
    const id = userId(agent);
    const own = customers.filter((c) => c.owner === id);
    const tasks = own.slice(0, 3).map((c, i) => ({
      customer_id: c.id,
      number: c.number,
      assigned_user_id: id,
      created_by_user_id: supervisor,
      start_at: startOfToday + (i - 1) * DAY,
      end_at: startOfToday + (i + 3) * DAY - 1,
      note: notes[i]!,
      result: results[i]!,
      created_at: now - 2 * DAY,
      updated_at: now - 2 * DAY,
    }));
    if (tasks.length) await db.insertInto('dial_tasks').values(tasks).execute();

    const plans = own.slice(3, 5).map((c, i) => ({
      customer_id: c.id,
      phone_id: null as number | null,
      number: c.number,
      owner_user_id: id,
      due_at: now + (i === 0 ? 2 * HOUR : DAY + 3 * HOUR),
      note: i === 0 ? 'Asked to be called back after lunch' : 'Send the contract, then call',
      created_at: now - DAY,
      updated_at: now - DAY,
    }));
    for (const p of plans) {
      const phone = await db
        .selectFrom('customer_phones')
        .select('id')
        .where('customer_id', '=', p.customer_id)
        .where('number', '=', p.number)
        .executeTakeFirst();
      await db
        .insertInto('callback_plans')
        .values({ ...p, phone_id: phone?.id ?? null })
        .execute();
    }
  }
}
