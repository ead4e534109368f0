import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BulkJob } from '../api/bulk';
import { ANNOUNCER_ID } from '../shortcuts/announce';
import { ShortcutsHost } from '../shortcuts/ShortcutsHost';
import { apiError, json, makeInteraction, makeUser, mockApi, renderWithApp } from '../test/utils';
import { FinderPage } from './FinderPage';

const rows = [
  makeInteraction({ id: 1, title: 'Alpha call', version: 2 }),
  makeInteraction({ id: 2, title: 'Beta visit', version: 5 }),
];
const page = (total = rows.length) =>
  json({ items: rows, page: 1, page_size: 25, total, pages: Math.ceil(total / 25), total_exact: true });

const job = (overrides: Partial<BulkJob> = {}): BulkJob => ({
  id: 7, action: 'change', status: 'done', changes: { type: 'Call' }, total: 2, processed: 2, changed: 2, unchanged: 0,
  conflicts: 0, failed: 0, left_alone: [], can_undo: false, stalled: false, can_resume: false, undo_of: null, undone_by: null,
  created_at: '2026-12-06T10:00:00Z', finished_at: '2026-12-06T10:00:01Z', ...overrides,
});

const renderFinder = (route = '/interactions', user = makeUser()) =>
  renderWithApp(<FinderPage />, { path: '/interactions', route, user });

const bar = () => within(screen.getByRole('region', { name: 'Bulk actions' }));
/** A row's checkbox: named "Select row", described by the row's title. */
const rowBox = async (title: string) =>
  (await screen.findAllByRole('checkbox', { name: 'Select row' })).find((box) => box.getAttribute('aria-describedby') &&
    document.getElementById(box.getAttribute('aria-describedby')!)?.textContent === title)!;

