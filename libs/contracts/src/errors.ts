/** The error shape of API.md: every non-2xx answer of every service has this body. */
export const ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'conflict_error',
  'rate_limit_error',
  'upstream_error',
  'api_error',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

export interface ErrorBody {
  error: {
    type: ErrorType;
    code: string;
    message: string;
    /** OpenAI-compatible endpoints name the offending parameter */
    param?: string;
    details?: ErrorDetail[];
  };
}
