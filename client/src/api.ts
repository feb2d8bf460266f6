/**
 * fetch with the browser's session cookie (httpOnly: the page never sees the token); state-changing
 * calls carry the CSRF token from the sfund_csrf cookie in X-CSRF-Token. Errors come back as application/problem+json; they become an
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
}

/** The CSRF token the server set beside the session cookie (double submit). */
export function csrfToken(): string {
  const m = /(?:^|;\s*)sfund_csrf=([^;]*)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

export function createApi(onUnauthenticated: () => void): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['idempotency-key'] = `ui-${crypto.randomUUID()}`;
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
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
  };
}
