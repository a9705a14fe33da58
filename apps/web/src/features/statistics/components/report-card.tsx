import type { ReactNode } from 'react';

/**
 * One report: its title, a CSV download, the chart (an image to screen readers, named by its
 * summary) and the same figures as a table for anyone who would rather read them.
 */
export function ReportCard({
  id,
  title,
  summary,
  csvUrl,
  chart,
  table,
}: {
  id: string;
  title: string;
  summary: string;
  csvUrl: string;
  chart: ReactNode;
  table: ReactNode;
}) {
  const headingId = `${id}-title`;
  return (
    <section
      aria-labelledby={headingId}
      data-testid={`report-${id}`}
      className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <div className="mb-3 flex items-start justify-between gap-3">
        <div>
          <h2 id={headingId} className="text-sm font-semibold text-slate-900">
            {title}
          </h2>
          <p className="text-xs text-slate-500">{summary}</p>
        </div>
        <a
          href={csvUrl}
          download
          aria-label={`Download ${title} as CSV`}
          className="inline-flex shrink-0 items-center rounded-md bg-white px-3 py-1.5 text-xs font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
        >
          CSV
        </a>
      </div>
      <div role="img" aria-label={`${title}: ${summary}`} className="h-64 w-full">
        {chart}
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-xs font-medium text-slate-600">Show as table</summary>
        <div className="mt-2 max-h-72 overflow-auto">{table}</div>
      </details>
    </section>
  );
}

export function FigureTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: string[];
  rows: ReactNode[][];
}) {
  return (
    <table className="w-full text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-left text-slate-500 uppercase">
        <tr>
          {head.map((h, i) => (
            <th key={h} scope="col" className={`py-1 pr-3 font-medium ${i > 0 ? 'text-right' : ''}`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional figures, never reordered
          <tr key={i} className="border-slate-100 border-t">
            {r.map((cell, j) =>
              j === 0 ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <th key={j} scope="row" className="py-1 pr-3 text-left font-normal whitespace-nowrap">
                  {cell}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <td key={j} className="py-1 pr-3 text-right tabular-nums">
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
