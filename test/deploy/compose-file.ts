// docker-compose.yml and the Dockerfile read as data, for test/deploy/compose.e2e.test.ts. No YAML package is
// installed, and the compose file keeps to a small subset on purpose (its header says which): this reader
// takes exactly that subset and throws on anything else, so that a construct it does not know is never
// misread into a passing test. Likewise a service key the test does not imitate is refused, not ignored.

export type Yaml = string | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  no: number;
  indent: number;
  text: string;
}

const KEY = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/;

function refuse(no: number, why: string): never {
  throw new Error(
    `docker-compose.yml line ${no}: ${why} (the test's reader takes only the subset the file's header names)`,
  );
}

/** A scalar's text, or undefined when the rest of the line is empty or a comment. */
function scalar(raw: string, no: number): string | undefined {
  const text = raw.trimStart();
  if (text === '' || text.startsWith('#')) return undefined;
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    let value = '';
    let i = 1;
    for (; ; i++) {
      if (i >= text.length) refuse(no, 'an unterminated quoted string');
      const c = text[i]!;
      if (quote === '"' && c === '\\') refuse(no, 'a backslash escape');
      if (c === quote) {
        // 'it''s': a doubled quote inside single quotes is one quote.
        if (quote === "'" && text[i + 1] === "'") {
          value += "'";
          i++;
          continue;
        }
        break;
      }
      value += c;
    }
    if (!/^\s*(#.*)?$/.test(text.slice(i + 1))) refuse(no, 'text after a quoted string');
    return value;
  }
  const plain = text.replace(/\s+#.*$/, '').trimEnd();
  if (/^[[\]{}&*!|>%@`?]/.test(plain)) refuse(no, `a value starting with ${JSON.stringify(plain[0])}`);
  if (/:\s|:$/.test(plain)) refuse(no, 'a colon followed by a space in an unquoted value');
  // YAML 1.1 reads 22:22 as a number in base 60: ports and the like must be quoted.
  if (/^\d+(:\d+)+$/.test(plain)) refuse(no, `${plain} unquoted`);
  return plain;
}

function block(lines: Line[], start: number, indent: number): [Yaml, number] {
  const isItem = (l: Line) => l.text === '-' || l.text.startsWith('- ');
  const sequence = isItem(lines[start]!);
  const list: Yaml[] = [];
  const map: Record<string, Yaml> = {};
  let i = start;
  while (i < lines.length && lines[i]!.indent >= indent) {
    const line = lines[i]!;
    if (line.indent > indent) refuse(line.no, 'unexpected indentation');
    if (isItem(line) !== sequence) refuse(line.no, 'list items and keys mixed at one level');
    if (sequence) {
      const rest = line.text.slice(1);
      if (KEY.test(rest.trim())) refuse(line.no, 'a mapping inside a list');
      const value = scalar(rest, line.no);
      if (value === undefined) refuse(line.no, 'an empty list item');
      list.push(value);
      i++;
      continue;
    }
    const m = KEY.exec(line.text);
    if (!m) refuse(line.no, `not a "key: value" line: ${line.text}`);
    const key = m[1]!;
    if (Object.hasOwn(map, key)) refuse(line.no, `the key ${key} twice`);
    const value = scalar(m[2] ?? '', line.no);
    i++;
    if (value !== undefined) map[key] = value;
    else if (i < lines.length && lines[i]!.indent > indent) [map[key], i] = block(lines, i, lines[i]!.indent);
    else map[key] = null;
  }
  return [sequence ? list : map, i];
}

/** The YAML subset: block mappings with plain keys, lists of scalars, plain or quoted scalars, comments. */
export function readYaml(text: string): Yaml {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, n) => {
    const no = n + 1;
    if (raw.includes('\t')) refuse(no, 'a tab');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (/^(---|\.\.\.)(\s|$)/.test(trimmed)) refuse(no, 'a document marker');
    lines.push({ no, indent: raw.length - raw.trimStart().length, text: trimmed });
  });
  if (lines.length === 0) return null;
  if (lines[0]!.indent !== 0) refuse(lines[0]!.no, 'an indented first line');
  const [doc, end] = block(lines, 0, 0);
  if (end !== lines.length) refuse(lines[end]!.no, 'unexpected indentation');
  return doc;
}

/** Compose's variable substitution: ${NAME}, ${NAME:-default} (also when empty), ${NAME-default}, $$. */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>): string {
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-)([^}$]*))?\}/g;
  if (value.replace(pattern, '').includes('$')) throw new Error(`unsupported substitution in ${value}`);
  return value.replace(pattern, (whole, name: string | undefined, op: string | undefined, fallback = '') => {
    if (whole === '$$') return '$';
    const set = env[name!];
    if (op === ':-') return set === undefined || set === '' ? (fallback as string) : set;
    if (op === '-') return set ?? (fallback as string);
    if (set === undefined) throw new Error(`\${${name}} has no default and is not set`);
    return set;
  });
}

export interface Mount {
  /** A named volume's name, or a bind mount's host path (starting with . or /). */
  source: string;
  target: string;
  named: boolean;
}

export interface Service {
  name: string;
  image?: string;
  build?: string;
  environment: Record<string, string>;
  ports: { host: number; container: number }[];
  volumes: Mount[];
  dependsOn: Record<string, string>;
  command?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
}

export interface Compose {
  services: Record<string, Service>;
  volumes: string[];
}

/** What each service may say: anything else would be something the test does not imitate. */
const SERVICE_KEYS = [
  'image',
  'build',
  'environment',
  'ports',
  'volumes',
  'depends_on',
  'command',
  'healthcheck',
  'restart',
];
const HEALTHCHECK_KEYS = ['test', 'interval', 'timeout', 'retries', 'start_period'];

function mapping(value: Yaml, what: string): Record<string, Yaml> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what}: expected keys`);
  return value;
}

function strings(value: Yaml, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${what}: expected a list`);
  return value as string[];
}

function text(value: Yaml, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a value`);
  return value;
}

function onlyKeys(map: Record<string, Yaml>, allowed: string[], what: string): void {
  const extra = Object.keys(map).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new Error(`${what}: ${extra.join(', ')} not imitated by the test`);
}

function service(name: string, raw: Record<string, Yaml>, env: Record<string, string | undefined>): Service {
  onlyKeys(raw, SERVICE_KEYS, `services.${name}`);
  const sub = (v: string) => interpolate(v, env);
  const s: Service = { name, environment: {}, ports: [], volumes: [], dependsOn: {} };
  if (raw['image'] !== undefined) s.image = sub(text(raw['image'], `${name}.image`));
  if (raw['build'] !== undefined) s.build = sub(text(raw['build'], `${name}.build`));
  if (raw['restart'] !== undefined) s.restart = sub(text(raw['restart'], `${name}.restart`));
  if (raw['command'] !== undefined) s.command = strings(raw['command'], `${name}.command`).map(sub);
  for (const [k, v] of Object.entries(mapping(raw['environment'] ?? {}, `${name}.environment`)))
    s.environment[k] = sub(text(v, `${name}.environment.${k}`));
  for (const p of strings(raw['ports'] ?? [], `${name}.ports`)) {
    const m = /^(\d+):(\d+)$/.exec(sub(p));
    if (!m) throw new Error(`${name}.ports: ${p} is not HOST:CONTAINER`);
    s.ports.push({ host: Number(m[1]), container: Number(m[2]) });
  }
  for (const v of strings(raw['volumes'] ?? [], `${name}.volumes`)) {
    const m = /^([^:]+):(\/[^:]*)$/.exec(sub(v));
    if (!m) throw new Error(`${name}.volumes: ${v} is not SOURCE:/TARGET`);
    s.volumes.push({ source: m[1]!, target: m[2]!, named: !/^[./~]/.test(m[1]!) });
  }
  for (const [dep, how] of Object.entries(mapping(raw['depends_on'] ?? {}, `${name}.depends_on`))) {
    const cond = mapping(how, `${name}.depends_on.${dep}`);
    onlyKeys(cond, ['condition'], `${name}.depends_on.${dep}`);
    s.dependsOn[dep] = text(cond['condition']!, `${name}.depends_on.${dep}.condition`);
  }
  if (raw['healthcheck'] !== undefined) {
    const hc = mapping(raw['healthcheck'], `${name}.healthcheck`);
    onlyKeys(hc, HEALTHCHECK_KEYS, `${name}.healthcheck`);
    s.healthcheck = { test: strings(hc['test'] ?? null, `${name}.healthcheck.test`).map(sub) };
  }
  return s;
}

/** The compose file, its variables substituted from `env` (defaults when unset). */
export function readCompose(source: string, env: Record<string, string | undefined> = {}): Compose {
  const doc = mapping(readYaml(source), 'docker-compose.yml');
  onlyKeys(doc, ['services', 'volumes'], 'docker-compose.yml');
  const services: Record<string, Service> = {};
  for (const [name, raw] of Object.entries(mapping(doc['services'] ?? null, 'services')))
    services[name] = service(name, mapping(raw, `services.${name}`), env);
  const volumes = Object.entries(mapping(doc['volumes'] ?? {}, 'volumes')).map(([name, v]) => {
    if (v !== null) throw new Error(`volumes.${name}: options are not imitated by the test`);
    return name;
  });
  return { services, volumes };
}

/** The Dockerfile's final stage: what a container of the image starts with. */
export interface ImageStage {
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[];
  /** Each RUN's shell commands, split at `&&`, as words. */
  run: string[][];
}

export function readDockerfile(source: string): ImageStage {
  const instructions = source
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  let stage: ImageStage = { env: {}, user: undefined, cmd: [], run: [] };
  for (const line of instructions) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    switch (op.toUpperCase()) {
      case 'FROM':
        stage = { env: {}, user: undefined, cmd: [], run: [] };
        break;
      case 'ENV':
        for (const pair of args.split(/\s+/)) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]*)$/.exec(pair);
          if (!m) throw new Error(`Dockerfile: ENV ${pair} is not KEY=value`);
          stage.env[m[1]!] = m[2]!;
        }
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      case 'RUN':
        stage.run.push(...args.split('&&').map((c) => c.trim().split(/\s+/)));
        break;
    }
  }
  return stage;
}
