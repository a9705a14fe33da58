import { type LiveEvent, type Role, roleAtLeast } from '@switchboard/shared';

/** Who may see an event: named users, everyone at or above a role, and/or named portal subscribers. */
export interface Audience {
  userIds?: number[];
  minRole?: Role;
  subscriberIds?: number[];
}

/** A staff user's stream, or a prepaid subscriber's portal stream. */
export type Viewer = { userId: number; role: Role } | { subscriberId: number };

export interface PublishedEvent {
  id: number;
  event: LiveEvent;
  audience: Audience;
}

type Listener = (e: PublishedEvent) => void;

function visibleTo(audience: Audience, viewer: Viewer): boolean {
  if ('subscriberId' in viewer) return audience.subscriberIds?.includes(viewer.subscriberId) ?? false;
  if (audience.userIds?.includes(viewer.userId)) return true;
  return audience.minRole !== undefined && roleAtLeast(viewer.role, audience.minRole);
}

/**
 * Fans live events out to the SSE streams of the sessions allowed to see them. Keeps the last
 * events so a stream that reconnects with Last-Event-ID misses nothing that happened meanwhile.
 */
export class EventBus {
  private nextId = 1;
  private readonly recent: PublishedEvent[] = [];
  private readonly listeners = new Set<{ viewer: Viewer; listener: Listener }>();
  private readonly taps = new Set<(event: LiveEvent) => void>();
  private readonly streams = new Set<{ userId: number | null; session: string; end: () => void }>();

  constructor(private readonly keep = 1000) {}

  publish(event: LiveEvent, audience: Audience): void {
    const published: PublishedEvent = { id: this.nextId++, event, audience };
    this.recent.push(published);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const { viewer, listener } of this.listeners) {
      if (visibleTo(audience, viewer)) listener(published);
    }
    for (const tap of this.taps) tap(event);
  }

  /** Every event whatever its audience, for the server's own consumers (outbound webhooks). */
  tap(listener: (event: LiveEvent) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  /** Events after `lastId` that the viewer may see, oldest first. */
  since(lastId: number, viewer: Viewer): PublishedEvent[] {
    return this.recent.filter((e) => e.id > lastId && visibleTo(e.audience, viewer));
  }

  subscribe(viewer: Viewer, listener: Listener): () => void {
    const entry = { viewer, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /**
   * Registers an open stream so it can be ended with its session or user (null: a portal
   * subscriber's stream, ended with its session); returns the unregister.
   */
  trackStream(userId: number | null, session: string, end: () => void): () => void {
    const entry = { userId, session, end };
    this.streams.add(entry);
    return () => this.streams.delete(entry);
  }

  /** Ends the open streams of a session (logout) or of a user (disabled, role changed). */
  endStreams(match: { session: string } | { userId: number }): void {
    for (const s of [...this.streams]) {
      if ('session' in match ? s.session === match.session : s.userId === match.userId) {
        this.streams.delete(s);
        s.end();
      }
    }
  }

  /** The id of the newest event; a fresh stream starts after it so it does not replay history. */
  get latestId(): number {
    return this.nextId - 1;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
