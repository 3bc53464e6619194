// The history from the change feed in a real browser: an invoice's page lists what happened to it (created, each edit
// with what changed, finalized, e-mailed with each recipient's outcome, payments, paid), newest first, 20 at a time with
// "Show more"; a customer's dialog lists its own history (created, details changed with before and after).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, apiCall, dependentSteps, launch, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
const pageErrors = [];
const step = dependentSteps();
const state = {};

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

const invoiceBody = (customerId, notes) => ({
  customerId,
  currency: 'EUR',
  issueDate: '2026-12-01',
  dueDate: '2026-12-15',
  lines: [{ description: 'Garden design', quantity: 8, unitPrice: 95, discountPercent: 0, taxRatePercent: 19 }],
  notes,
});

/** Reloads the page until the history shows the text (the change feed writes an entry a moment after the change). */
async function openUntil(path, text, timeout = 45_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.goto(`${BASE_URL}${path}`);
    const history = page.getByRole('list', { name: 'History' });
    await history.waitFor();
    if ((await history.getByText(text).count()) > 0) return history;
    if (Date.now() > deadline) throw new Error(`the history of ${path} never showed ${text}`);
    await page.waitForTimeout(1000);
  }
}

step('an invoice edited, finalized, e-mailed and paid has all of it in its history, newest first', async () => {
  await signUpAndSignIn(page, uniqueEmail('activity'));
  const customer = await apiCall(page, 'POST', '/customers', { body: { name: 'Gärtnerei Lindner', email: `lindner+${Date.now()}@example.com` } });
  assert.equal(customer.status, 201);
  state.customer = customer.body;
  const draft = await apiCall(page, 'POST', '/invoices', { body: invoiceBody(customer.body.id, 'First draft') });
  assert.equal(draft.status, 201);
  state.invoice = draft.body.id;
  const edited = await apiCall(page, 'PUT', `/invoices/${state.invoice}`, {
    body: { ...invoiceBody(customer.body.id, 'Payable within 14 days.'), lines: [...invoiceBody('').lines, { description: 'Planting', quantity: 1, unitPrice: 240, discountPercent: 0, taxRatePercent: 19 }] },
    headers: { 'If-Match': draft.etag },
  });
  assert.equal(edited.status, 200);
  const sent = await apiCall(page, 'POST', `/invoices/${state.invoice}/send`, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sent.status, 202);
  state.number = sent.body.number;
  const paid = await apiCall(page, 'POST', `/invoices/${state.invoice}/payments`, { body: { amount: 400 } });
  assert.equal(paid.status, 201);

  const history = await openUntil(`/invoices/${state.invoice}`, /^Payment of/);
  await page.locator('.timeline__event.delivery--sent').waitFor({ timeout: 30_000 });
  await history.getByText('Created as a draft').waitFor();
  await history.getByText('Lines: 1 → 2').waitFor();
  await history.getByText(`Finalized as ${state.number}`).waitFor();
  await history.getByText('Invoice e-mailed').waitFor();
  const titles = await history.locator('.timeline__line strong').allTextContents();
  assert.ok(titles[0].startsWith('Payment of'), `newest first: ${titles.join(' | ')}`);
  assert.equal(titles.at(-1), 'Created as a draft');
  assert.equal(await page.getByRole('button', { name: 'Show more' }).count(), 0, 'everything fits on one page');
  await shoot(page, 'invoice-history-activity');
});

step('a long history shows 20 entries and the rest on "Show more"', async () => {
  let etag = (await apiCall(page, 'POST', '/invoices', { body: invoiceBody(state.customer.id, 'Version 0') }));
  assert.equal(etag.status, 201);
  const id = etag.body.id;
  etag = etag.etag;
  for (let i = 1; i <= 21; i++) {
    const saved = await apiCall(page, 'PUT', `/invoices/${id}`, { body: invoiceBody(state.customer.id, `Version ${i}`), headers: { 'If-Match': etag } });
    assert.equal(saved.status, 200);
    etag = saved.etag;
  }
  const history = await openUntil(`/invoices/${id}`, 'Notes: Version 20 → Version 21');
  // The feed may still be writing the oldest entries' neighbours: wait until the first page is full.
  await page.getByRole('button', { name: 'Show more' }).waitFor({ timeout: 30_000 });
  assert.equal(await history.locator('.timeline__event').count(), 20);
  assert.equal(await history.getByText('Created as a draft').count(), 0, 'the oldest entry is on the next page');
  await page.getByRole('button', { name: 'Show more' }).click();
  await history.getByText('Created as a draft').waitFor();
  assert.equal(await history.locator('.timeline__event').count(), 22);
  assert.equal(await page.getByRole('button', { name: 'Show more' }).count(), 0);
});

step('a customer has a history of its own: created, and each change of its details with before and after', async () => {
  const read = await apiCall(page, 'GET', `/customers/${state.customer.id}`);
  const changed = await apiCall(page, 'PUT', `/customers/${state.customer.id}`, {
    body: { name: 'Gärtnerei Lindner GmbH', email: state.customer.email, phone: '+49 89 765432' },
    headers: { 'If-Match': read.etag },
  });
  assert.equal(changed.status, 200);
  const history = await openUntil(`/customers/${state.customer.id}`, 'Details changed');
  await history.getByText('Name: Gärtnerei Lindner → Gärtnerei Lindner GmbH').waitFor();
  await history.getByText('Phone: — → +49 89 765432').waitFor();
  await history.getByText('Customer created').waitFor();
  await page.getByRole('heading', { name: 'History' }).scrollIntoViewIfNeeded();
  await shoot(page, 'customer-history');
});
