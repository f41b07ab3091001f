/**
 * The panel's only way to the data: the admin REST API v1 with the session cookie the sign-in
 * set (the browser sends it; scripts cannot read it), and the session's CSRF token on writes.
 */
export interface Session {
  role: 'viewer' | 'operator' | 'owner';
  scope: 'read' | 'write' | 'admin';
  expiresAt: string;
  csrfToken: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';
let onSignedOut: () => void = () => undefined;

export const setCsrf = (token: string) => {
  csrf = token;
};
export const whenSignedOut = (handler: () => void) => {
  onSignedOut = handler;
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok) {
    const error = data?.error ?? { code: 'HTTP', message: response.statusText };
    if (response.status === 401 && path !== '/session') onSignedOut();
    throw new ApiFailure(response.status, error.code, error.message);
  }
  return data as T;
}

export const query = (params: Record<string, string | number | undefined>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
};

export const can = (session: Session, need: 'read' | 'write' | 'admin') =>
  ['read', 'write', 'admin'].indexOf(session.scope) >= ['read', 'write', 'admin'].indexOf(need);
