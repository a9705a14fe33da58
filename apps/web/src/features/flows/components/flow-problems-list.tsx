import type { FlowProblem } from '@switchboard/shared';

/** The flow's problems (the count over `count`), each leading to its component when it has one. */
export function FlowProblemsList({
  count,
  shown,
  onSelect,
}: {
  count: number;
  shown: FlowProblem[];
  onSelect: (componentId: string | null) => void;
}) {
  return (
    <section aria-label="Problems">
      <h2 className="text-sm font-semibold text-slate-900">
        {count === 0 ? 'Ready to publish' : `${count} problem(s)`}
      </h2>
      <ul className="mt-1 space-y-1 text-xs text-red-700">
        {shown.map((p) => (
          <li key={`${p.componentId}-${p.field}-${p.message}`}>
            {p.componentId ? (
              <button
                type="button"
                className="text-left hover:underline"
                onClick={() => onSelect(p.componentId)}
              >
                {p.message}
              </button>
            ) : (
              p.message
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
