import { sleep } from './figures';

/** One request of a load loop: when it started and ended, and how it came back. */
export interface Sample {
  client: string;
  start: number;
  end: number;
  /** HTTP status, or 0 when no answer came (connection error, timeout) */
  status: number;
  ok: boolean;
  /** the API.md error code of a failed request, or the connection error */
  code?: string;
  /** whether a failed request answered in the API.md error shape with an x-request-id */
  apiShape?: boolean;
}

export interface Outcome {
  status: number;
  ok: boolean;
  code?: string;
  apiShape?: boolean;
}

/**
 * Runs request loops side by side until stopped, recording every request. Each loop waits `pauseMs`
 * between its requests, so a fault shows up as failures or as a gap, never as a flood of retries.
 */
export class LoadRun {
  readonly samples: Sample[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  /** Starts `clients` loops named `name` calling `request` (its index per loop and call) until stop(). */
  add(name: string, clients: number, request: (n: number) => Promise<Outcome>, pauseMs = 0): this {
    for (let c = 0; c < clients; c++) {
      this.loops.push(
        (async () => {
          for (let n = 0; !this.stopped; n++) {
            const start = Date.now();
            let outcome: Outcome;
            try {
              outcome = await request(n);
            } catch (error) {
              outcome = { status: 0, ok: false, code: (error as Error).message };
            }
            this.samples.push({ client: name, start, end: Date.now(), ...outcome });
            if (pauseMs > 0 && !this.stopped) await sleep(pauseMs);
          }
        })(),
      );
    }
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  of(client: string): Sample[] {
    return this.samples.filter((s) => s.client === client);
  }
}

/** A request through `fetch` reduced to an Outcome: 2xx is ok; a failure keeps its API.md code and whether its shape was right. */
export async function outcomeOf(response: Response, expectOk: (body: unknown) => boolean = () => true): Promise<Outcome & { body: unknown }> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (response.ok) return { status: response.status, ok: expectOk(body), body, code: expectOk(body) ? undefined : 'unexpected_body' };
  const error = (body as { error?: { type?: unknown; code?: unknown; message?: unknown } } | undefined)?.error;
  const apiShape = !!error && typeof error.type === 'string' && typeof error.code === 'string' && typeof error.message === 'string' && !!response.headers.get('x-request-id');
  return { status: response.status, ok: false, code: typeof error?.code === 'string' ? error.code : undefined, apiShape, body };
}
