// docker-compose.yml checked against reality, without a container engine: the file is read (test/deploy/
// compose-file.ts) and held to what the relay and the Dockerfile actually do, then the two relays it
// describes are started as real `hotline serve` processes from the sources, each with exactly its service's
// environment on top of the image's. Only what a container engine would provide is stood in for: each named
// volume is one temporary directory (shared by every service that mounts it), each container's own files
// another, the `postgres` service the run's PostgreSQL (a fresh database), published ports free loopback
// ports. So a relay that loses the shared key volume gets a key of its own and the test fails, as the
// relay would in Docker. Messages across the two relays are not exchanged here (the relay's own tests do).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../server/config.js';
import { processEntry } from '../../server/module-launcher.js';
import { thumbprint } from '../../shared/jws.js';
import type { PublicJwk } from '../../shared/items.js';
import { freePort } from '../helpers/free-port.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { RawConsole, refusedUpgrade } from '../helpers/raw-console.js';
import { readCompose, readDockerfile, type ImageStage, type Service } from './compose-file.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = processEntry(new URL('../../cli/main.ts', import.meta.url));
/** The image's command, and the source file the test runs in its place. */
const IMAGE_CMD = ['node', 'dist/cli/main.js', 'serve'];
const START_MS = 45_000;

// Unset variables take their defaults, as on a machine where nobody has set HOTLINE_DB_PASSWORD.
const compose = readCompose(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
const relays = Object.values(compose.services).filter((s) => s.build !== undefined);
const postgres = Object.values(compose.services).filter((s) => s.image?.startsWith('postgres:'));

function dockerfileOf(s: Service): ImageStage {
  return readDockerfile(readFileSync(path.join(ROOT, s.build!, 'Dockerfile'), 'utf8'));
}

/** What the relay process in a container of `s` is given: the image's environment, then the service's. */
function containerEnv(s: Service): Record<string, string> {
  return { ...dockerfileOf(s).env, ...s.environment };
}

function storeUrl(s: Service): URL {
  return new URL(s.environment['HOTLINE_STORE'] ?? '');
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim());
}

function publicOrigin(s: Service): string {
  return new URL(s.environment['HOTLINE_PUBLIC_URL'] ?? '').origin;
}

