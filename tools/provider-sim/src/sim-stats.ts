import { SimStats } from './types';

function emptyStats(): SimStats {
  return { requests: 0, chatCompletions: 0, streamed: 0, models: 0, errors: 0, inFlight: 0, maxInFlight: 0, byModel: {} };
}

export class StatsRecorder {
  private stats = emptyStats();

  requestStarted(): void {
    this.stats.requests += 1;
    this.stats.inFlight += 1;
    if (this.stats.inFlight > this.stats.maxInFlight) this.stats.maxInFlight = this.stats.inFlight;
  }

  requestFinished(): void {
    this.stats.inFlight -= 1;
  }

  chatCompletion(): void {
    this.stats.chatCompletions += 1;
  }

  chatBody(model: string, messages: number, stream: boolean): void {
    this.stats.byModel[model] = (this.stats.byModel[model] ?? 0) + 1;
    this.stats.lastRequest = { model, messages };
    if (stream) this.stats.streamed += 1;
  }

  modelsListed(): void {
    this.stats.models += 1;
  }

  error(): void {
    this.stats.errors += 1;
  }

  snapshot(): SimStats {
    const { lastRequest, byModel, ...counters } = this.stats;
    return { ...counters, byModel: { ...byModel }, ...(lastRequest ? { lastRequest: { ...lastRequest } } : {}) };
  }

  /** Keeps inFlight: those requests are still open and will finish later. */
  reset(): void {
    const inFlight = this.stats.inFlight;
    this.stats = { ...emptyStats(), inFlight, maxInFlight: inFlight };
  }
}
