import { afterEach, describe, expect, it, vi } from 'vitest';
import { microphoneProblem, openMicrophone } from './microphone';

const failure = (name: string) => Object.assign(new Error(name), { name });

describe('openMicrophone', () => {
  afterEach(() => vi.unstubAllGlobals());

  function devicesThatFail(first: Error | null) {
    const stream = { id: 'stream' } as unknown as MediaStream;
    const getUserMedia = vi.fn(async (c: MediaStreamConstraints) => {
      if (first && getUserMedia.mock.calls.length === 1) throw first;
      void c;
      return stream;
    });
    vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
    return { getUserMedia, stream };
  }

  it('opens the system default when the chosen device is gone', async () => {
    const { getUserMedia, stream } = devicesThatFail(failure('OverconstrainedError'));
    const opened = await openMicrophone({ deviceId: { exact: 'gone' }, echoCancellation: true });
    expect(opened).toBe(stream);
    expect(getUserMedia.mock.calls.map((c) => c[0])).toEqual([
      { audio: { deviceId: { exact: 'gone' }, echoCancellation: true }, video: false },
      { audio: { echoCancellation: true }, video: false },
    ]);
  });

  it('does not retry when the microphone is blocked', async () => {
    const { getUserMedia } = devicesThatFail(failure('NotAllowedError'));
    await expect(openMicrophone({ deviceId: { exact: 'x' } })).rejects.toThrow('NotAllowedError');
    expect(getUserMedia).toHaveBeenCalledTimes(1);
  });
});

describe('microphoneProblem', () => {
  it('tells blocked, missing and busy apart', () => {
    expect(microphoneProblem(failure('NotAllowedError')).kind).toBe('denied');
    expect(microphoneProblem(failure('NotFoundError')).kind).toBe('missing');
    expect(microphoneProblem(failure('NotReadableError')).kind).toBe('busy');
    expect(microphoneProblem(new Error('strange')).kind).toBe('unsupported');
  });
});
