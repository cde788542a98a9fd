import { ChildProcess, execFileSync, spawn } from 'child_process';
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * A real kube-apiserver (with its etcd) on loopback, for tests: the envtest layout (a folder
 * holding `kube-apiserver` and `etcd`, as `setup-envtest` makes it; see test/support/envtest.ts),
 * started with NamespaceLifecycle, LimitRanger, PodSecurity and ResourceQuota admission on
 * (ServiceAccount admission off), on free ports, with a fresh service-account key and a random bearer token.
 * No controllers, scheduler or kubelet run: objects are validated, admitted, defaulted, stored.
 */

/** One HTTP exchange with the API server. */
export interface ApiResponse {
  readonly status: number;
  /** The response body as text (JSON for API calls). */
  readonly body: string;
  /** The text of every `Warning:` header (RFC 7234 `299 - "text"`), in order. */
  readonly warnings: readonly string[];
}

/** A running API server. */
export interface ApiServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The asset folder it was started from. */
  readonly assets: string;
  /** `gitVersion` from GET /version, e.g. `v1.28.15` (from `kube-apiserver --version` when the build reports none). */
  readonly version: string;
  /** The minor version as a number (28 for v1.28.15). */
  readonly minor: number;
  /** Milliseconds from spawning etcd to `/readyz` answering ok. */
  readonly startupMs: number;
  /** Sends one request; `body` is sent as is, with `contentType` (default `application/json`). */
  request(method: string, urlPath: string, body?: string, contentType?: string): Promise<ApiResponse>;
  /** Kills both processes (SIGTERM, then SIGKILL after 5 s) and removes the temporary folder. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long to wait for `/readyz` (default 90 s). */
  readonly timeoutMs?: number;
  /** Attempts with fresh ports when a port was taken in the meantime (default 3). */
  readonly attempts?: number;
}

/**
 * The version `kube-apiserver --version` of an asset folder reports (`1.28.15`). A binary that is
 * missing or does not run is an error (given assets must work); when it runs but prints no
 * `vX.Y.Z` (a development build), the folder name `setup-envtest` gives it (`1.35.0-linux-amd64`)
 * is read instead, and failing that too is an error.
 */
export function assetsVersion(assets: string): string {
  const binary = path.join(assets, 'kube-apiserver');
  let out: string;
  try {
    out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; status?: number | null; stderr?: string; message: string };
    const why = err.code === 'ENOENT' ? 'does not exist'
      : err.code === 'EACCES' ? 'is not executable'
        : `does not start (${err.status !== undefined && err.status !== null ? `exit ${err.status}` : err.message.split('\n')[0]}${err.stderr ? `: ${err.stderr.trim().split('\n')[0]}` : ''})`;
    throw new Error(`envtest assets ${assets}: ${binary} ${why}; an envtest asset folder holds working kube-apiserver and etcd binaries (setup-envtest use -p path 1.35.x)`);
  }
  const m = /v(1\.\d+\.\d+)/.exec(out) ?? /(?:^|\D)(1\.\d+\.\d+)/.exec(path.basename(assets));
  if (!m) throw new Error(`envtest assets ${assets}: cannot tell the Kubernetes version: \`kube-apiserver --version\` printed ${JSON.stringify(out.trim())} and the folder name has no version`);
  return m[1];
}

/** Starts etcd and kube-apiserver from `assets` and resolves once `/readyz` is ok. */
export async function startApiServer(assets: string, options: StartOptions = {}): Promise<ApiServer> {
  for (const binary of ['kube-apiserver', 'etcd']) {
    const file = path.join(assets, binary);
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      throw new Error(`${file} is missing or not executable (an envtest asset folder holds kube-apiserver and etcd)`);
    }
  }
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(assets, options.timeoutMs ?? 90_000);
    } catch (e) {
      if (!(e instanceof PortTakenError) || attempt >= attempts) throw e;
    }
  }
}

class PortTakenError extends Error {}

