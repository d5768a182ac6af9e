import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_URL, serviceUrl, STACK_DIR, testSecrets, api, signUp, waitForModel } from '@ish/test-support';
import { startProviderSim } from '@ish/provider-sim';
import type { ProviderSim } from '@ish/provider-sim';
import type { Operation } from './openapi';
import type { Outcome } from './driver';
import type { FuzzRequest } from './requests';
import type { Dictionary } from './values';
import type { CredentialSource } from './wire';

/** Where requests go, in the test system: through the gateway. */
export const FUZZ_BASE_URL = GATEWAY_URL;

/** a port nothing listens on (discard): webhook and instance URLs that lead nowhere */
const CLOSED_PORT = 9;
const CHAT_MODEL = 'fuzz-model';
/** JWT sessions of the fuzz user: each has its own rate-limit budget (API.md: per credential) */
const USER_SESSIONS = 16;
/** access tokens live 15 minutes in the test system; log in again before that */
const SESSION_RENEW_MS = 10 * 60_000;

interface Owned {
  id: string;
  credential: 'admin' | 'user';
}

/**
 * The fuzz runs against the shared test system: it brings its own credentials and throwaway
 * resources to aim at, remembers what the fuzz creates or changes, and puts it all back afterwards,
 * so the tests that run after it find the system as it was.
 */
export class FuzzEnvironment {
  readonly dictionary: Dictionary = { ids: [], words: [], urls: [] };
  private readonly secrets = new Set<string>();
  private readonly adminKey = testSecrets().adminApiKey;
  private userTokens: string[] = [];
  /** the user's session for setup and cleanup: the fuzz never uses it, so its rate-limit budget stays whole */
  private userMaintenanceToken = '';
  private userLogin?: { email: string; password: string };
  private userTokensAt = 0;
  private nextUser = 0;
  private sim?: ProviderSim;
  private chatInstanceId?: string;
  private readonly created = { instances: new Set<string>(), webhooks: new Map<string, Owned>(), keys: new Map<string, Owned>(), devices: new Set<string>() };
  private before?: { routing: unknown; scaling: unknown; instances: Set<string>; devices: Set<string>; webhooks: Record<Owned['credential'], Set<string>> };

  readonly credentials: CredentialSource = {
    admin: () => this.adminKey,
    user: () => {
      const token = this.userTokens[this.nextUser++ % this.userTokens.length];
      return token;
    },
  };

  constructor(private readonly log: (line: string) => void) {
    this.secrets.add(this.adminKey);
  }

