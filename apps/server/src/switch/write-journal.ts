import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * An append-only file of pending writes, one JSON line each, flushed to disk (fsync) before the
 * append returns: what the database could not take survives a crash or a restart. A write is
 * followed by a `done` line once the database has it; the file is emptied when nothing is pending.
 * A line cut short by a crash while it was written is ignored when the file is read back.
 *
 * `file` null keeps the journal in memory only (an in-memory database has nothing to recover).
 */
export class WriteJournal<T> {
  private fd: number | null = null;
  private nextSeq = 1;
  private readonly pending: Array<{ seq: number; entry: T }> = [];

  constructor(file: string | null) {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // no journal yet
    }
    const done = new Set<number>();
    const written: Array<{ seq: number; entry: T }> = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      let parsed: { seq?: number; entry?: T; done?: number };
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof parsed.done === 'number') done.add(parsed.done);
      else if (typeof parsed.seq === 'number' && parsed.entry !== undefined)
        written.push({ seq: parsed.seq, entry: parsed.entry });
      this.nextSeq = Math.max(this.nextSeq, (parsed.seq ?? parsed.done ?? 0) + 1);
    }
    for (const w of written) if (!done.has(w.seq)) this.pending.push(w);
    this.fd = openSync(file, 'a');
    if (this.pending.length === 0) this.truncate();
  }

  /** Writes not yet marked done, oldest first. */
  get entries(): readonly T[] {
    return this.pending.map((p) => p.entry);
  }

  get size(): number {
    return this.pending.length;
  }

  append(entry: T): void {
    const seq = this.nextSeq++;
    this.writeLine({ seq, entry });
    this.pending.push({ seq, entry });
  }

  /** The oldest pending write is in the database (or was given up on). */
  shift(): void {
    const head = this.pending.shift();
    if (!head) return;
    if (this.pending.length === 0) this.truncate();
    else this.writeLine({ done: head.seq });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private writeLine(line: object): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
  }

  private truncate(): void {
    if (this.fd === null) return;
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
  }
}
