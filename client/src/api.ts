/**
 * fetch with the bearer token. Errors come back as application/problem+json; they become an
 * ApiError whose message (title, code and detail) is shown to the user.
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly detail: string, title: string) {
    super(`${title} (${code}): ${detail}`);
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** PUT a JSON body, or text with its content type (a CSV register). */
  put<T>(path: string, body: unknown, contentType?: string): Promise<T>;
}

export function createApi(token: () => string | null, onUnauthenticated: () => void): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const tok = token();
    if (tok) headers.authorization = `Bearer ${tok}`;
    if (body !== undefined) {
      headers['content-type'] = contentType;
      headers['idempotency-key'] = `ui-${crypto.randomUUID()}`;
    }
    let res: Response;
    try {
      const payload = body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : String(body);
      res = await fetch(path, { method, headers, body: payload });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err), 'Network error');
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
    if (!res.ok) {
      const p = (parsed && typeof parsed === 'object' ? parsed : {}) as { code?: string; detail?: string; title?: string };
      if (res.status === 401) onUnauthenticated();
      throw new ApiError(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? res.statusText, p.title ?? 'Error');
    }
    return parsed as T;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    del: (path) => call('DELETE', path),
    patch: (path, body) => call('PATCH', path, body),
    put: (path, body, contentType) => call('PUT', path, body, contentType),
  };
}
