// Site administration, history and recovery in the browser: invite → accept → role change; an existing account
// signs in to accept; restore a version; a long history a page at a time; Undo a delete; a viewer sees no admin
// screens.
import {
  apiToken, bearer, createInteraction, expect, interactionBody, latestMailedToken, signIn, submitSignIn, test, unique,
} from './helpers';

test('an admin invites a colleague, who accepts and signs in; a role change shows after reload', async ({ browser, page }) => {
  const email = `${unique('colleague')}@example.org`;
  const username = unique('col');
  const password = `${unique('Quiet-harbour-')}!`;
  await signIn(page, 'admin', '/admin/members');
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add someone' })).toBeVisible();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`Invitation sent to ${email}: they join Headquarters as viewer once they accept it`)).toBeVisible();
  await expect(page.getByText(email, { exact: true })).toBeVisible(); // waiting to be accepted

  let token: string | null = null;
  await expect.poll(async () => (token = await latestMailedToken(email, 'accept-invitation')), { message: 'an invitation e-mail' }).not.toBeNull();

  const context = await browser.newContext();
  const colleague = await context.newPage();
  await colleague.goto(`/accept-invitation?token=${token}`);
  await expect(colleague.getByRole('heading', { name: 'Join Headquarters' })).toBeVisible();
  await colleague.getByLabel('Username').fill(username);
  await colleague.getByLabel('Your name').fill('Casey Colleague');
  await colleague.getByLabel(/^Password/).fill(password);
  await expect(colleague.getByText(/Strength:/)).toBeVisible();
  await colleague.getByLabel('Confirm password').fill(password);
  await colleague.getByRole('button', { name: 'Create my account' }).click();
  await expect(colleague.getByRole('heading', { name: 'Welcome to Headquarters' })).toBeVisible();
  await colleague.getByRole('link', { name: 'Sign in' }).click();
  await submitSignIn(colleague, username, { password });
  await expect(colleague.locator('.badge')).toHaveText('Viewer');
  await expect(colleague.getByRole('link', { name: /New interaction/ })).toHaveCount(0);

  // The link works once.
  const reuse = await context.newPage();
  await reuse.goto(`/accept-invitation?token=${token}`);
  await expect(reuse.getByRole('heading', { name: 'This invitation does not work' })).toBeVisible();

  await page.reload();
  await page.getByLabel('Search members').fill(username);
  const role = page.getByLabel('Role of Casey Colleague');
  await expect(role).toHaveValue('viewer');
  await role.selectOption('editor');
  await expect(page.getByText('Casey Colleague is now editor')).toBeVisible();

  await colleague.reload();
  await expect(colleague.locator('.badge')).toHaveText('Editor');
  await expect(colleague.getByRole('link', { name: /New interaction/ })).toBeVisible();
  await context.close();
});

test('a colleague who already has an account signs in to accept, and no second account is made', async ({ page, request }) => {
  const admin = await apiToken(request, 'admin');
  const sites = ((await (await request.get('/api/sites', { headers: bearer(admin) })).json()) as { items: { id: number; name: string }[] }).items;
  const siteId = (name: string) => sites.find((site) => site.name === name)!.id;
  const email = `${unique('member')}@example.org`;
  const username = unique('mem');
  const password = `${unique('Quiet-harbour-')}!`;
  const invite = async (site: string, role: string) =>
    expect((await request.post('/api/site/invitations', { headers: bearer(admin, siteId(site)), data: { email, role } })).status()).toBe(201);

  // The colleague's account, made by an invitation of Headquarters.
  await invite('Headquarters', 'viewer');
  let first: string | null = null;
  await expect.poll(async () => (first = await latestMailedToken(email, 'accept-invitation')), { message: 'an invitation e-mail' }).not.toBeNull();
  const made = await request.post('/api/invitations/accept', { data: { token: first, username, display_name: 'Morgan Member', password } });
  expect(made.status()).toBe(201);

  // The Field Office invites the same address: the link asks that account to sign in and accept.
  await invite('Field Office', 'editor');
  let second: string | null = null;
  await expect
    .poll(async () => {
      const latest = await latestMailedToken(email, 'accept-invitation');
      return (second = latest !== first ? latest : null);
    }, { message: 'a second invitation e-mail' })
    .not.toBeNull();
  await page.goto(`/accept-invitation#token=${second}`);
  await expect(page.getByRole('heading', { name: 'Join Field Office' })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in to accept' }).click();
  await submitSignIn(page, username, { password });
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Field Office' })).toBeVisible();
  expect(page.url()).not.toContain(second!);

  const signedIn = await request.post('/api/auth/login', { data: { username, password } });
  const { user } = (await signedIn.json()) as { user: { sites: { name: string; role: string }[] } };
  expect(user.sites.map((site) => `${site.name}:${site.role}`).sort()).toEqual(['Field Office:editor', 'Headquarters:viewer']);
  const again = await request.post('/api/invitations/accept', { data: { token: second, username: `${username}x`, display_name: 'Twin', password } });
  expect(again.status()).toBe(400);
});

test('an editor restores an older version from the history', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const original = unique('Original title ');
  const item = await createInteraction(request, token, { title: original, notes: 'First notes' });
  const changed = await request.put(`/api/interactions/${item.id}`, {
    headers: { ...bearer(token), 'If-Match': `"${item.version}"` },
    data: interactionBody({ title: `${original} (edited)`, type: 'Call', notes: 'Second notes, rewritten' }),
  });
  expect(changed.status()).toBe(200);

  await signIn(page, 'editor', `/interactions/${item.id}`);
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'Version 2 (current)' })).toBeVisible();
  await expect(page.locator('ins', { hasText: 'rewritten' })).toBeVisible();
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await expect(page.getByText('Version 1 is restored as version 3')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Version 3 (current)' })).toBeVisible();
  await page.getByRole('link', { name: /^← / }).click();
  await expect(page.getByLabel(/^Title/)).toHaveValue(original);
  await expect(page.getByLabel(/^Type/)).toHaveValue('Meeting');
});