describe('docker-compose.yml, read', () => {
  it('has one PostgreSQL service and two relays built from the repository Dockerfile, nothing else', () => {
    expect(postgres.map((s) => s.name)).toEqual(['postgres']);
    expect(relays).toHaveLength(2);
    expect(Object.keys(compose.services).sort()).toEqual([...postgres, ...relays].map((s) => s.name).sort());
    for (const s of relays) {
      expect(s.build, s.name).toBe('.');
      // The image's own command starts the relay: a service that overrode it would run something the test does not.
      expect(s.command, s.name).toBeUndefined();
      expect(dockerfileOf(s).cmd).toEqual(IMAGE_CMD);
      expect(s.restart, s.name).toBe('unless-stopped');
    }
  });

  it('gives PostgreSQL a volume, a pg_isready healthcheck, no published port and no weaker synchronous_commit', () => {
    const [db] = postgres;
    expect(Number(/^postgres:(\d+)/.exec(db!.image!)?.[1])).toBeGreaterThanOrEqual(18);
    // From 18 the image keeps its data in /var/lib/postgresql/<major>/docker and refuses a mount at .../data.
    expect(db!.volumes).toEqual([{ source: expect.any(String) as string, target: '/var/lib/postgresql', named: true }]);
    expect(compose.volumes).toContain(db!.volumes[0]!.source);
    expect(db!.healthcheck?.test[0]).toMatch(/^CMD(-SHELL)?$/);
    expect(db!.healthcheck?.test.join(' ')).toMatch(/\bpg_isready\b/);
    expect(db!.ports).toEqual([]);
    const settings = (db!.command ?? []).join(' ');
    for (const m of settings.matchAll(/synchronous_commit=(\S+)/g))
      expect(['on', 'remote_write', 'remote_apply']).toContain(m[1]);
    expect(settings).not.toMatch(/fsync=(off|false|0)|full_page_writes=(off|false|0)/);
    expect(db!.restart).toBe('unless-stopped');
  });

  it('points every relay at the postgres service, as its user, with its password, in its database', () => {
    const env = postgres[0]!.environment;
    for (const s of relays) {
      const url = storeUrl(s);
      expect(url.protocol, s.name).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname, s.name).toBe('postgres');
      expect(url.port || '5432', s.name).toBe('5432');
      expect(decodeURIComponent(url.username), s.name).toBe(env['POSTGRES_USER']);
      expect(decodeURIComponent(url.password), s.name).toBe(env['POSTGRES_PASSWORD']);
      expect(url.pathname, s.name).toBe(`/${env['POSTGRES_DB']}`);
      expect(s.dependsOn, s.name).toEqual({ postgres: 'service_healthy' });
    }
    // The password comes from the operator's environment, with a default said to be changed.
    const password = readCompose(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
      HOTLINE_DB_PASSWORD: 'from-the-shell',
    });
    expect(password.services['postgres']!.environment['POSTGRES_PASSWORD']).toBe('from-the-shell');
    for (const s of relays) expect(storeUrl(password.services[s.name]!).password).toBe('from-the-shell');
  });

  it('shares one relay-key volume at the folder each relay keeps its key in, and gives each its own data volume', () => {
    const keyMounts = relays.map((s) => {
      const file = containerEnv(s)['HOTLINE_RELAY_KEY_FILE'];
      expect(file, `${s.name}: HOTLINE_RELAY_KEY_FILE`).toMatch(/^\//);
      const mount = s.volumes.find((v) => file!.startsWith(`${v.target}/`));
      expect(mount, `${s.name}: no volume holds ${file}`).toBeDefined();
      expect(mount!.named, s.name).toBe(true);
      return { file, source: mount!.source };
    });
    expect(new Set(keyMounts.map((k) => k.source)).size).toBe(1);
    expect(new Set(keyMounts.map((k) => k.file)).size).toBe(1);
    const dataVolumes = relays.map((s) => {
      const dataDir = containerEnv(s)['HOTLINE_DATA_DIR'];
      const mount = s.volumes.find((v) => v.target === dataDir);
      expect(mount, `${s.name}: no volume at ${dataDir}`).toBeDefined();
      return mount!.source;
    });
    expect(new Set(dataVolumes).size).toBe(relays.length);
    expect(dataVolumes).not.toContain(keyMounts[0]!.source);
    for (const s of relays) for (const v of s.volumes) expect(compose.volumes, s.name).toContain(v.source);
  });

  it("has the image's user make and own every folder a relay's volume is mounted at", () => {
    // A named volume mounted where the image has no folder is created owned by root, and the relay (USER
    // hotline) could not write its key there: the image must make the folder for its user.
    for (const s of relays) {
      const image = dockerfileOf(s);
      expect(image.user).toBeDefined();
      const made = image.run.filter((c) => c[0] === 'mkdir').flatMap((c) => c.slice(1));
      const owned = image.run
        .filter((c) => c[0] === 'chown')
        .map((c) => c.slice(1).filter((w) => !w.startsWith('-')))
        .filter(([owner]) => owner?.split(':')[0] === image.user)
        .flatMap(([, ...paths]) => paths);
      for (const v of s.volumes) {
        expect(made, `${s.name}: the Dockerfile makes no ${v.target}`).toContain(v.target);
        expect(owned, `${s.name}: ${v.target} is not chowned to ${image.user}`).toContain(v.target);
      }
    }
  });

  it('publishes each relay on its own host port, to the port the relay listens on in its container', () => {
    const hostPorts = relays.flatMap((s) => s.ports.map((p) => p.host));
    expect(new Set(hostPorts).size).toBe(relays.length);
    for (const s of relays) {
      expect(s.ports, s.name).toEqual([
        { host: expect.any(Number) as number, container: Number(containerEnv(s)['HOTLINE_PORT']) },
      ]);
      expect(publicOrigin(s), s.name).toBe(`http://localhost:${s.ports[0]!.host}`);
    }
  });

  it("lets each relay's consoles come from any relay's page, and names every relay as an alternate", () => {
    const origins = relays.map(publicOrigin);
    for (const s of relays) {
      expect(list(s.environment['HOTLINE_ALLOWED_ORIGINS']).sort(), s.name).toEqual([...origins].sort());
      expect(list(s.environment['HOTLINE_RELAY_URLS']).sort(), s.name).toEqual([...origins].sort());
    }
  });

  it('gives the relays only variables the relay reads (server/config.ts)', () => {
    const known = new Set(Object.values(ENV_NAMES));
    for (const s of relays) {
      const unknown = Object.keys(s.environment).filter((k) => !known.has(k));
      expect(unknown, s.name).toEqual([]);
    }
  });
});

interface Running {
  service: Service;
  port: number;
  /** The relay's public origin with the published port replaced, as a browser here would send it. */
  origin: string;
  keyFile: string;
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<void>;
}

