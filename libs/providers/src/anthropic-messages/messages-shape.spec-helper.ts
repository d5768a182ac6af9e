/** The fields of a Message the gateway always writes and never fills (no OpenAI equivalent). */
export const UNFILLED_MESSAGE_FIELDS = { stop_details: null, container: null, diagnostics: null };

/** The usage fields the gateway always writes and never fills; tests put the counts they check beside them. */
export const UNFILLED_USAGE_FIELDS = { cache_creation: null, inference_geo: null, output_tokens_details: null, server_tool_use: null, service_tier: 'standard', speed: null };
