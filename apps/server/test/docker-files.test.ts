import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The image and compose files cannot be built or started here (no container engine on this machine
 * or in CI): what can be checked without one is, that they parse and agree with each other and with
 * the Kamailio and HAProxy files they mount. docker/Dockerfile's build itself is tested as
 * production-build.test.ts (the same `npm run build`, started with node).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const docker = path.join(root, 'docker');
const read = (file: string) => readFileSync(path.join(docker, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  network_mode?: string;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

function compose(file: string): Compose {
  // Merge keys (`<<: *node`) are YAML 1.1, which Compose follows.
  return parse(read(file), { merge: true }) as Compose;
}

function seconds(duration: string): number {
  const m = /^(\d+)(s|m)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

/** Services built from docker/Dockerfile: the Switchboard nodes. */
function nodes(c: Compose): Array<[string, Service]> {
  return Object.entries(c.services).filter(([, s]) => s.build?.dockerfile === 'docker/Dockerfile');
}

/** What every node service needs, in either compose file. */
function expectNode(name: string, s: Service): void {
  expect(s.build!.context, name).toBe('..');
  const env = s.environment!;
  // The image's RTP range (EXPOSE and ENV, from the build arguments) is the one the node runs with.
  expect(s.build!.args, name).toEqual({ RTP_PORT_MIN: expect.any(String), RTP_PORT_MAX: expect.any(String) });
  for (const key of ['RTP_PORT_MIN', 'RTP_PORT_MAX'] as const) {
    if (env[key] !== undefined) expect(env[key], `${name} ${key}`).toBe(s.build!.args![key]);
  }
  expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\//);
  expect(env.NODE_ID, name).toMatch(/^[A-Za-z0-9_.-]+$/);
  expect(env.SIP_PUBLIC_ADDRESS, name).toBeTruthy();
  // Docker waits longer than the drain before it kills the node.
  expect(seconds(s.stop_grace_period!), name).toBeGreaterThan(Number(env.SHUTDOWN_DRAIN_SECONDS));
  expect(s.depends_on?.db?.condition, name).toBe('service_healthy');
}

describe('docker/Dockerfile', () => {
  const file = read('Dockerfile');
  const runtime = file.slice(file.lastIndexOf('\nFROM '));

  it('runs the compiled server on Node 22 or newer as a user of its own, with a health check', () => {
    const nodeImage = /^ARG NODE_IMAGE=node:(\d+)-slim$/m.exec(file);
    expect(Number(nodeImage?.[1])).toBeGreaterThanOrEqual(22);
    expect(runtime).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "[^\n]*\/healthz/m);
    expect(runtime).toMatch(/^CMD \["node", "main\.js"\]$/m);
    expect(runtime).not.toMatch(/tsx/);
    // The build stage runs the root build (web app, then server), which lands in dist/server.
    expect(file).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist\/server \/app\/server$/m);
    expect(runtime).toMatch(/^WORKDIR \/app\/server$/m);
    // Production packages only, with the native driver built and werift patched.
    expect(file).toMatch(/npm install --omit=dev --workspace=@switchboard\/server/);
    expect(file).toMatch(/npm rebuild better-sqlite3/);
    // patch-package does not run there: every patched package comes, patched, from the build stage.
    const patched = readdirSync(path.join(root, 'patches')).map((f) => f.slice(0, f.lastIndexOf('+')));
    expect(patched.length).toBeGreaterThan(0);
    for (const name of patched) {
      expect(file).toContain(`\nCOPY --from=build /app/node_modules/${name} node_modules/${name}\n`);
    }
  });

  it('exposes the RTP range it sets, both from the same build arguments', () => {
    const min = /^ARG RTP_PORT_MIN=(\d+)$/m.exec(file)?.[1];
    const max = /^ARG RTP_PORT_MAX=(\d+)$/m.exec(file)?.[1];
    expect(Number(min)).toBeLessThan(Number(max));
    expect(runtime).toMatch(/^ARG RTP_PORT_MIN$/m);
    expect(runtime).toMatch(/^ARG RTP_PORT_MAX$/m);
    expect(runtime).toMatch(/RTP_PORT_MIN=\$\{RTP_PORT_MIN\}/);
    expect(runtime).toMatch(/RTP_PORT_MAX=\$\{RTP_PORT_MAX\}/);
    expect(runtime).toMatch(/^EXPOSE .*\$\{RTP_PORT_MIN\}-\$\{RTP_PORT_MAX\}\/udp$/m);
  });

  it('leaves the host’s node_modules and builds out of the build context', () => {
    const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toContain('**/node_modules');
    expect(ignore).toContain('**/dist');
  });
});

describe('docker/compose.yaml (one node)', () => {
  const c = compose('compose.yaml');

  it('publishes the RTP range the image is built with, and drains before it is killed', () => {
    const all = nodes(c);
    expect(all.map(([name]) => name)).toEqual(['server']);
    const [name, server] = all[0]!;
    expectNode(name, server);
    const { RTP_PORT_MIN: min, RTP_PORT_MAX: max } = server.build!.args!;
    expect(server.ports).toContain(`${min}-${max}:${min}-${max}/udp`);
    expect(server.environment!.DATABASE_URL).toMatch(/@db:5432\//);
    expect(c.services.db!.healthcheck).toBeDefined();
    for (const v of server.volumes ?? []) expect(Object.keys(c.volumes ?? {})).toContain(v.split(':')[0]);
  });
});

describe('docker/compose.cluster.yaml (two nodes, Kamailio, HAProxy)', () => {
  const c = compose('compose.cluster.yaml');
  const all = nodes(c);
  const env = (s: Service) => s.environment!;

  it('runs two nodes on one database, each with its own ports and RTP range', () => {
    expect(all).toHaveLength(2);
    for (const [name, s] of all) {
      expectNode(name, s);
      expect(s.network_mode, name).toBe('host');
      // A node's health check asks its own port.
      expect(s.healthcheck!.test.join(' '), name).toContain(`127.0.0.1:${env(s).PORT}/healthz`);
    }
    const distinct = (key: string) => new Set(all.map(([, s]) => env(s)[key])).size;
    expect(distinct('NODE_ID')).toBe(2);
    expect(distinct('PORT')).toBe(2);
    expect(distinct('SIP_PORT')).toBe(2);
    expect(distinct('DATABASE_URL')).toBe(1);
    // On the host's network the two RTP ranges must not overlap.
    const [a, b] = all.map(([, s]) => [Number(env(s).RTP_PORT_MIN), Number(env(s).RTP_PORT_MAX)] as const);
    expect(a![1] < b![0] || b![1] < a![0]).toBe(true);
    expect(c.services.db!.healthcheck).toBeDefined();
    expect(c.services.db!.command).toContain('listen_addresses=127.0.0.1');
  });

  it('lists exactly the nodes in Kamailio’s dispatcher file, and makes Kamailio their trunk', () => {
    const entries = read('kamailio/dispatcher.list')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    const sipPorts = all.map(([, s]) => `1 sip:127.0.0.1:${env(s).SIP_PORT}`);
    expect(entries.sort()).toEqual(sipPorts.sort());
    const kamailio = c.services.kamailio!;
    expect(kamailio.volumes).toContain('./kamailio/dispatcher.list:/etc/kamailio/dispatcher.list:ro');
    expect(kamailio.volumes).toContain('./kamailio/kamailio.cfg:/etc/kamailio/kamailio.cfg:ro');
    expect(kamailio.command).toContain('DISPATCHER_LIST="/etc/kamailio/dispatcher.list"');
    expect(kamailio.command).toContain('udp:127.0.0.1:5060');
    for (const [name, s] of all) expect(env(s).TRUNK_URI, name).toBe('sip:127.0.0.1:5060');
    for (const mount of [...kamailio.volumes!, ...c.services.proxy!.volumes!]) {
      const source = mount.split(':')[0]!;
      if (!source.endsWith('/certs')) expect(existsSync(path.join(docker, source)), source).toBe(true);
    }
    expect(existsSync(path.join(docker, 'kamailio/Dockerfile'))).toBe(true);
  });

  it('sends HTTPS to the nodes’ HTTP ports, sticky per browser session, checking /readyz', () => {
    const cfg = read('haproxy/haproxy.cfg');
    const servers = [...cfg.matchAll(/^\s+server (\S+) (\S+) check cookie (\S+)$/gm)];
    expect(servers.map((m) => m[2]).sort()).toEqual(
      all.map(([, s]) => `${env(s).HOST}:${env(s).PORT}`).sort(),
    );
    // Each node has a cookie value of its own, and browsers stay with a draining node.
    expect(new Set(servers.map((m) => m[3])).size).toBe(servers.length);
    expect(cfg).toMatch(/^\s+cookie \S+ insert indirect nocache httponly secure/m);
    expect(cfg).toMatch(/^\s+option persist$/m);
    expect(cfg).toMatch(/^\s+http-check send meth GET uri \/readyz /m);
    expect(cfg).toMatch(/^\s+bind :443 ssl crt /m);
    // Metrics never go out through the proxy; sign-ins are limited per address there too.
    expect(cfg).toMatch(/^\s+http-request deny deny_status 403 if \{ path_beg \/metrics \}$/m);
    expect(cfg).toMatch(/^\s+http-request track-sc0 src if METH_POST \{ path_end \/auth\/login \}$/m);
    // The nodes believe the proxy's forwarded client and scheme (it adds both).
    expect(cfg).toMatch(/^\s+option forwardfor$/m);
    expect(cfg).toMatch(/^\s+http-request set-header X-Forwarded-Proto https$/m);
    for (const [name, s] of all) expect(env(s).TRUST_PROXY, name).toBe('loopback');
    for (const [name, s] of all) expect(env(s).HOST, name).toBe('127.0.0.1');
  });

  it('haproxy (Debian’s) accepts its configuration, with a certificate where the compose file mounts one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-haproxy-check-'));
    try {
      const pem = path.join(dir, 'switchboard.pem');
      const cert = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=switchboard.test',
          '-keyout',
          pem,
          '-out',
          `${pem}.crt`,
        ],
        { encoding: 'utf8' },
      );
      expect(cert.status, cert.stderr).toBe(0);
      writeFileSync(pem, readFileSync(`${pem}.crt`, 'utf8') + readFileSync(pem, 'utf8'));
      const cfg = read('haproxy/haproxy.cfg');
      expect(cfg).toContain('/usr/local/etc/haproxy/certs/switchboard.pem');
      const copy = path.join(dir, 'haproxy.cfg');
      writeFileSync(copy, cfg.replaceAll('/usr/local/etc/haproxy/certs/switchboard.pem', pem));
      const r = spawnSync('haproxy', ['-c', '-f', copy], { encoding: 'utf8' });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(r.stderr + r.stdout).not.toMatch(/\[ALERT\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docker/kamailio/kamailio.cfg', () => {
  it('is accepted by Kamailio with the shipped dispatcher list', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-kamailio-check-'));
    try {
      const r = spawnSync(
        'kamailio',
        [
          '-c',
          '-f',
          path.join(docker, 'kamailio/kamailio.cfg'),
          '-A',
          `DISPATCHER_LIST="${path.join(docker, 'kamailio/dispatcher.list')}"`,
          '-Y',
          dir,
        ],
        { encoding: 'utf8', timeout: 20_000 },
      );
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
