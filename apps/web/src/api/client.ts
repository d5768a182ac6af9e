import { ApiFailure, toApiFailure } from './errors';

/** What the console signs in with: a session (JWT pair) or an API key. */
export type Credential = { kind: 'session'; accessToken: string; refreshToken: string } | { kind: 'apiKey'; key: string };

/** Who is signed in (`GET /api/v1/auth/me`). */
export interface Me {
  id: string;
  email: string;
  role: 'admin' | 'operator' | 'user';
  scopes: string[];
}

/** Where the credential is kept between page loads: sessionStorage in the browser (gone with the tab). */
export interface CredentialStore {
  load(): Credential | null;
  save(credential: Credential | null): void;
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function storageCredentialStore(storage: StorageLike, key = 'ish.console.credential'): CredentialStore {
  return {
    load() {
      try {
        const parsed = JSON.parse(storage.getItem(key) ?? 'null') as Credential | null;
        if (parsed?.kind === 'session' && typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string') return parsed;
        if (parsed?.kind === 'apiKey' && typeof parsed.key === 'string') return parsed;
      } catch {
        /* unreadable: signed out */
      }
      return null;
    },
    save(credential) {
      if (credential) storage.setItem(key, JSON.stringify(credential));
      else storage.removeItem(key);
    },
  };
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The console's only way to the API (`/api/v1/*` on the same origin). Sends the credential, and on
 * a 401 of a session refreshes the token pair once (one refresh for all requests waiting on it)
 * and repeats the request; when the session cannot be refreshed the console is signed out.
 */
export class ApiClient {
  private credential: Credential | null;
  private refreshing: Promise<boolean> | null = null;
  private readonly fetch: Fetch;

  constructor(
    private readonly store: CredentialStore,
    private readonly options: { baseUrl?: string; fetch?: Fetch; onSignedOut?: () => void } = {},
  ) {
    this.credential = store.load();
    // a bare `fetch` reference called as a method of this object would lose its window binding
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get signedIn(): boolean {
    return this.credential !== null;
  }

  get credentialKind(): Credential['kind'] | null {
    return this.credential?.kind ?? null;
  }

  async signInWithPassword(email: string, password: string): Promise<Me> {
    const response = await this.fetch(this.url('/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (!response.ok) throw toApiFailure(response.status, await response.text(), response.headers);
    const pair = (await response.json()) as { accessToken: string; refreshToken: string };
    return this.adopt({ kind: 'session', accessToken: pair.accessToken, refreshToken: pair.refreshToken });
  }

  /** The key is checked (`/auth/me`) before it is kept. */
  async signInWithApiKey(key: string): Promise<Me> {
    return this.adopt({ kind: 'apiKey', key: key.trim() });
  }

  async me(): Promise<Me> {
    return this.json<Me>('GET', '/auth/me');
  }

  /** Ends the session on the server too (best effort), then forgets the credential. */
  async signOut(): Promise<void> {
    const credential = this.credential;
    this.forget(false);
    if (credential?.kind === 'session') {
      await this.fetch(this.url('/auth/logout'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: credential.refreshToken }) }).catch(() => undefined);
    }
  }

  /** A JSON request; resolves to the parsed body, or undefined for 204. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The raw 2xx response, for streams (SSE) and binary bodies; a non-2xx answer throws an ApiFailure. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const first = await this.attempt(method, path, options);
    let response = first.response;
    if (response.status === 401 && this.credential?.kind === 'session' && (await this.refreshOnce(first.token))) {
      response = (await this.attempt(method, path, options)).response;
    }
    if (response.status === 401 && this.credential?.kind === 'session') this.forget(true);
    if (!response.ok) throw toApiFailure(response.status, await response.text(), response.headers);
    return response;
  }

  private async attempt(method: string, path: string, options: RequestOptions): Promise<{ response: Response; token: string | undefined }> {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    const token = this.bearer();
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(this.url(path), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    return { response, token };
  }

  /** One refresh at a time; a request whose token was already replaced just tries again. */
  private refreshOnce(usedToken: string | undefined): Promise<boolean> {
    if (this.credential?.kind !== 'session') return Promise.resolve(false);
    if (usedToken !== this.credential.accessToken) return Promise.resolve(true);
    this.refreshing ??= this.refresh(this.credential.refreshToken).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(refreshToken: string): Promise<boolean> {
    try {
      const response = await this.fetch(this.url('/auth/refresh'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
      if (!response.ok) return false;
      const pair = (await response.json()) as { accessToken: string; refreshToken: string };
      if (this.credential?.kind !== 'session') return false;
      this.credential = { kind: 'session', accessToken: pair.accessToken, refreshToken: pair.refreshToken };
      this.store.save(this.credential);
      return true;
    } catch {
      return false;
    }
  }

  private async adopt(credential: Credential): Promise<Me> {
    const previous = this.credential;
    this.credential = credential;
    try {
      const me = await this.me();
      this.store.save(credential);
      return me;
    } catch (error) {
      this.credential = previous;
      throw error;
    }
  }

  private forget(notify: boolean): void {
    this.credential = null;
    this.store.save(null);
    if (notify) this.options.onSignedOut?.();
  }

  private bearer(): string | undefined {
    if (!this.credential) return undefined;
    return this.credential.kind === 'session' ? this.credential.accessToken : this.credential.key;
  }

  private url(path: string): string {
    return `${this.options.baseUrl ?? '/api/v1'}${path}`;
  }
}

export { ApiFailure };
