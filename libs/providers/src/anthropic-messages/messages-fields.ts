/** The top-level fields of `POST /v1/messages` (beside the legacy sampling ones). */
export const MESSAGES_CREATE_FIELDS: readonly string[] = [
  'model',
  'messages',
  'max_tokens',
  'system',
  'metadata',
  'stop_sequences',
  'stream',
  'thinking',
  'tool_choice',
  'tools',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'output_config',
  'service_tier',
  'speed',
  'drop_params',
];
/** Sampling fields that API version 2026-10-21 no longer takes. */
export const LEGACY_SAMPLING_FIELDS = ['temperature', 'top_p', 'top_k'] as const;