describe('bulk actions in the Finder', () => {
  it('shows no checkboxes and no bar to a viewer', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder('/interactions', makeUser('viewer'));
    await screen.findByText('Alpha call');
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
  });

  it('changes the type of the ticked rows after a confirmation that says how many', async () => {
    const { requests } = mockApi({ 'GET /api/interactions': () => page(), 'POST /api/bulk': () => json(job()) });
    renderFinder();
    const alpha = await rowBox('Alpha call');
    expect(alpha).toHaveAccessibleDescription('Alpha call');
    await userEvent.click(alpha);
    expect(bar().getByText('1 selected')).toBeInTheDocument();
    await userEvent.click(await rowBox('Beta visit'));
    await userEvent.selectOptions(bar().getByLabelText('Change type'), 'Call');
    const dialog = screen.getByRole('dialog', { name: 'Change the type of 2 records?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change 2 records' }));
    await screen.findByText('Changed 2 records.');
    const sent = requests.find((r) => r.url.pathname === '/api/bulk');
    expect(sent?.body).toEqual({ action: 'change', changes: { type: 'Call' }, ids: [{ id: 1, version: 2 }, { id: 2, version: 5 }] });
    expect(sent?.headers.get('X-Site-ID')).toBe('1');
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
  });

  it('selects the page from the header, then all matching with the criteria and the moment the server gave', async () => {
    const { requests } = mockApi({
      'GET /api/interactions': () => page(140),
      'POST /api/bulk/selection': () => json({ total: 140, over_limit: false, limit: 100000, as_of: '2026-12-06T10:00:00Z' }),
      'POST /api/bulk': () => json(job({ action: 'change', changes: { lead: 'Nora Lind' }, changed: 139, conflicts: 1, left_alone: [{ id: 2, title: 'Beta visit' }] })),
    });
    renderFinder('/interactions?type=Call&search=budget');
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select every row on this page' }));
    expect(bar().getByText('2 selected')).toBeInTheDocument();
    await userEvent.click(bar().getByRole('button', { name: 'Select all 140 matching' }));
    expect(await bar().findByText('All 140 records matching selected')).toBeInTheDocument();
    expect(requests.find((r) => r.url.pathname === '/api/bulk/selection')?.body).toEqual({ query: { search: 'budget', type: ['Call'] } });
    await userEvent.click(bar().getByRole('button', { name: 'Change lead' }));
    const dialog = screen.getByRole('dialog', { name: 'Change the lead of 140 records' });
    await userEvent.type(within(dialog).getByLabelText('New lead'), 'Nora Lind');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change 140 records' }));
    const report = await screen.findByRole('region', { name: 'Bulk action report' });
    expect(within(report).getByText(/Changed 139 records\. Left alone 1 record that someone else changed/)).toBeInTheDocument();
    expect(within(report).getByRole('link', { name: 'Beta visit' })).toHaveAttribute('href', '/interactions/2');
    expect(requests.find((r) => r.url.pathname === '/api/bulk')?.body).toEqual({
      action: 'change', changes: { lead: 'Nora Lind' }, query: { search: 'budget', type: ['Call'] }, as_of: '2026-12-06T10:00:00Z',
    });
  });

  it('follows a large action until it is done, then offers one Undo for a bulk delete', async () => {
    let polls = 0;
    const { requests } = mockApi({
      'GET /api/interactions': () => page(),
      'POST /api/bulk': () => json(job({ action: 'delete', status: 'running', processed: 0, total: 2, changed: 0 }), 202),
      'GET /api/bulk/:id': (req) =>
        req.url.pathname.endsWith('/8')
          ? json(job({ id: 8, action: 'undo', undo_of: 7 }))
          : json(++polls < 2 ? job({ action: 'delete', status: 'running', processed: 1, changed: 1 }) : job({ action: 'delete', can_undo: true })),
      'POST /api/bulk/7/undo': () => json(job({ id: 8, action: 'undo', undo_of: 7 })),
    });
    renderFinder();
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select every row on this page' }));
    await userEvent.click(bar().getByRole('button', { name: 'Delete' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete 2 records?' })).getByRole('button', { name: 'Delete 2 records' }));
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    const report = await screen.findByRole('region', { name: 'Bulk action report' }, { timeout: 5000 });
    expect(within(report).getByText('Deleted 2 records.')).toBeInTheDocument();
    await userEvent.click(within(report).getByRole('button', { name: 'Undo' }));
    await screen.findByText('Restored 2 records.');
    expect(requests.filter((r) => r.url.pathname === '/api/bulk/7/undo')).toHaveLength(1);
  });

  it('says when an action stopped before it finished, and Resume follows it again to the end', async () => {
    let resumed = false;
    const running = { action: 'delete', status: 'running', processed: 1, changed: 1, finished_at: null } as const;
    const { requests } = mockApi({
      'GET /api/interactions': () => page(),
      'POST /api/bulk': () => json(job({ ...running, processed: 0, changed: 0 }), 202),
      'GET /api/bulk/:id': () =>
        json(resumed ? job({ action: 'delete', can_undo: true }) : job({ ...running, stalled: true, can_resume: true })),
      'POST /api/bulk/7/resume': () => {
        resumed = true;
        return json(job(running), 202);
      },
    });
    renderWithApp(
      <>
        <FinderPage />
        <ShortcutsHost />
      </>,
      { path: '/interactions', route: '/interactions' },
    );
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select every row on this page' }));
    await userEvent.click(bar().getByRole('button', { name: 'Delete' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete 2 records?' })).getByRole('button', { name: 'Delete 2 records' }));
    const report = await screen.findByRole('region', { name: 'Bulk action report' });
    const stopped = 'This action stopped before it finished: 1 of 2 records done.';
    expect(within(report).getByText(stopped)).toBeInTheDocument();
    await waitFor(() => expect(document.getElementById(ANNOUNCER_ID)).toHaveTextContent(stopped));
    expect(within(report).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();

    // the bar that started it is gone: the report's heading has the focus
    expect(within(report).getByRole('heading', { name: 'Bulk delete stopped' })).toHaveFocus();

    within(report).getByRole('button', { name: 'Resume' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('progressbar')).toHaveAttribute('value', '1');
    // the button pressed went with the stopped report: focus is on the heading, not lost to the page
    expect(screen.getByRole('heading', { name: 'Bulk delete running' })).toHaveFocus();
    await waitFor(() => expect(document.getElementById(ANNOUNCER_ID)).toHaveTextContent('Resumed: following its progress.'));
    expect(await screen.findByText('Deleted 2 records.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Bulk delete finished' })).toHaveFocus();
    expect(screen.queryByText(stopped)).not.toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/bulk/7/resume')).toHaveLength(1);
  });

  /** The Finder with one change of all matching, reported stopped at 1 of 2 records; the resume answered by `resume`. */
  const stoppedAction = async (resume: () => Response | Promise<Response>) => {
    const stalled = job({ status: 'running', processed: 1, changed: 1, finished_at: null, stalled: true, can_resume: true });
    let current = stalled;
    const api = mockApi({
      'GET /api/interactions': () => page(),
      'POST /api/bulk': () => json({ ...stalled, stalled: false, can_resume: false, processed: 0, changed: 0 }, 202),
      'GET /api/bulk/:id': () => json(current),
      'POST /api/bulk/7/resume': resume,
    });
    renderFinder();
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select every row on this page' }));
    await userEvent.selectOptions(bar().getByLabelText('Change type'), 'Call');
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Change the type of 2 records?' })).getByRole('button', { name: 'Change 2 records' }));
    const report = await screen.findByRole('region', { name: 'Bulk action report' });
    await within(report).findByText('This action stopped before it finished: 1 of 2 records done.');
    const button = within(report).getByRole('button', { name: 'Resume' });
    button.focus();
    return { ...api, report, button, becomes: (next: BulkJob) => (current = next) };
  };
  const resumes = (requests: { method: string; url: URL }[]) =>
    requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/bulk/7/resume');

  it('shows Resume busy while the request is on its way, and sends it once however often it is pressed', async () => {
    let answer!: (response: Response) => void;
    const { requests, report, button } = await stoppedAction(() => new Promise<Response>((resolve) => (answer = resolve)));
    await userEvent.keyboard('{Enter}');
    const busy = await within(report).findByRole('button', { name: 'Resuming…' });
    expect(busy).toHaveAttribute('aria-disabled', 'true');
    expect(busy).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await userEvent.click(busy);
    expect(resumes(requests)).toHaveLength(1);
    answer(json(job(), 200));
    expect(await screen.findByText('Changed 2 records.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Bulk change finished' })).toHaveFocus();
    expect(button).not.toBeInTheDocument();
  });

  it('says why a resume was refused when someone else resumed it first, and follows their run', async () => {
    const { report, becomes } = await stoppedAction(() => {
      becomes(job({ status: 'running', processed: 1, changed: 1, finished_at: null }));
      return apiError(409, 'conflict', 'This action is already running.');
    });
    await userEvent.keyboard('{Enter}');
    expect(await within(report).findByRole('alert')).toHaveTextContent('This action is already running.');
    expect(await screen.findByRole('progressbar')).toHaveAttribute('value', '1');
    expect(screen.getByRole('heading', { name: 'Bulk change running' })).toHaveFocus();
  });

  it('says why a resume was refused to someone who may not resume it, and leaves Resume where it was', async () => {
    const message = 'Only administrators can resume what someone else started.';
    const { requests, report, button } = await stoppedAction(() => apiError(403, 'forbidden', message));
    await userEvent.keyboard('{Enter}');
    expect(await within(report).findByRole('alert')).toHaveTextContent(message);
    await waitFor(() => expect(button).toHaveTextContent('Resume'));
    expect(button).not.toHaveAttribute('aria-disabled');
    expect(button).toHaveFocus();
    expect(resumes(requests)).toHaveLength(1);
  });

  it('ticks the focused row with Space', async () => {
    mockApi({ 'GET /api/interactions': () => page() });
    renderFinder();
    const link = await screen.findByRole('link', { name: 'Beta visit' });
    link.focus();
    await userEvent.keyboard(' ');
    await waitFor(async () => expect(await rowBox('Beta visit')).toBeChecked());
    expect(bar().getByText('1 selected')).toBeInTheDocument();
  });
});
