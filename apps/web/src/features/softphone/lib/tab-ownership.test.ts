import { describe, expect, it } from 'vitest';
import { type LockManagerLike, type Ownership, TabOwnership } from './tab-ownership';

/** An in-memory Web Locks manager for one exclusive lock name: queue, ifAvailable, steal, signal. */
class FakeLocks implements LockManagerLike {
  private holder: { reject: (e: Error) => void; done: Promise<unknown> } | null = null;
  private queue: { grant: () => void; signal: AbortSignal | undefined }[] = [];

  request(
    _name: string,
    options: { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        const done = callback({ name: _name });
        this.holder = { reject, done };
        done.then(
          (v) => {
            if (this.holder?.done === done) this.releaseNext();
            resolve(v);
          },
          (e) => reject(e),
        );
      };
      if (options.steal) {
        const previous = this.holder;
        this.holder = null;
        previous?.reject(new DOMException('stolen', 'AbortError'));
        grant();
        return;
      }
      if (this.holder === null) {
        grant();
        return;
      }
      if (options.ifAvailable) {
        callback(null).then(resolve, reject);
        return;
      }
      const entry = { grant, signal: options.signal };
      options.signal?.addEventListener('abort', () => {
        this.queue = this.queue.filter((q) => q !== entry);
        reject(new DOMException('aborted', 'AbortError'));
      });
      this.queue.push(entry);
    });
  }

  private releaseNext(): void {
    this.holder = null;
    const next = this.queue.shift();
    next?.grant();
  }
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0));

function track(t: TabOwnership): Ownership[] {
  const seen: Ownership[] = [];
  t.subscribe((s) => seen.push(s));
  return seen;
}

describe('TabOwnership', () => {
  it('makes the first tab the owner and the second one wait', async () => {
    const locks = new FakeLocks();
    const a = new TabOwnership(locks);
    const b = new TabOwnership(locks);
    a.start();
    await settle();
    b.start();
    await settle();
    expect(a.current).toBe('owner');
    expect(b.current).toBe('elsewhere');
  });

  it('hands the softphone to a waiting tab when the owner closes', async () => {
    const locks = new FakeLocks();
    const a = new TabOwnership(locks);
    const b = new TabOwnership(locks);
    a.start();
    await settle();
    b.start();
    await settle();
    a.dispose();
    await settle();
    expect(b.current).toBe('owner');
  });

  it('"Use here" takes the softphone over and the old owner learns it lost it', async () => {
    const locks = new FakeLocks();
    const a = new TabOwnership(locks);
    const b = new TabOwnership(locks);
    const aSeen = track(a);
    a.start();
    await settle();
    b.start();
    await settle();
    b.takeOver();
    await settle();
    expect(b.current).toBe('owner');
    expect(a.current).toBe('elsewhere');
    expect(aSeen).toEqual(['owner', 'elsewhere']);

    // and back: the old owner was queued again, so it can take over in turn or inherit on close
    b.dispose();
    await settle();
    expect(a.current).toBe('owner');
  });

  it('owns at once where the browser has no Web Locks', () => {
    const t = new TabOwnership(null);
    t.start();
    expect(t.current).toBe('owner');
  });

  it('does nothing after dispose', async () => {
    const locks = new FakeLocks();
    const a = new TabOwnership(locks);
    a.start();
    await settle();
    const b = new TabOwnership(locks);
    b.start();
    await settle();
    b.dispose();
    a.dispose();
    await settle();
    expect(b.current).toBe('elsewhere');
  });
});
