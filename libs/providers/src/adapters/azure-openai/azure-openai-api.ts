import type { AdapterSettings, UpstreamCall } from '../adapter-types';

/**
 * The newest dated GA `api-version` of the Azure OpenAI data plane, for instances that set a dated
 * version's form: `/openai/deployments/{deployment}/…?api-version=…`.
 */
export const AZURE_OPENAI_GA_API_VERSION = '2024-10-21';

/**
 * `apiVersion` unset or `v1`: the v1 API (`/openai/v1/…`, `model` in the body), the default because it
 * is GA since August 2025 and needs no monthly api-version bumps; `preview` is v1 with preview
 * features; a dated version (`2024-10-21`, `2025-04-01-preview`, …) uses the deployments form.
 */
export const AZURE_OPENAI_DEFAULT_API_VERSION = 'v1';

/** How each OpenAI Chat Completions parameter reaches Azure OpenAI: the body is OpenAI's. */
export const AZURE_OPENAI_PARAMETERS = {
  model: 'v1: the deployment name in the body; dated versions: the URL /openai/deployments/{deployment}, removed from the body',
  web_search_options: 'unsupported: Azure OpenAI chat completions has no web search',
  drop_params: 'ours: removed from the body',
  '*': 'every other parameter is forwarded unchanged; one the api-version does not know is answered 400 by Azure and returned as is',
} as const;

export const AZURE_OPENAI_API = {
  type: 'azure-openai',
  label: 'Azure OpenAI',
  /** each resource has its own endpoint, https://{resource}.openai.azure.com */
  defaultBaseUrl: undefined,
  defaultApiVersion: AZURE_OPENAI_DEFAULT_API_VERSION,
  gaApiVersion: AZURE_OPENAI_GA_API_VERSION,
  parameters: AZURE_OPENAI_PARAMETERS,
} as const;

export type AzureOpenAIOperation = 'chat/completions' | 'embeddings';

/** The deployment that serves `model`: `deployments[model]`, else a deployment named like the model. */
export function azureDeployment(settings: Pick<AdapterSettings, 'model' | 'deployments'>): string {
  return settings.deployments?.[settings.model] || settings.model;
}

function apiVersionOf(settings: Pick<AdapterSettings, 'apiVersion'>): string {
  return settings.apiVersion?.trim() || AZURE_OPENAI_DEFAULT_API_VERSION;
}

/** true for the v1 API (`v1`, `preview`), false for a dated api-version. */
export function usesV1Api(settings: Pick<AdapterSettings, 'apiVersion'>): boolean {
  const version = apiVersionOf(settings);
  return version === 'v1' || version === 'preview';
}

export function azureHeaders(settings: Pick<AdapterSettings, 'apiKey'>): Record<string, string> {
  return settings.apiKey ? { 'api-key': settings.apiKey } : {};
}

/** Path and query of an operation for the instance's API form. */
export function azureOperation(settings: Pick<AdapterSettings, 'model' | 'deployments' | 'apiVersion'>, operation: AzureOpenAIOperation): Pick<UpstreamCall, 'path' | 'query'> {
  const version = apiVersionOf(settings);
  if (version === 'v1') return { path: `/openai/v1/${operation}` };
  if (version === 'preview') return { path: `/openai/v1/${operation}`, query: { 'api-version': 'preview' } };
  return { path: `/openai/deployments/${encodeURIComponent(azureDeployment(settings))}/${operation}`, query: { 'api-version': version } };
}

/** The health probe: the models list answers an api-key without touching a deployment. */
export function azureOpenAIProbe(settings: Pick<AdapterSettings, 'apiKey' | 'apiVersion'>): UpstreamCall {
  const version = apiVersionOf(settings);
  const headers = azureHeaders(settings);
  if (version === 'v1') return { method: 'GET', path: '/openai/v1/models', headers };
  if (version === 'preview') return { method: 'GET', path: '/openai/v1/models', query: { 'api-version': 'preview' }, headers };
  return { method: 'GET', path: '/openai/models', query: { 'api-version': version }, headers };
}
