import type { ApiErrorBody } from '@switchboard/shared';

/** An API answer that was not 2xx, with the server's code and message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** `contentType` sends `body` as it is (a CSV file), else it is sent as JSON. */
export async function apiRequest<T>(
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      // A FormData body (a file upload) sets its own multipart content type; `contentType` sends the
      // body as it is (a CSV file); anything else is JSON.
      headers:
        body === undefined || body instanceof FormData
          ? {}
          : { 'content-type': contentType ?? 'application/json' },
      body:
        body === undefined
          ? undefined
          : body instanceof FormData
            ? body
            : contentType
              ? String(body)
              : JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(
      0,
      'network',
      'The server cannot be reached. Check your connection and try again.',
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json = text ? safeJson(text) : null;
  if (!res.ok) {
    const err = (json as ApiErrorBody | null)?.error;
    const retry = Number(res.headers.get('retry-after')) || undefined;
    throw new ApiRequestError(
      res.status,
      err?.code ?? 'http_error',
      err?.message ?? `Request failed (${res.status})`,
      err?.details,
      retry,
    );
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const api = {
  get: <T>(path: string) => apiRequest<T>('GET', path),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
  /** A file's text as the body (`text/csv`…), for import endpoints. */
  postText: <T>(path: string, text: string, contentType: string) =>
    apiRequest<T>('POST', path, text, contentType),
};
