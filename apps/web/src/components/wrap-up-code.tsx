/** A call's disposition (wrap-up) code under its outcome, with the wrap-up note on hover; nothing without a code. */
export function WrapUpCode({ code, note }: { code: string | null | undefined; note?: string | null }) {
  if (!code) return null;
  return (
    <span className="mt-0.5 block text-xs text-slate-600" title={note ?? undefined} data-testid="wrapup-code">
      {code}
    </span>
  );
}
