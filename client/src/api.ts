/**
 * fetch with the browser's session cookie (httpOnly: the page never sees the token) and the page's language
 * (Accept-Language); state-changing calls carry the CSRF token from the sfund_csrf cookie in X-CSRF-Token.
 * The server answers refusals (application/problem+json) with title and detail in that language, figures
 * grouped. They become an ApiError whose message is what a person reads (the title and the detail, never a
 * status word or code).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly title: string,
    readonly params: Record<string, string> = {},
  ) {
    const colon = /[\u4e00-\u9fff]/.test(title) ? '：' : ': ';
    super(detail && detail !== title ? `${title}${colon}${detail}` : title);
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

/** The CSRF token the server set beside the session cookie (double submit). */
export function csrfToken(): string {
  const m = /(?:^|;\s*)sfund_csrf=([^;]*)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

export function createApi(onUnauthenticated: () => void, lang: () => 'zh' | 'en' = () => 'zh'): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': lang() === 'zh' ? 'zh-CN' : 'en' };
    if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
    if (body !== undefined) {
      headers['content-type'] = contentType;
      headers['idempotency-key'] = `ui-${crypto.randomUUID()}`;
    }
    let res: Response;
    try {
      const payload = body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : String(body);
      res = await fetch(path, { method, headers, credentials: 'same-origin', body: payload });
    } catch {
      throw new ApiError(
        0,
        'NETWORK',
        '',
        lang() === 'zh' ? '网络连接失败，请检查网络后重试' : 'The exchange could not be reached; check the connection and retry',
      );
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const p = (parsed && typeof parsed === 'object' ? parsed : {}) as {
        code?: string;
        detail?: string;
        title?: string;
        params?: Record<string, string>;
      };
      if (res.status === 401) onUnauthenticated();
      const fallback = lang() === 'zh' ? '操作未成功，请稍后重试' : 'That did not work; try again shortly';
      throw new ApiError(res.status, p.code ?? 'UNKNOWN', p.detail ?? '', p.title ?? fallback, p.params ?? {});
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
