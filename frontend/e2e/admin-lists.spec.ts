// The administration's lists follow the data behind them: an invitation accepted elsewhere shows on an open members
// page as a member, without a reload, once the admin comes back to the window.
import { apiToken, bearer, expect, latestMailedToken, signIn, test, unique } from './helpers';

test('an invitation accepted elsewhere shows as a member when the admin comes back to the window', async ({ page, request }) => {
  const admin = await apiToken(request, 'admin');
  const sites = ((await (await request.get('/api/sites', { headers: bearer(admin) })).json()) as { items: { id: number; name: string }[] }).items;
  const headquarters = sites.find((site) => site.name === 'Headquarters')!.id;
  const email = `${unique('joiner')}@example.org`;
  const username = unique('join');
  const invited = await request.post('/api/site/invitations', { headers: bearer(admin, headquarters), data: { email, role: 'viewer' } });
  expect(invited.status()).toBe(201);
  let token: string | null = null;
  await expect.poll(async () => (token = await latestMailedToken(email, 'accept-invitation')), { message: 'an invitation e-mail' }).not.toBeNull();

  await signIn(page, 'admin', '/admin/members');
  const waiting = page.getByRole('listitem').filter({ hasText: email });
  await expect(waiting).toBeVisible();
  await page.getByLabel('Search members').fill(username);
  await expect(page.getByRole('cell', { name: `No member matches “${username}”.` })).toBeVisible();

  // The invited person accepts in their own browser, on another device: nothing tells this page.
  const accepted = await request.post('/api/invitations/accept', {
    data: { token, username, display_name: 'Jordan Joiner', password: `${unique('Quiet-harbour-')}!` },
  });
  expect(accepted.status()).toBe(201);

  // The admin comes back from another window (the mail client, say): the tab was visible all along.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(page.locator(`tr[data-member="${username}"]`)).toContainText('Jordan Joiner');
  await expect(waiting).toHaveCount(0);
});
