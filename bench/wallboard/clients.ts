// 200 wallboards as a browser keeps them open: one Server-Sent Events stream each on /api/events,
// logged in as a supervisor. Run by wallboard.ts in its own process so the server's CPU is its own.
// Each event's delay = arrival here − its `at` (set when the server published it; same clock).
//   npx tsx bench/wallboard/clients.ts <baseUrl> <cookie> <streams> <seconds> [types]
const [baseUrl, cookie, streamsArg, secondsArg, types] = process.argv.slice(2);
const streams = Number(streamsArg);
const seconds = Number(secondsArg);
const delays: number[] = [];
const perType = new Map<string, number>();
let open = 0;

async function stream(signal: AbortSignal): Promise<void> {
  const query = types ? `?types=${encodeURIComponent(types)}` : '';
  const res = await fetch(`${baseUrl}/api/events${query}`, {
    headers: { cookie: cookie!, accept: 'text/event-stream' },
    signal,
  });
  if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
  open++;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    const now = Date.now();
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!type || !data || type === 'ready') continue;
      const at = (JSON.parse(data) as { at?: number }).at;
      if (typeof at !== 'number') continue;
      delays.push(now - at);
      perType.set(type, (perType.get(type) ?? 0) + 1);
    }
  }
}

const stop = new AbortController();
const all = Array.from({ length: streams }, () => stream(stop.signal).catch(() => {}));
const ready = setInterval(() => {
  if (open === streams) {
    clearInterval(ready);
    process.stdout.write('ready\n');
  }
}, 50);
setTimeout(() => {
  stop.abort();
  void Promise.all(all).then(() => {
    delays.sort((a, b) => a - b);
    const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? null;
    process.stdout.write(
      `${JSON.stringify({ streams: open, events: delays.length, perType: Object.fromEntries(perType), p50: q(0.5), p95: q(0.95), p99: q(0.99), max: delays.at(-1) ?? null })}\n`,
    );
    process.exit(0);
  });
}, seconds * 1000);
