import type { RecordedRequest } from './request-recorder';

export const FAULT_MODES = ['none', 'error500', 'error503', 'rate_limit', 'hang', 'slow', 'malformed', 'drop'] as const;

export type FaultMode = (typeof FAULT_MODES)[number];

/** The wire protocol a simulator speaks. */
export const SIM_PROTOCOLS = ['openai', 'gemini', 'anthropic'] as const;

export type SimProtocol = (typeof SIM_PROTOCOLS)[number];

export interface SimFault {
  mode: FaultMode;
  /** Apply to the next N chat/model requests, then revert to `none`. Unset: until cleared. */
  count?: number;
  /** For `rate_limit`; default 1. */
  retryAfterSeconds?: number;
  /** For `slow`; default 2000. */
  delayMs?: number;
  /**
   * Only model calls (POST: chat, messages, embeddings, generateContent) take the fault; model listings,
   * which gateways use as health probes, pass untouched and use none of `count`. Default false.
   */
  callsOnly?: boolean;
}

export interface SimStats {
  requests: number;
  chatCompletions: number;
  streamed: number;
  models: number;
  errors: number;
  inFlight: number;
  maxInFlight: number;
  byModel: Record<string, number>;
  lastRequest?: { model: string; messages: number };
}

export interface ProviderSimOptions {
  /** 0 = random free port. */
  port?: number;
  host?: string;
  name?: string;
  models?: string[];
  /** Fixed delay before answering a chat/models request. */
  latencyMs?: number;
  /** Delay between streamed chunks. */
  streamChunkDelayMs?: number;
  /** When set, API requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** `openai` (default), `gemini` (Google's native API) or `anthropic` (Anthropic's Messages API): tools/provider-sim/README.md. */
  protocol?: SimProtocol;
  /** false: embeddings are answered in floats whatever `encoding_format` asks (a server that cannot encode base64). Default true. */
  embeddingsBase64?: boolean;
}

export interface ProviderSim {
  /** http://host:port, without /v1. */
  url: string;
  port: number;
  name: string;
  close(): Promise<void>;
  setFault(fault: SimFault): void;
  clearFault(): void;
  stats(): SimStats;
  resetStats(): void;
  /** the newest API requests as received, oldest first (bodies byte for byte, credentials redacted) */
  requests(limit?: number): RecordedRequest[];
  clearRequests(): void;
}
