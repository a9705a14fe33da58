import { Card } from './card';
import { PageHeader } from './page-header';

/** A page whose feature has not landed: it says so plainly and shows no made-up data. */
export function NotBuiltYet({ title, what }: { title: string; what: string }) {
  return (
    <div>
      <PageHeader title={title} />
      <Card>
        <p className="text-sm font-medium text-slate-900">This page is not built yet.</p>
        <p className="mt-1 text-sm text-slate-500">{what}</p>
      </Card>
    </div>
  );
}
