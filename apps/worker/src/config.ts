import { AdbConfig } from '@ish/adb';
import { JobWorkerConfig } from '@ish/jobs';
import { ConfigParts, InstanceKeyConfig, PlatformConfig } from '@ish/platform';
import { ProvidersConfig } from '@ish/providers';
import { BudgetsConfig } from '@ish/budgets';
import { RelayCoreConfig } from '@ish/relay-core';
import { WebhooksConfig } from '@ish/webhooks';

/**
 * What the worker reads, validated together at start: the relay's AI-call code, the adb code and webhook
 * delivery run here, on the jobs lib's consumers (JobWorkerConfig). No gateway and no guard: it serves health and metrics only.
 */
export const CONFIG_PARTS: ConfigParts = [PlatformConfig, InstanceKeyConfig, ProvidersConfig, RelayCoreConfig, BudgetsConfig, AdbConfig, WebhooksConfig, JobWorkerConfig];
