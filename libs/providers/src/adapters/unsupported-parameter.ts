/**
 * A request parameter the chosen provider cannot honour: the relay answers 400 `invalid_request_error`
 * code `unsupported_parameter` with `param` set (API.md "Relay — chat"), unless the request asked
 * `drop_params`, in which case the adapter drops it and reports it instead of throwing.
 */
export class UnsupportedParameterError extends Error {
  override readonly name = 'UnsupportedParameterError';
  /** read by classifyUpstreamError: the request's fault, answered as is, never failed over */
  readonly status = 400;
  readonly code = 'unsupported_parameter';
  constructor(
    /** the parameter's path in the OpenAI request, e.g. `logit_bias` or `messages.2.content.0.input_audio` */
    readonly param: string,
    /** the provider's label, for the message */
    readonly provider: string,
    detail?: string,
  ) {
    super(`${provider} does not support \`${param}\`${detail ? `: ${detail}` : ''}; send "drop_params": true to drop it`);
  }
}