  /** Credentials, throwaway resources to aim at, and a snapshot of what the fuzz may change. */
  async prepare(): Promise<void> {
    const me = await api('GET', '/api/v1/auth/me', { token: this.adminKey });
    if (me.status !== 200) throw new Error(`the admin API key does not work (${me.status})`);
    await this.loginUser();

    // a provider simulator so chat requests reach a real upstream; its instance is never fuzzed
    this.sim = await startProviderSim({ name: 'fuzz-sim', models: [CHAT_MODEL] });
    const chat = await this.admin<{ id: string }>('POST', '/api/v1/instances', { name: 'fuzz-chat', providerType: 'openai-compatible', baseUrl: `${this.sim.url}/v1`, models: [CHAT_MODEL] });
    this.chatInstanceId = chat.id;
    await waitForModel(CHAT_MODEL);

    this.before = {
      routing: await this.admin('GET', '/api/v1/routing'),
      scaling: await this.admin('GET', '/api/v1/instances/scaling'),
      instances: new Set((await this.admin<{ id: string }[]>('GET', '/api/v1/instances')).map((i) => i.id)),
      devices: new Set((await this.admin<{ serial: string }[]>('GET', '/api/v1/android/devices')).map((d) => d.serial)),
      webhooks: {
        admin: new Set((await this.admin<{ id: string }[]>('GET', '/api/v1/webhooks')).map((w) => w.id)),
        user: new Set((await this.as<{ id: string }[]>('user', 'GET', '/api/v1/webhooks')).map((w) => w.id)),
      },
    };

    // throwaway targets for the operations on one resource: fuzzing them may change or delete them
    const victim = await signUp('fuzz-victim');
    this.remember(victim.accessToken, victim.refreshToken);
    const target = await this.admin<{ id: string }>('POST', '/api/v1/instances', {
      name: 'fuzz-target',
      providerType: 'openai-compatible',
      baseUrl: `${this.sim.url}/v1`,
      models: ['fuzz-target-model'],
    });
    this.created.instances.add(target.id);
    const ids: string[] = [victim.userId, target.id];
    const conversations: string[] = [];
    for (const credential of ['admin', 'user'] as const) {
      const key = await this.as<{ id: string; key: string }>(credential, 'POST', '/api/v1/auth/api-keys', { name: `fuzz-throwaway-${credential}`, scopes: ['chat'] });
      this.remember(key.key);
      this.created.keys.set(key.id, { id: key.id, credential });
      const hook = await this.as<{ id: string; secret: string }>(credential, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${CLOSED_PORT}/fuzz-hook`, events: ['job.completed'] });
      this.remember(hook.secret);
      this.created.webhooks.set(hook.id, { id: hook.id, credential });
      const reply = await this.as<{ conversationId: string }>(credential, 'POST', '/api/v1/relay', { message: 'hello from the fuzzer', model: CHAT_MODEL });
      const job = await this.as<{ jobId: string }>(credential, 'POST', '/api/v1/relay', { message: 'a queued hello', model: CHAT_MODEL, mode: 'async' });
      ids.push(key.id, hook.id, reply.conversationId);
      conversations.push(reply.conversationId);
      this.dictionary.words.push(job.jobId);
    }
    this.dictionary.ids.push(...ids);
    this.dictionary.fields = {
      model: [CHAT_MODEL, 'auto', `openai-compatible/${CHAT_MODEL}`],
      provider: ['openai-compatible'],
      conversationId: conversations,
      serial: ['emulator-5554', '127.0.0.1:5555'],
    };
    this.dictionary.words.push(CHAT_MODEL, 'auto', `openai-compatible/${CHAT_MODEL}`, 'emulator-5554', '127.0.0.1:5555', 'localhost');
    this.dictionary.urls.push(`http://127.0.0.1:${CLOSED_PORT}/`, `${this.sim.url}/v1`);
  }

  /** Tracks what a fuzzed request created, to remove it afterwards, and the secrets it was given. */
  onAnswer = (operation: Operation, request: FuzzRequest, outcome: Outcome): void => {
    if (outcome.status === null || outcome.status >= 300 || !outcome.body) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(outcome.body) as Record<string, unknown>;
    } catch {
      return;
    }
    if (!body || typeof body !== 'object') return;
    for (const field of ['key', 'secret', 'accessToken', 'refreshToken']) if (typeof body[field] === 'string') this.remember(body[field] as string);
    const credential = request.credential === 'user' ? 'user' : 'admin';
    const id = typeof body.id === 'string' ? body.id : undefined;
    if (operation.key === 'POST /api/v1/instances' && id) this.created.instances.add(id);
    if (operation.key === 'POST /api/v1/webhooks' && id) this.created.webhooks.set(id, { id, credential });
    if (operation.key === 'POST /api/v1/auth/api-keys' && id) this.created.keys.set(id, { id, credential });
    if (operation.key === 'POST /api/v1/android/devices/connect' && typeof body.serial === 'string') this.created.devices.add(body.serial);
  };

  /** Puts back what the fuzz changed; returns what could not be put back. */
  async restore(): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        problems.push(`cleanup: ${what}: ${this.redact((error as Error).message)}`);
      }
    };
    if (!this.before) return problems;
    const before = this.before;
    await attempt('routing policy', () => this.admin('PUT', '/api/v1/routing', before.routing));
    await attempt('scaling policy', () => this.admin('PUT', '/api/v1/instances/scaling', before.scaling));
    await attempt('instances', async () => {
      const now = (await this.admin<{ id: string }[]>('GET', '/api/v1/instances')).map((i) => i.id);
      const extra = new Set([...this.created.instances, ...now.filter((id) => !before.instances.has(id) && id !== this.chatInstanceId)]);
      for (const id of extra) await this.deleteIfThere(`/api/v1/instances/${id}`, 'admin');
    });
    await attempt('webhooks', async () => {
      for (const credential of ['admin', 'user'] as const) {
        const now = (await this.as<{ id: string }[]>(credential, 'GET', '/api/v1/webhooks')).map((w) => w.id);
        for (const id of now.filter((id) => !before.webhooks[credential].has(id))) await this.deleteIfThere(`/api/v1/webhooks/${id}`, credential);
      }
    });
    await attempt('API keys', async () => {
      for (const key of this.created.keys.values()) await this.deleteIfThere(`/api/v1/auth/api-keys/${key.id}`, key.credential);
    });
    await attempt('devices', async () => {
      const now = (await this.admin<{ serial: string }[]>('GET', '/api/v1/android/devices')).map((d) => d.serial);
      for (const serial of new Set([...this.created.devices, ...now.filter((s) => !before.devices.has(s))])) {
        if (/:\d+$/.test(serial)) await this.deleteIfThere(`/api/v1/android/devices/${encodeURIComponent(serial)}/disconnect`, 'admin', 'POST');
      }
    });
    return problems;
  }

  async close(): Promise<void> {
    if (this.chatInstanceId) await api('DELETE', `/api/v1/instances/${this.chatInstanceId}`, { token: this.adminKey }).catch(() => undefined);
    await this.sim?.close();
  }

  /** Renews the user's sessions when their access tokens near their end. */
  async renewSessions(): Promise<void> {
    if (Date.now() - this.userTokensAt > SESSION_RENEW_MS) await this.loginUser();
  }

  redact = (text: string): string => {
    let out = text;
    for (const secret of this.secrets) if (secret.length >= 8) out = out.split(secret).join('<secret>');
    return out
      .replace(/ish_[A-Za-z0-9_-]{16,}/g, 'ish_<secret>')
      .replace(/whsec_[A-Za-z0-9+/=_-]{8,}/g, 'whsec_<secret>')
      .replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '<jwt>');
  };

  private async loginUser(): Promise<void> {
    if (!this.userLogin) {
      const user = await signUp('fuzz');
      this.userLogin = { email: user.email, password: user.password };
      this.remember(user.accessToken, user.refreshToken);
    }
    const tokens: string[] = [];
    for (let i = 0; i <= USER_SESSIONS; i++) {
      const login = await api<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/login', { body: this.userLogin });
      if (login.status !== 200) throw new Error(`fuzz user login failed: ${login.status}`);
      this.remember(login.body.accessToken, login.body.refreshToken);
      tokens.push(login.body.accessToken);
    }
    this.userMaintenanceToken = tokens.pop()!;
    this.userTokens = tokens;
    this.userTokensAt = Date.now();
  }

  private remember(...secrets: string[]): void {
    for (const secret of secrets) if (secret) this.secrets.add(secret);
  }

  private admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.as<T>('admin', method, path, body);
  }

  private async as<T = unknown>(credential: 'admin' | 'user', method: string, path: string, body?: unknown): Promise<T> {
    const token = credential === 'admin' ? this.adminKey : this.userMaintenanceToken;
    const response = await api<T>(method, path, { token, body });
    if (response.status >= 300) throw new Error(`${method} ${path} as ${credential}: ${response.status} ${this.redact(JSON.stringify(response.body))}`);
    return response.body;
  }

  private async deleteIfThere(path: string, credential: 'admin' | 'user', method = 'DELETE'): Promise<void> {
    const token = credential === 'admin' ? this.adminKey : this.userMaintenanceToken;
    const response = await api(method, path, { token });
    if (response.status >= 300 && response.status !== 404) throw new Error(`${method} ${path}: ${response.status}`);
    this.log(`  cleanup: ${method} ${path.replace(/[0-9a-f-]{36}/g, (id) => id.slice(0, 8))} → ${response.status}`);
  }
}

export interface AppLiveness {
  service: string;
  pid: number;
  port: number;
  alive: boolean;
  health: number | null;
}

/** Every app process of the test system (STACK_DIR/apps.json): is its pid alive, does its /health answer? */
export async function appLiveness(): Promise<AppLiveness[]> {
  const file = resolve(STACK_DIR, 'apps.json');
  if (!existsSync(file)) return [];
  const apps = JSON.parse(readFileSync(file, 'utf8')) as { service: string; port: number; pid: number }[];
  return Promise.all(
    apps.map(async ({ service, port, pid }) => {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      let health: number | null = null;
      try {
        health = (await fetch(`${serviceUrl(service as never, port)}/health`, { signal: AbortSignal.timeout(5000) })).status;
      } catch {
        health = null;
      }
      return { service, pid, port, alive, health };
    }),
  );
}
