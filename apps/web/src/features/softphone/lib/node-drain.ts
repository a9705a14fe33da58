/**
 * What a desk does when the server node it is signed in to drains (docs/operations.md, "Draining a
 * node"): it moves to another node by loading the page again (the load balancer no longer sends new
 * sessions to a draining node), but never in the middle of a call, and only once per drain, so a
 * desk with nowhere else to go stays rather than reloading over and over.
 */
export type DrainAction =
  /** The node is not draining. */
  | 'none'
  /** A call is up (or ringing): the desk moves once it is over. */
  | 'after-call'
  /** Load the page again now. */
  | 'move'
  /** It already moved for this drain and came back to the same node: nowhere else to go. */
  | 'stay';

/** The session-storage entry that remembers which drain (by its start) this tab already moved for. */
export const MOVED_FOR_DRAIN_KEY = 'switchboard.movedForDrain';

export function drainAction(
  drainingSince: number | null,
  callUp: boolean,
  movedForDrain: string | null,
): DrainAction {
  if (drainingSince === null) return 'none';
  if (callUp) return 'after-call';
  return movedForDrain === String(drainingSince) ? 'stay' : 'move';
}
