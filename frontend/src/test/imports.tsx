// An import as the API answers it, and the import page rendered against the fake API, for the import screens' tests.
import type { Import, PreviewRow } from '../api/imports';
import { ImportPage } from '../imports/ImportPage';
import { json, makeUser, renderWithApp, type FakeRequest } from './utils';

export const makeImport = (overrides: Partial<Import> = {}): Import => ({
  id: 7,
  filename: 'contacts.csv',
  status: 'mapping',
  created_at: '2026-11-30T09:00:00Z',
  created_by: 'editor',
  finished_at: null,
  undo_until: null,
  format: 'csv',
  encoding: 'utf-8',
  delimiter: ',',
  sheets: [],
  sheet: null,
  columns: [
    { index: 0, header: 'Subject', samples: ['Kick-off', 'Review'], field: 'title', date_order: null, date_order_ambiguous: false },
    { index: 1, header: 'Organiser', samples: ['Ada', 'Grace'], field: null, date_order: null, date_order_ambiguous: false },
    { index: 2, header: 'When', samples: ['03/04/2026 10:00'], field: 'start_datetime', date_order: 'day_first', date_order_ambiguous: false },
  ],
  fields: [
    { name: 'title', label: 'Title', required: true },
    { name: 'lead', label: 'Lead', required: true },
    { name: 'start_datetime', label: 'Start', required: true },
  ],
  timezone: 'Europe/Berlin',
  duplicates: 'skip',
  counts: { rows: 5, valid: 3, invalid: 1, duplicate: 1, imported: 0, skipped: 0, failed: 0 },
  progress: { done: 0, total: 3 },
  problems: [],
  can_discard: true,
  version: 1,
  ...overrides,
});

export const previewRow = (overrides: Partial<PreviewRow> = {}): PreviewRow => ({
  row: 2,
  values: { title: 'Kick-off', lead: 'Ada', start_datetime: '2026-04-03T08:00:00Z' },
  errors: {},
  duplicate: false,
  ...overrides,
});

export const renderImport = (route = '/imports', user = makeUser()) =>
  renderWithApp(<ImportPage />, { path: '/imports/:id?', route, user });

export const list = (items: Import[] = []) => json({ items, page: 1, page_size: 25, total: items.length, pages: 1 });
export const zones = () => json({ items: ['Europe/Berlin', 'Europe/London', 'UTC'] });
export const preview = (items: PreviewRow[], total = items.length, imp = makeImport()) =>
  json({ items, total, page: 1, page_size: 25, counts: imp.counts });
export const patches = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'PATCH').map((r) => r.body);

export const csv = (text = 'Subject,Organiser\nKick-off,Ada\n', name = 'contacts.csv') => new File([text], name, { type: 'text/csv' });
