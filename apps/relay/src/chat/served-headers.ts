import type { Response } from 'express';
import type { Served } from '@ish/relay-core';

/** Who answered and what it cost: `x-ish-instance`, `x-ish-provider`, `x-ish-model` (after aliases and fallbacks), `x-ish-cost-usd`. */
export function setServedHeaders(res: Response, served: Served, costUsd: number): void {
  res.setHeader('x-ish-instance', served.instance.id);
  res.setHeader('x-ish-provider', served.instance.providerType);
  res.setHeader('x-ish-model', served.model);
  res.setHeader('x-ish-cost-usd', formatUsd(costUsd));
}

/** A cost in plain decimal notation (a header never says `1e-7`), to 10 places. */
export function formatUsd(usd: number): string {
  return usd.toFixed(10).replace(/\.?0+$/, '');
}
