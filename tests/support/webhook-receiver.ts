import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { waitFor } from './system';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** Answers the nth request (1-based) with this status. */
export type Responder = (n: number, request: ReceivedWebhook) => number;

/** A webhook consumer on 127.0.0.1: records every request and answers as told. */
export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly respond: Responder,
  ) {}

  static async start(respond: Responder = () => 204): Promise<WebhookReceiver> {
    const server: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        receiver.requests.push(request);
        const status = receiver.respond(receiver.requests.length, request);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `status ${status} from the test receiver` : '');
      });
    });
    const receiver = new WebhookReceiver(server, respond);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver.port = (server.address() as AddressInfo).port;
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/ish`;
  }

  /** whether the consumer takes requests now (false between `down()` and `up()`) */
  get listening(): boolean {
    return this.server.listening;
  }

  /** The consumer goes away: its port refuses connections until `up()`. */
  async down(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The consumer is back, on the same URL. */
  async up(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** the requests whose body mentions `text`, once there are at least `count` */
  async waitFor(count: number, text = '', timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
    return waitFor(`${count} webhook request(s)${text ? ` about ${text}` : ''}`, async () => {
      const matching = this.requests.filter((r) => r.body.includes(text));
      return matching.length >= count ? matching : undefined;
    }, timeoutMs, 20);
  }

  /** verifies like a consumer does, with the standardwebhooks package; answers the parsed body */
  static verify<T>(secret: string, request: ReceivedWebhook): T {
    return new Webhook(secret).verify(request.body, request.headers) as T;
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }
}