/** Processes started by this module and not yet stopped, killed when the process exits. */
const live = new Set<{ readonly children: ChildProcess[]; readonly dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanUp = (): void => {
    for (const { children, dir } of live) {
      for (const child of children) killQuietly(child.pid!, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
    live.clear();
  };
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.kill(process.pid, signal);
    });
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Free loopback ports: bound to port 0 all at once (so they differ), then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map(s => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
  return ports;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

async function startOnce(assets: string, timeoutMs: number): Promise<ApiServer> {
  installExitHook();
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-apiserver-'));
  const [clientPort, peerPort, securePort] = await freePorts(3);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey);
  const token = randomBytes(16).toString('hex');
  fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`, { mode: 0o600 });

  const etcdLog = path.join(dir, 'etcd.log');
  const apiLog = path.join(dir, 'kube-apiserver.log');
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const children: ChildProcess[] = [];
  const entry = { children, dir };
  let agent: https.Agent | undefined;
  const spawnLogged = (binary: string, args: string[], log: string): ChildProcess => {
    const fd = fs.openSync(log, 'a');
    const child = spawn(path.join(assets, binary), args, { stdio: ['ignore', fd, fd], cwd: dir });
    fs.closeSync(fd);
    child.on('error', () => undefined); // a failed spawn leaves pid undefined, reported below
    if (child.pid === undefined) throw new Error(`could not start ${binary} from ${assets}`);
    children.push(child);
    return child;
  };
  live.add(entry);

  /** The watchdog, then the apiserver, then etcd. */
  const stop = async (): Promise<void> => {
    if (!live.delete(entry)) return;
    agent?.destroy();
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
      killQuietly(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => killQuietly(child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const etcd = spawnLogged('etcd', [
      '--data-dir', path.join(dir, 'etcd'), '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl, '--initial-cluster', `default=${peerUrl}`,
    ], etcdLog);
    const apiserver = spawnLogged('kube-apiserver', [
      `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`, `--cert-dir=${path.join(dir, 'pki')}`,
      '--service-cluster-ip-range=10.96.0.0/16', '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,PodSecurity,ResourceQuota',
      '--disable-admission-plugins=ServiceAccount', '--enable-priority-and-fairness=false',
      '--profiling=false', '--allow-privileged=true', '--endpoint-reconciler-type=none',
    ], apiLog);

    // Should this process die by SIGKILL (no exit hook runs), a detached watchdog kills both.
    const watchdog = spawn('/bin/sh', ['-c', 'while kill -0 "$0" 2>/dev/null; do sleep 2; done; kill -9 "$1" "$2" 2>/dev/null; rm -rf "$3"',
      String(process.pid), String(etcd.pid), String(apiserver.pid), dir], { detached: true, stdio: 'ignore' });
    watchdog.unref();
    if (watchdog.pid !== undefined) children.push(watchdog);

    const url = `https://127.0.0.1:${securePort}`;
    const certFile = path.join(dir, 'pki', 'apiserver.crt');
    const request = (method: string, urlPath: string, body?: string, contentType = 'application/json'): Promise<ApiResponse> => {
      if (!agent) throw new Error('the API server has not written its serving certificate yet');
      return send(agent, url, token, method, urlPath, body, contentType);
    };

    const deadline = started + timeoutMs;
    for (;;) {
      for (const [child, name, log] of [[etcd, 'etcd', etcdLog], [apiserver, 'kube-apiserver', apiLog]] as const) {
        if (child.exitCode !== null || child.signalCode !== null) {
          const logTail = tail(log);
          if (/address already in use/.test(logTail)) throw new PortTakenError(`${name}: a port was taken`);
          throw new Error(`${name} (${assets}) exited with ${child.exitCode ?? child.signalCode} before the API server was ready; its log ends:\n${logTail}`);
        }
      }
      if (!agent && fs.existsSync(certFile)) {
        agent = new https.Agent({ ca: fs.readFileSync(certFile), keepAlive: true, maxSockets: 8 });
      }
      if (agent) {
        const ready = await request('GET', '/readyz').catch(() => undefined);
        if (ready?.status === 200 && ready.body.trim() === 'ok') break;
      }
      if (Date.now() > deadline) {
        throw new Error(`kube-apiserver (${assets}) was not ready within ${timeoutMs / 1000} s; its log ends:\n${tail(apiLog)}\n--- etcd log ends:\n${tail(etcdLog, 10)}`);
      }
      await sleep(250);
    }
    const startupMs = Date.now() - started;
    // Builds without version stamping answer `v0.0.0-master+$Format:%H$` (the 1.28.15 asset
    // does); then the binary's `--version` is the truth.
    const reported = (JSON.parse((await request('GET', '/version')).body) as { gitVersion: string }).gitVersion;
    const version = /^v1\.\d+\./.test(reported) ? reported : `v${assetsVersion(assets)}`;
    const minor = Number(/^v\d+\.(\d+)/.exec(version)![1]);
    return { url, assets, version, minor, startupMs, request, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Parses `Warning` header values (`299 - "text"`) into their texts. */
function warningTexts(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'warning') continue;
    const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(rawHeaders[i + 1]);
    out.push(m ? m[1].replace(/\\(.)/g, '$1') : rawHeaders[i + 1]);
  }
  return out;
}

function send(agent: https.Agent, base: string, token: string, method: string, urlPath: string, body: string | undefined, contentType: string): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    if (payload) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = payload.length;
    }
    const req = https.request(new URL(urlPath, base), { method, agent, headers, timeout: 60_000 }, res => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings: warningTexts(res.rawHeaders) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
