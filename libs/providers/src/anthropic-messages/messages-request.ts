import type { MessageCountTokensParams, MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';

import { ANTHROPIC_VERSIONS, AnthropicVersion } from '../adapters/anthropic/anthropic-spec';

// the route speaks the versions the Anthropic adapter speaks: one list for both directions
export { ANTHROPIC_VERSIONS };
export type { AnthropicVersion };

/** A request without `anthropic-version` is read as the oldest version: it refuses the least. */
export const DEFAULT_ANTHROPIC_VERSION: AnthropicVersion = '2023-06-01';

/** Sampling parameters that `2023-06-01` takes and `2026-10-21` refuses (the SDK types of 2026-10-21 dropped them). */
export interface LegacySamplingParams {
  temperature?: number;
  top_p?: number;
  top_k?: number;
}

/** ISH Chat's extension: drop what the chosen provider cannot honour instead of refusing it (API.md "Relay — chat"). */
export interface IshExtensions {
  drop_params?: boolean;
}

/** A validated `POST /v1/messages` body, in either version. */
export type MessagesRequest = MessageCreateParamsBase & LegacySamplingParams & IshExtensions;

/** A validated `POST /v1/messages/count_tokens` body. */
export type CountTokensRequest = MessageCountTokensParams;
