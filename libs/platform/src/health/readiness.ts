import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/** A readiness check an app adds to its `/health/ready` beside database, Redis and RabbitMQ. */
export type ReadinessCheck = () => Promise<HealthIndicatorResult>;

/** Apps register their own checks here (the worker: its BullMQ consumers really consume). */
@Injectable()
export class ReadinessRegistry {
  readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }
}

/** Rejects when `work` takes longer than `ms`, so a hung dependency cannot hang the probe. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
