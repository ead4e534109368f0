// Test helpers: a fake API on fetch, and rendering inside the app's providers with a memory router.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router-dom';
import { vi } from 'vitest';
import { exampleValues } from '../api/fieldList';
import { INTERACTION_FIELDS, type InteractionInput } from '../api/interactionFields';
import type { Interaction, Role, User } from '../api/types';
import { SessionContext, type SessionValue } from '../session/SessionContext';
import { Toaster } from '../components/Toaster';
import { SiteProvider } from '../session/SiteContext';

export interface FakeRequest {
  method: string;
  url: URL;
  body: unknown;
  headers: Headers;
}

type Handler = (req: FakeRequest) => Response | Promise<Response>;

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

export const apiError = (status: number, code: string, message: string, details: unknown = null, headers = {}) =>
  json({ error: { code, message, details } }, status, headers);

/** Replaces fetch: routes "GET /api/interactions" style keys to handlers, records every request. */
export function mockApi(handlers: Record<string, Handler>) {
  const requests: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const req = {
      method,
      url,
      // A multipart upload stays a FormData for the handler to read.
      body: init?.body instanceof FormData ? init.body : init?.body ? JSON.parse(String(init.body)) : undefined,
      headers: new Headers(init?.headers),
    };
    requests.push(req);
    const exact = handlers[`${method} ${url.pathname}`];
    const pattern = Object.entries(handlers).find(([key]) => {
      const [m, p] = key.split(' ');
      return m === method && p?.includes(':id') && new RegExp(`^${p.replace(':id', '\\d+')}$`).test(url.pathname);
    })?.[1];
    const handler = exact ?? pattern;
    if (!handler) return apiError(404, 'not_found', `No fake for ${method} ${url.pathname}`);
    return handler(req);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests, fetchMock };
}

export const makeUser = (role: Role = 'editor', extraSites: User['sites'] = []): User => ({
  id: 7,
  username: 'editor',
  email: 'editor@example.com',
  display_name: 'Eddie Editor',
  default_site_id: 1,
  sites: [{ id: 1, name: 'Headquarters', role }, ...extraSites],
});

export const makeInteraction = (overrides: Partial<Interaction> = {}): Interaction => ({
  id: 11,
  site_id: 1,
  // Each field's example from the field list: a new field needs no edit here.
  ...(exampleValues(INTERACTION_FIELDS) as InteractionInput),
  version: 3,
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-02T10:00:00Z',
  created_by: { id: 1, display_name: 'Ada Admin' },
  updated_by: { id: 1, display_name: 'Ada Admin' },
  ...overrides,
});

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

export function renderWithApp(
  element: ReactElement,
  { path = '/', route = '/', user = makeUser() }: { path?: string; route?: string; user?: User } = {},
) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const session: SessionValue = {
    mode: 'local',
    status: 'signed-in',
    user,
    signOutReason: null,
    signIn: vi.fn(),
    signInWithRedirect: vi.fn(),
    signOut: vi.fn(),
    signOutEverywhere: vi.fn(),
    refreshUser: vi.fn(async () => undefined),
    endSession: vi.fn(),
  };
  const router = createMemoryRouter(
    [
      {
        path,
        element: (
          <>
            {element}
            <LocationProbe />
          </>
        ),
      },
      { path: '*', element: <LocationProbe /> },
    ],
    { initialEntries: [route] },
  );
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <Toaster>
        <SessionContext.Provider value={session}>
          <SiteProvider user={user}>
            <RouterProvider router={router} />
          </SiteProvider>
        </SessionContext.Provider>
      </Toaster>
    </QueryClientProvider>,
  );
  return { ...utils, router, queryClient, session };
}
