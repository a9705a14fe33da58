import type { WaitingMove } from '@switchboard/shared';

type Move = WaitingMove['move'];

/*
 * The list is shown latest arrival on top (docs/agent-desk.md), so the call served next is at the
 * bottom. The server counts the other way: `up` is one place closer to being served, i.e. one row
 * down on screen; `top` is served next, i.e. the bottom row.
 */

/** The list (call ids, top to bottom) with the row at `from` moved to `to`. */
export function moveRow(order: readonly string[], from: number, to: number): string[] {
  const next = [...order];
  const [id] = next.splice(from, 1);
  if (id === undefined) return next;
  next.splice(to, 0, id);
  return next;
}

/** The server moves that take the row at index `from` to index `to` (0 = top of the screen). */
export function movesFor(rowCount: number, from: number, to: number): Move[] {
  if (from === to || from < 0 || to < 0 || from >= rowCount || to >= rowCount) return [];
  if (to === rowCount - 1) return ['top'];
  const move: Move = to > from ? 'up' : 'down';
  return Array.from({ length: Math.abs(to - from) }, () => move);
}
