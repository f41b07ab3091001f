// google.rpc error bodies as the Gemini API returns them: { error: { code, message, status, details } }.
// @google/genai turns any non-2xx into ApiError { status, message: <this JSON> }, so the daemon sees
// exactly these bytes.

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: Record<string, unknown>[] };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
  504: 'Deadline expired before operation could complete.',
};

export interface ErrorSpec {
  status: number;
  message?: string;
  /** 429 only: adds a google.rpc.RetryInfo detail with retryDelay "<n>s", which clients should honour. */
  retryDelaySeconds?: number;
  /** The model named in the quota violation of a 429. */
  model?: string;
}

export function googleError(spec: ErrorSpec): GoogleErrorBody {
  const body: GoogleErrorBody = {
    error: {
      code: spec.status,
      message: spec.message ?? DEFAULT_MESSAGES[spec.status] ?? 'Unknown error.',
      status: STATUS_NAMES[spec.status] ?? 'UNKNOWN',
    },
  };
  if (spec.status === 429) {
    const details: Record<string, unknown>[] = [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
            quotaDimensions: { location: 'global', model: spec.model ?? 'gemini-flash' },
            quotaValue: '10',
          },
        ],
      },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [
          {
            description: 'Learn more about Gemini API quotas',
            url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
          },
        ],
      },
    ];
    if (spec.retryDelaySeconds !== undefined) {
      details.push({
        '@type': 'type.googleapis.com/google.rpc.RetryInfo',
        retryDelay: `${spec.retryDelaySeconds}s`,
      });
    }
    body.error.details = details;
  }
  return body;
}

export const invalidApiKey = (): GoogleErrorBody => ({
  error: {
    code: 400,
    message: 'API key not valid. Please pass a valid API key.',
    status: 'INVALID_ARGUMENT',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      {
        '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
        locale: 'en-US',
        message: 'API key not valid. Please pass a valid API key.',
      },
    ],
  },
});

export const missingApiKey = (): GoogleErrorBody => ({
  error: {
    code: 403,
    message:
      "Method doesn't allow unregistered callers (callers without established identity). Please use API key or other form of API consumer identity to call this API.",
    status: 'PERMISSION_DENIED',
  },
});