test('the history reads a short field from → to, and only a long text as a word diff', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const item = await createInteraction(request, token, { title: unique('Moved '), location: 'Harbor office', notes: 'First notes' });
  const changed = await request.put(`/api/interactions/${item.id}`, {
    headers: { ...bearer(token), 'If-Match': `"${item.version}"` },
    data: interactionBody({ title: item.title, location: 'Main hall', notes: 'First notes, rewritten' }),
  });
  expect(changed.status()).toBe(200);

  await signIn(page, 'editor', `/interactions/${item.id}/history`);
  const version = page.locator('li[data-version="2"]');
  const change = (label: string) => version.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  await expect(change('Location')).toHaveText('Harbor office → Main hall');
  await expect(change('Location').locator('del')).toHaveText('Harbor office');
  await expect(change('Location').locator('ins')).toHaveText('Main hall');
  await expect(change('Notes')).toHaveText('First notes, rewritten');
  await expect(change('Notes').locator('ins')).toContainText('rewritten');
});

test('a long history comes a page at a time, long texts as excerpts shown whole on demand', async ({ page, request }) => {
  const token = await apiToken(request, 'editor');
  const opening = 'Opening remarks. '.repeat(40);
  let item = await createInteraction(request, token, { title: unique('Long history '), notes: `${opening}Draft 0.` });
  for (let n = 1; n <= 11; n += 1) {
    const saved = await request.put(`/api/interactions/${item.id}`, {
      headers: { ...bearer(token), 'If-Match': `"${item.version}"` },
      data: interactionBody({ title: item.title, notes: `${opening}Draft ${n}.` }),
    });
    expect(saved.status()).toBe(200);
    item = await saved.json();
  }

  await signIn(page, 'editor', `/interactions/${item.id}/history`);
  await expect(page.getByRole('heading', { name: 'Version 12 (current)' })).toBeVisible();
  await expect(page.getByText('Showing 10 of 12 entries')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Version 2', exact: true })).toHaveCount(0);
  const newest = page.locator('li[data-version="12"]');
  await expect(newest.locator('ins', { hasText: '11' })).toBeVisible();
  await expect(newest.getByText(/^Opening remarks\. Opening remarks\. Opening remarks\. Opening remarks\./)).toHaveCount(0);
  await newest.getByRole('button', { name: 'Show the whole texts' }).click();
  await expect(newest.getByRole('button', { name: 'Show excerpts' })).toBeVisible();
  await expect(newest.getByText(/^Opening remarks\. Opening remarks\. Opening remarks\. Opening remarks\./)).toBeVisible();

  await page.getByRole('button', { name: 'Load older versions' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Version 1', exact: true })).toBeVisible();
  await expect(page.getByText('Showing 12 of 12 entries')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load older versions' })).toHaveCount(0);
});

test('a deleted interaction comes back with Undo in the toast', async ({ page, request }) => {
  const title = unique('Undo me ');
  const item = await createInteraction(request, await apiToken(request, 'editor'), { title });
  await signIn(page, 'editor', `/interactions/${item.id}`);
  await expect(page.getByLabel(/^Title/)).toHaveValue(title);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`Deleted “${title}”`)).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText(`Restored “${title}”`)).toBeVisible();
  await page.goto(`/interactions?search=${encodeURIComponent(title)}`);
  await expect(page.locator('a[data-row-link]', { hasText: title })).toBeVisible();
});

test('a viewer sees no admin screens', async ({ page, request }) => {
  await signIn(page, 'viewer');
  await expect(page.getByRole('link', { name: /Admin/ })).toHaveCount(0);
  await page.goto('/admin/members');
  await expect(page.getByRole('heading', { name: 'Administrators only' })).toBeVisible();
  await expect(page.getByLabel('Search members')).toHaveCount(0);
  const token = await apiToken(request, 'viewer');
  const members = await request.get('/api/site/members', { headers: bearer(token) });
  expect(members.status()).toBe(403);
});