describe('docker-compose.yml, run', () => {
  let db: TestDatabase;
  let base: string;
  const running: Running[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('hotline_compose');
    base = mkdtempSync(path.join(tmpdir(), 'hotline-compose-'));
  });

  afterAll(async () => {
    for (const r of running) {
      if (r.proc.exitCode !== null || r.proc.signalCode !== null) continue;
      const gone = Promise.race([r.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      process.kill(r.proc.pid!, 'SIGTERM');
      await gone;
      if (r.proc.exitCode === null && r.proc.signalCode === null) process.kill(r.proc.pid!, 'SIGKILL');
    }
    await db?.drop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** A container path in `s`: in the directory of the volume mounted over it, else in the container's own. */
  function hostPath(s: Service, containerPath: string): string {
    const mount = s.volumes
      .filter((v) => containerPath === v.target || containerPath.startsWith(`${v.target}/`))
      .sort((a, b) => b.target.length - a.target.length)[0];
    const dir = mount
      ? path.join(base, 'volumes', mount.source, path.relative(mount.target, containerPath))
      : path.join(base, 'containers', s.name, containerPath);
    return dir;
  }

  /** The service's environment with what the engine would provide swapped for what stands in for it here. */
  function standIns(s: Service, ports: Map<number, number>): Record<string, string> {
    const env = containerEnv(s);
    for (const v of s.volumes) mkdirSync(hostPath(s, v.target), { recursive: true });
    for (const [name, value] of Object.entries(env)) {
      let v = value;
      if (v.startsWith('/')) v = hostPath(s, v);
      // Published host ports: what a browser on the host uses, in public URLs, origins and alternates.
      for (const [host, here] of ports)
        v = v.replace(new RegExp(`//(localhost|127\\.0\\.0\\.1):${host}(?!\\d)`, 'g'), `//$1:${here}`);
      env[name] = v;
    }
    // The container's port is published: here the relay listens on the free port itself, on loopback only.
    env['HOTLINE_PORT'] = String(ports.get(s.ports[0]!.host));
    env['HOTLINE_HOST'] = '127.0.0.1';
    const store = storeUrl(s);
    const url = new URL(db.url);
    url.search = store.search;
    env['HOTLINE_STORE'] = url.toString();
    return env;
  }

  function start(s: Service, env: Record<string, string>): Running {
    // A clean environment, as in a container: nothing of the test runner's own HOTLINE_* settings.
    const proc = spawn(process.execPath, [...CLI.execArgv, CLI.script, ...IMAGE_CMD.slice(2)], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r: Running = {
      service: s,
      port: Number(env['HOTLINE_PORT']),
      origin: new URL(env['HOTLINE_PUBLIC_URL']!).origin,
      keyFile: env['HOTLINE_RELAY_KEY_FILE']!,
      proc,
      stdout: '',
      stderr: '',
      exited: new Promise((resolve) => proc.once('exit', () => resolve())),
    };
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => (r.stdout += c));
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => (r.stderr += c));
    running.push(r);
    return r;
  }

  /** Ready (/readyz 200) with its banner printed to the end; fails at once when the relay exits. */
  async function ready(r: Running): Promise<void> {
    const deadline = Date.now() + START_MS;
    const url = `http://127.0.0.1:${r.port}/readyz`;
    for (;;) {
      if (r.proc.exitCode !== null || r.proc.signalCode !== null)
        throw new Error(
          `${r.service.name} exited (${r.proc.exitCode ?? r.proc.signalCode}):\n${r.stdout}\n${r.stderr}`,
        );
      const status = await fetch(url).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200 && /Terminal console:/.test(r.stdout)) return;
      if (Date.now() > deadline)
        throw new Error(`${r.service.name} not ready after ${START_MS} ms:\n${r.stdout}\n${r.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it(
    'starts both relays on one database, with one relay key, one trainer secret, and each other’s origins',
    async () => {
      const ports = new Map<number, number>();
      for (const s of relays) ports.set(s.ports[0]!.host, await freePort());
      // As compose does once PostgreSQL is healthy: both at once, racing for the key and the secret.
      const both = relays.map((s) => start(s, standIns(s, ports)));
      await Promise.all(both.map(ready));
      const [a, b] = both as [Running, Running];

      // One key file, in the shared volume; both relays serve with it.
      expect(a.keyFile).toBe(b.keyFile);
      const jwk = JSON.parse(readFileSync(a.keyFile, 'utf8')) as PublicJwk;
      const kid = await thumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
      for (const r of both) {
        const info = (await (await fetch(`http://127.0.0.1:${r.port}/v1/relay`)).json()) as { kid: string };
        expect(info.kid, r.service.name).toBe(kid);
      }

      // A page from either relay may open a console socket on the other; the challenge names the one key.
      for (const [to, page] of [
        [a, b],
        [b, a],
        [a, a],
      ] as const) {
        const c = await RawConsole.connect({ url: `http://127.0.0.1:${to.port}` }, { origin: page.origin });
        expect(c.challenge.relayKid).toBe(kid);
        c.ws.close();
      }
      const foreign = await refusedUpgrade({ url: `http://127.0.0.1:${a.port}` }, { origin: 'http://localhost:1' });
      expect(foreign.status).toBe(403);

      // The trainer secret is made and printed once, by whichever relay got there first; it opens both.
      const secrets = both.flatMap((r) => [...r.stdout.matchAll(/shown once[^\n]*\n\s+(hts_\S+)/g)].map((m) => m[1]!));
      expect(secrets).toHaveLength(1);
      for (const r of both) {
        const res = await fetch(`http://127.0.0.1:${r.port}/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ secret: secrets[0] }),
        });
        expect(res.status, r.service.name).toBe(200);
      }
    },
    START_MS + 30_000,
  );
});
