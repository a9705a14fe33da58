/** Half-open time intervals [start, end) in epoch ms. */
export type Interval = [number, number];

/** The intervals clipped to [from, to), overlaps and touching ones merged, in order. */
export function union(list: Interval[], from: number, to: number): Interval[] {
  const clipped = list
    .map(([s, e]): Interval => [Math.max(s, from), Math.min(e, to)])
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [s, e] of clipped) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The parts of `a` inside `b` (both merged and in order, as `union` gives them). */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]![0], b[j]![0]);
    const e = Math.min(a[i]![1], b[j]![1]);
    if (e > s) out.push([s, e]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export const totalMs = (list: Interval[]) => list.reduce((sum, [s, e]) => sum + (e - s), 0);
