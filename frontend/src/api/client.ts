// The one place that talks HTTP: adds the token and site headers and turns failures into ApiError.
import { config } from '../config';
import { noteResponse } from './dataFreshness';
import type { ErrorEnvelope } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Seconds from Retry-After (or details.retry_after), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details: unknown = null, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** `{field: ["message"]}` from a 422, or an empty object. */
  get fieldErrors(): Record<string, string[]> {
    if (this.code !== 'validation_error' || typeof this.details !== 'object' || this.details === null) return {};
    const out: Record<string, string[]> = {};
    for (const [field, messages] of Object.entries(this.details as Record<string, unknown>)) {
      if (Array.isArray(messages)) out[field] = messages.map(String);
      else if (typeof messages === 'string') out[field] = [messages];
    }
    return out;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** Hooks the session layer installs so the client never imports React state. */
interface SessionHooks {
  getToken: () => Promise<string | null> | string | null;
  getSiteId: () => number | null;
  onUnauthorized: () => void;
}

let hooks: SessionHooks = {
  getToken: () => null,
  getSiteId: () => null,
  onUnauthorized: () => undefined,
};

export function installSessionHooks(next: Partial<SessionHooks>): void {
  hooks = { ...hooks, ...next };
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

function buildQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(key, String(v)));
    else search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON, or as multipart when a FormData. */
  body?: unknown;
  params?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Login itself answers 401 for a wrong password: that must not end the session. */
  skipUnauthorizedHandler?: boolean;
  /** Send no X-Site-ID (calls that are not about one site). */
  noSite?: boolean;
}

function parseRetryAfter(response: Response, details: unknown): number | null {
  const fromDetails = (details as { retry_after?: unknown } | null)?.retry_after;
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails)) return fromDetails;
  const header = response.headers.get('Retry-After');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function errorFrom(response: Response): Promise<ApiError> {
  let envelope: Partial<ErrorEnvelope> | null = null;
  try {
    envelope = (await response.json()) as Partial<ErrorEnvelope>;
  } catch {
    envelope = null;
  }
  const error = envelope?.error;
  const details = error?.details ?? null;
  return new ApiError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? (response.statusText || `The server answered ${response.status}.`),
    details,
    parseRetryAfter(response, details),
  );
}

/** Performs a request and returns the raw Response (already checked for success). */
export async function apiRaw(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = await hooks.getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const siteId = options.noSite ? null : hooks.getSiteId();
  if (siteId !== null) headers['X-Site-ID'] = String(siteId);
  // A form (a file upload) sets its own multipart Content-Type, boundary and all.
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}${path}${buildQueryString(options.params ?? {})}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  noteResponse(response);
  if (response.ok) return response;
  const error = await errorFrom(response);
  if (response.status === 401 && token && !options.skipUnauthorizedHandler) hooks.onUnauthorized();
  throw error;
}

/** Performs a request and decodes the JSON body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiRaw(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * A POST made signed out, or about the session itself (login, logout, reset links, invitations): no site,
 * and a 401 is the answer to show, not a sign that the session ended.
 */
export const postOutsideSession = <T>(path: string, body?: unknown) =>
  api<T>(path, { method: 'POST', body, noSite: true, skipUnauthorizedHandler: true });

/** A human sentence for any failure, for toasts and error panels. */
export function describeError(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 0) return error.message;
    if (error.status >= 500) return 'The server had a problem handling this request. Please try again in a moment.';
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}
