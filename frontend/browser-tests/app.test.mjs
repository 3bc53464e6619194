// The web app in a real browser against the running local stack (scripts/test-frontend.sh starts one):
// sign-up and sign-in, customers, an invoice whose live and saved totals match the expected figures, finalize,
// send, payments, the dashboard, session expiry, a 412 conflict, and tenant isolation; then teams: an invitation
// accepted through its link, an accountant's read-only screens, a role change, a removal and its 403, the join page's
// refusals and the business switcher. Screenshots of every screen go to docs/screenshots/ at desktop and phone widths.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BASE_URL, MAILDEV_URL, PASSWORD, apiCall, createVerifiedUser, dependentSteps, fieldError, launch, nav, newUserPage, shoot, signUpAndSignIn, switcher, uniqueEmail } from './harness.mjs';

const openapi = readFileSync(fileURLToPath(new URL('../../openapi.yaml', import.meta.url)), 'utf8');
const hasSendRoute = openapi.includes('/invoices/{invoiceId}/send:');

let browser;
let page; // the first user's
const pageErrors = [];
const owner = { email: uniqueEmail('owner') };
const customer = { name: 'Müller GmbH', email: uniqueEmail('billing') };
const invoice = { id: '', number: '' };

// The three-line EUR invoice: 10 × 95.50 at 19 %, 1 × 120.00 at 7 %, 1 × 45.00 less 50 % at 19 %, 5 % off the
// subtotal before tax. Worked out independently (Python decimal, half away from zero): the discount of 54.88 is
// shared 6.00 / 48.88 between the rates by cumulative rounding.
const expected = {
  subtotal: '€1,097.50',
  discount: '−€54.88',
  tax7: '€7.98',
  tax19: '€176.44',
  total: '€1,227.04',
  afterPartial: '€727.04',
};

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

// The steps build on each other (one user's data): after a failure the rest are skipped, not timed out.
const step = dependentSteps();

const text = async (testId) => (await page.getByTestId(testId).textContent())?.trim();

step('sign up, confirm with the local code, and sign in', async () => {
  await page.goto(`${BASE_URL}/forgot-password`);
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await shoot(page, 'forgot-password');

  // Without a session every screen leads to sign-in, and back to where the user was going afterwards.
  await page.goto(`${BASE_URL}/customers`);
  await page.waitForURL(/\/signin\?next=%2Fcustomers/);

  await signUpAndSignIn(page, owner.email, { screenshots: true });
  await page.getByRole('heading', { name: 'Welcome to SmallPay' }).waitFor();
  await page.getByText(owner.email).waitFor();
  await shoot(page, 'dashboard-empty');

  // A wrong password is refused (the local Cognito checks it, as the real one does).
  const other = await newUserPage(browser, pageErrors);
  await other.goto(`${BASE_URL}/signin`);
  await other.getByLabel('E-mail address').fill(owner.email);
  await other.getByLabel('Password').fill('Wrong-password-1');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByText('The e-mail address or password is wrong.').waitFor();
  await other.context().close();
});

step('create a customer', async () => {
  await page.getByRole('link', { name: 'Add your first customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a customer' });
  await dialog.getByLabel('Name').fill(customer.name);
  await dialog.getByLabel('E-mail address').fill(customer.email);
  await dialog.getByLabel('Address line 1').fill('Hauptstraße 5');
  await dialog.getByLabel('Postal code').fill('10115');
  await dialog.getByLabel('City').fill('Berlin');
  await dialog.getByLabel('Country').fill('DE');
  await dialog.getByLabel('Tax id').fill('DE123456789');
  await shoot(page, 'customer-new');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.getByRole('row', { name: new RegExp(customer.name) });
  await row.waitFor();
  assert.match(await row.textContent(), /Berlin/);
  await shoot(page, 'customers');
});

step("a validation error is shown next to its field (the API's problem pointer)", async () => {
  await page.getByRole('button', { name: 'Add customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a customer' });
  await dialog.getByLabel('Name').fill('Broken Mail Ltd');
  await dialog.getByLabel('E-mail address').fill('not-an-e-mail');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  const email = dialog.getByLabel('E-mail address');
  await page.waitForFunction(() => document.querySelector('dialog[open] [aria-invalid="true"]'));
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  const message = await fieldError(dialog, 'E-mail address');
  assert.ok(message && /e-mail/i.test(message), `an e-mail error next to the field, got ${message}`);
  assert.equal(await fieldError(dialog, 'Name'), null, 'no error next to a valid field');
  await shoot(page, 'customer-validation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByRole('row', { name: /Broken Mail/ }).count(), 0, 'nothing was saved');
});

step('settings: business details and numbering', async () => {
  await nav(page, 'Settings').click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await page.getByLabel('Business name').fill('Atelier Sommer');
  await page.getByLabel('E-mail address').fill('hello@atelier-sommer.example');
  await page.getByLabel('Address line 1').fill('Oranienstraße 24');
  await page.getByLabel('Postal code').fill('10999');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Tax id').fill('DE298765432');
  await page.getByLabel('Default currency').selectOption('EUR');
  await page.getByText('The next finalized invoice gets INV-000001.').waitFor();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('The settings are saved.').waitFor();
  await shoot(page, 'settings');
});

step('the business address becomes the Reply-To once confirmed with the code mailed to it', async () => {
  const card = page.getByRole('region', { name: 'Replies to your invoices' });
  // The daily sending limit a new business has, and today's use, before anything was sent.
  await page.getByRole('region', { name: 'E-mail sending' }).getByText(/Today: 0 of 50 recipients e-mailed \(50 left/).waitFor();
  await card.getByText('Not verified').waitFor();
  await card.getByRole('button', { name: 'Send a code to this address' }).click();
  await card.getByText('We e-mailed a code to hello@atelier-sommer.example').waitFor();
  // The worker mailed the code through the pipeline; maildev keeps what arrived.
  let mail;
  const deadline = Date.now() + 30_000;
  while (!mail && Date.now() < deadline) {
    const list = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
    mail = list.filter((m) => m.subject?.startsWith('Your SmallPay code') && m.to?.some((t) => t.address === 'hello@atelier-sommer.example')).at(-1);
    if (!mail) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(mail, 'the code reached the business address');
  const code = mail.subject.match(/\d{6}/)[0];
  const wrong = code === '000000' ? '111111' : '000000';
  await card.getByLabel('Code from the e-mail').fill(wrong);
  await card.getByRole('button', { name: 'Verify' }).click();
  await card.getByText(/This code is not the code we e-mailed \(4 tries left\)/).waitFor();
  await card.getByLabel('Code from the e-mail').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await card.getByRole('button', { name: 'Verify' }).click();
  await card.getByText('Verified', { exact: true }).waitFor();
  await page.getByText('hello@atelier-sommer.example is verified').waitFor();
  // The code was one recipient of today's limit.
  await page.getByRole('region', { name: 'E-mail sending' }).getByText(/Today: 1 of 50 recipients e-mailed \(49 left/).waitFor();
  await shoot(page, 'settings-reply-to-verified');
});

step('a three-line EUR invoice with a discount and two tax rates shows the expected totals', async () => {
  await nav(page, 'Invoices').click();
  await page.getByRole('heading', { name: 'No invoices yet' }).waitFor();
  await page.getByRole('link', { name: 'Create your first invoice' }).click();
  await page.getByRole('heading', { name: 'New invoice' }).waitFor();

  await page.getByLabel('Customer', { exact: true }).selectOption({ label: `${customer.name} (${customer.email})` });
  await page.getByLabel('Currency').selectOption('EUR');
  const line = (n) => page.getByRole('listitem', { name: `Line ${n}` });
  const fillLine = async (n, [description, quantity, price, discount, tax]) => {
    await line(n).getByLabel(`Description, line ${n}`).fill(description);
    await line(n).getByLabel('Quantity').fill(quantity);
    await line(n).getByLabel('Unit price').fill(price);
    await line(n).getByLabel('Discount %').fill(discount);
    await line(n).getByLabel('Tax %').fill(tax);
  };
  // Line 1 first with a quantity the API refuses, to see its error next to the field.
  await fillLine(1, ['Design work (hours)', '0', '95.50', '', '19']);
  await page.getByRole('button', { name: 'Add a line' }).click();
  await fillLine(2, ['Rush delivery', '1', '45.00', '50', '19']);
  await page.getByRole('button', { name: 'Add a line' }).click();
  await fillLine(3, ['Printed proofs', '1', '120,00', '', '7']); // a decimal comma is fine
  // Reorder: proofs before the rush delivery.
  await page.getByRole('button', { name: 'Move line 3 up' }).click();
  assert.equal(await line(2).getByLabel('Description, line 2').inputValue(), 'Printed proofs');
  await page.getByLabel('Discount', { exact: true }).fill('5');
  await page.getByLabel('Notes', { exact: true }).fill('Thank you for your business. Please pay by bank transfer.');

  await page.getByRole('button', { name: 'Save draft' }).click();
  const quantity = line(1).getByLabel('Quantity');
  await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]'));
  assert.equal(await quantity.getAttribute('aria-invalid'), 'true');
  assert.match(await fieldError(line(1), 'Quantity'), /greater than 0/);
  await shoot(page, 'invoice-editor-validation');

  await quantity.fill('10');
  // Live totals, computed in the browser exactly as the server will.
  await page.getByTestId('totals-total').filter({ hasText: expected.total }).waitFor();
  assert.equal(await text('line-amount-0'), '€955.00');
  assert.equal(await text('line-amount-2'), '€22.50');
  assert.equal(await text('totals-subtotal'), expected.subtotal);
  assert.equal(await text('totals-discount'), expected.discount);
  assert.equal(await text('totals-tax-7'), expected.tax7);
  assert.equal(await text('totals-tax-19'), expected.tax19);
  assert.equal(await text('totals-total'), expected.total);
  await shoot(page, 'invoice-editor');

  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
  invoice.id = page.url().split('/invoices/')[1];
  // The server's figures, as saved.
  assert.equal(await text('invoice-subtotal'), expected.subtotal);
  assert.equal(await text('invoice-discount'), expected.discount);
  assert.equal(await text('invoice-tax-7'), expected.tax7);
  assert.equal(await text('invoice-tax-19'), expected.tax19);
  assert.equal(await text('invoice-total'), expected.total);
  await shoot(page, 'invoice-draft');
});

step('finalize the invoice: it gets its number', async () => {
  await page.getByRole('button', { name: 'Finalize' }).click();
  const dialog = page.getByRole('dialog', { name: 'Finalize this invoice?' });
  await dialog.getByText('INV-000001').waitFor();
  await shoot(page, 'invoice-finalize');
  await dialog.getByRole('button', { name: 'Finalize' }).click();
  await page.getByRole('heading', { name: 'Invoice INV-000001' }).waitFor();
  invoice.number = 'INV-000001';
  assert.equal(await text('invoice-balance'), expected.total);

  await nav(page, 'Dashboard').click();
  await page.getByTestId('kpi-outstanding').filter({ hasText: expected.total }).waitFor();
  assert.equal(await text('kpi-received'), '€0.00');
  assert.equal(await text('count-Open'), '1');
});

step('send the invoice by e-mail', { skip: hasSendRoute ? false : 'POST /invoices/{invoiceId}/send is not in openapi.yaml yet' }, async () => {
  await page.goto(`${BASE_URL}/invoices/${invoice.id}`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Send INV-000001/ });
  assert.equal(await dialog.getByLabel('To').inputValue(), customer.email);
  await dialog.getByLabel('Message (optional)').fill('Please find the invoice attached.');
  await shoot(page, 'invoice-send');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const delivery = page.locator('.delivery').first();
  await delivery.waitFor();
  assert.ok((await delivery.textContent()).includes(customer.email), 'the delivery names the recipient');
  await page.locator('.delivery--sent, .delivery--partlysent, .delivery--failed').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.delivery--sent').count(), 1, 'the documents worker sent it');
  const recipient = page.locator('.delivery--sent .recipient--delivered');
  assert.equal(await recipient.count(), 1, 'the recipient shows as delivered');
  assert.ok((await recipient.textContent()).includes(customer.email), 'the delivered recipient is the customer');

  // The PDF opens from a short-lived link (the button retries while the PDF is still being rendered).
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Download PDF' }).click()]);
  const pdfUrl = popup.url() === 'about:blank' ? (await popup.waitForURL(/pdf/), popup.url()) : popup.url();
  await popup.close();
  const pdf = await fetch(pdfUrl);
  assert.equal(pdf.status, 200);
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  if (MAILDEV_URL) {
    // The documents worker rendered the PDF and mailed it; maildev keeps what arrived.
    const deadline = Date.now() + 20_000;
    let mail;
    while (!mail && Date.now() < deadline) {
      const list = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
      mail = list.find((m) => m.to?.some((t) => t.address === customer.email));
      if (!mail) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(mail, `an e-mail to ${customer.email} arrived at maildev`);
    assert.match(mail.subject, /INV-000001/);
    assert.ok(mail.attachments?.some((a) => /pdf/i.test(a.contentType)), 'the PDF is attached');
  }
  await shoot(page, 'invoice-sent');
});

step('a recipient the mail server refuses shows as refused, the others as delivered', { skip: hasSendRoute ? false : 'no send route' }, async () => {
  await page.goto(`${BASE_URL}/invoices/${invoice.id}`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Send INV-000001/ });
  // The local mail sink refuses the reserved .invalid domain with 550, as a real server refuses an unknown mailbox.
  await dialog.getByLabel('Cc (optional)').fill('nobody@customer.invalid');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const partly = page.locator('.delivery--partlysent');
  await partly.waitFor({ timeout: 30_000 });
  assert.match(await partly.locator('.chip').textContent(), /Partly delivered/);
  assert.ok((await partly.locator('.recipient--delivered').textContent()).includes(customer.email), 'the customer got it');
  const refused = await partly.locator('.recipient--refused').textContent();
  assert.ok(refused.includes('nobody@customer.invalid') && refused.includes('550'), `the refusal says why: ${refused}`);
  await shoot(page, 'invoice-partly-sent');
});

step('record a partial and then a full payment', async () => {
  await page.goto(`${BASE_URL}/invoices/${invoice.id}`);
  await page.getByRole('button', { name: 'Record payment', exact: true }).click();
  let dialog = page.getByRole('dialog', { name: 'Record a payment for INV-000001' });
  assert.equal(await dialog.getByLabel('Amount (EUR)').inputValue(), '1227.04', 'the balance is the default amount');
  await dialog.getByLabel('Amount (EUR)').fill('500');
  await dialog.getByLabel('Note').fill('First instalment');
  await shoot(page, 'invoice-payment');
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('invoice-balance').filter({ hasText: expected.afterPartial }).waitFor();
  await page.locator('h1 .chip--partiallypaid').waitFor();

  await page.getByRole('button', { name: 'Record payment', exact: true }).click();
  dialog = page.getByRole('dialog', { name: 'Record a payment for INV-000001' });
  assert.equal(await dialog.getByLabel('Amount (EUR)').inputValue(), '727.04');
  await dialog.getByRole('button', { name: 'Record payment' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('h1 .chip--paid').waitFor();
  assert.equal(await text('invoice-balance'), '€0.00');
  assert.equal(await page.getByRole('row', { name: /First instalment/ }).count(), 1);
  // The history comes from the change feed a moment after the payment: the page looks again until it is there.
  await page.getByRole('list', { name: 'History' }).getByText('Paid in full').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole('list', { name: 'History' }).getByText(/^Payment of/).count(), 2);
  await shoot(page, 'invoice-paid');
});

step('the dashboard figures follow (and how fast the dashboard is ready)', async (t) => {
  await nav(page, 'Dashboard').click();
  await page.getByTestId('kpi-received').filter({ hasText: expected.total }).waitFor();
  assert.equal(await text('kpi-outstanding'), '€0.00');
  assert.equal(await text('count-Paid'), '1');
  assert.equal(await text('count-Open'), '0');
  await page.getByRole('link', { name: customer.name }).first().waitFor(); // top customers
  await shoot(page, 'dashboard');

  // Time to interactive: a full load of the app, navigation start → the dashboard's figures on screen.
  const samples = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(`${BASE_URL}/`);
    await page.getByTestId('kpi-received').waitFor();
    samples.push(await page.evaluate(() => performance.getEntriesByName('dashboard-rendered')[0]?.startTime ?? NaN));
  }
  samples.sort((a, b) => a - b);
  const median = Math.round(samples[2]);
  t.diagnostic(`dashboard ready ${median} ms after navigation start (median of 5 loads: ${samples.map(Math.round).join(', ')} ms)`);
  console.log(`dashboard time to interactive: ${median} ms (median of 5)`);
  assert.ok(median < 3000, `dashboard ready in ${median} ms`);
});

step('an expired session asks for a sign-in in place and keeps what was typed', async () => {
  await page.goto(`${BASE_URL}/invoices/new`);
  await page.getByLabel('Customer', { exact: true }).selectOption({ label: `${customer.name} (${customer.email})` });
  const line = page.getByRole('listitem', { name: 'Line 1' });
  await line.getByLabel('Description, line 1').fill('Consulting');
  await line.getByLabel('Unit price').fill('300');
  await page.getByLabel('Notes', { exact: true }).fill('Typed before the session expired');

  // Expire the session: an ID token past its expiry and a refresh token Cognito no longer honours.
  await page.evaluate(() => {
    const b64 = (o) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const expired = `${b64({ alg: 'none' })}.${b64({ exp: 1000, iat: 900, sub: 'x' })}.x`;
    for (const key of Object.keys(localStorage)) {
      if (key.endsWith('.idToken') || key.endsWith('.accessToken')) localStorage.setItem(key, expired);
      if (key.endsWith('.refreshToken')) localStorage.setItem(key, 'revoked');
    }
  });
  await page.getByRole('button', { name: 'Save draft' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('E-mail address').inputValue(), owner.email);
  await dialog.getByLabel('Password').fill(PASSWORD);
  await shoot(page, 'session-expired');
  await dialog.getByRole('button', { name: 'Sign in and continue' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The save that found the session gone went through afterwards, with what was typed.
  await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
  await page.getByText('Typed before the session expired').waitFor();
});

step('a change made elsewhere meanwhile gives a clear 412 message and a reload', async () => {
  const draftId = page.url().split('/invoices/')[1];
  // Another tab changes the draft's notes.
  const current = await apiCall(page, 'GET', `/invoices/${draftId}`);
  const { customerId, currency, issueDate, dueDate, lines, discount } = current.body;
  const changed = await apiCall(page, 'PUT', `/invoices/${draftId}`, {
    body: { customerId, currency, issueDate, dueDate, lines: lines.map(({ amount, ...l }) => l), discount, notes: 'Changed in another tab' },
    headers: { 'If-Match': current.etag },
  });
  assert.equal(changed.status, 200);

  await page.getByRole('button', { name: 'Finalize' }).click();
  await page.getByRole('dialog', { name: 'Finalize this invoice?' }).getByRole('button', { name: 'Finalize' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'This invoice was changed somewhere else' });
  await banner.waitFor();
  assert.equal(await page.getByRole('heading', { name: /Draft invoice/ }).count(), 1, 'not finalized');
  await shoot(page, 'invoice-conflict');
  await banner.getByRole('button', { name: 'Reload' }).click();
  await page.getByText('Changed in another tab').waitFor();
  await banner.waitFor({ state: 'hidden' });
});

step('the invoices list: status chips, search and filters', async () => {
  await page.goto(`${BASE_URL}/invoices`);
  const rows = page.locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2);
  await shoot(page, 'invoices');
  await page.getByLabel('Search').fill('INV-000001');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  assert.match(await rows.first().textContent(), /INV-000001/);
  await page.getByLabel('Search').fill('');
  await page.waitForURL((url) => !url.searchParams.has('q'));
  await page.getByLabel('Status').selectOption({ label: 'Draft' });
  await page.waitForURL(/status=draft/);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tbody tr')];
    return rows.length > 0 && rows.every((r) => r.querySelector('.chip--draft'));
  });
  assert.equal(await rows.count(), 1);
});

step('a customer with invoices is kept, and the app says why (409)', async () => {
  await nav(page, 'Customers').click();
  await page.getByRole('button', { name: `Delete ${customer.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${customer.name}?` });
  await dialog.getByRole('button', { name: 'Delete customer' }).click();
  await dialog.getByText('This customer is kept').waitFor();
  await dialog.getByText(/invoice/).first().waitFor();
  await shoot(page, 'customer-delete-conflict');
  await dialog.getByRole('button', { name: 'OK', exact: true }).click();
  await page.getByRole('row', { name: new RegExp(customer.name) }).waitFor();

  // Editing works and keeps the customer.
  await page.getByRole('link', { name: `Edit ${customer.name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${customer.name}` });
  await edit.getByLabel('Phone').fill('+49 30 1234567');
  await shoot(page, 'customer-edit');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.waitFor({ state: 'hidden' });
  await page.getByText(`${customer.name} is saved.`).waitFor();
});

step("a customer's invoice language: the picker previews the invoice in it, Arabic right to left; names in any script read in their own direction", async () => {
  await nav(page, 'Customers').click();
  await page.getByRole('button', { name: 'Add customer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a customer' });
  await dialog.getByRole('figure', { name: /English/ }).getByText('INVOICE', { exact: true }).waitFor(); // the business's language by default

  await dialog.getByLabel('Name').fill('株式会社テスト商事');
  await dialog.getByLabel('Invoice language').selectOption('ja');
  const japanese = dialog.getByRole('figure', { name: /Japanese/ });
  await japanese.getByText('請求書', { exact: true }).waitFor();
  assert.match(await japanese.textContent(), /\d{4}年\d{1,2}月\d{1,2}日/, 'a Japanese date in the preview');
  assert.match(await japanese.textContent(), /1,234\.50 EUR/);
  await shoot(page, 'customer-language-japanese');

  await dialog.getByLabel('Name').fill('شركة الاختبار');
  await dialog.getByLabel('Invoice language').selectOption('ar');
  const arabic = dialog.getByRole('figure', { name: /Arabic/ });
  await arabic.getByText('فاتورة', { exact: true }).waitFor();
  assert.equal(await arabic.locator('[lang="ar"]').getAttribute('dir'), 'rtl');
  assert.match(await arabic.textContent(), /١٬٢٣٤٫٥٠ EUR/, 'Arabic digits and separators, as on the PDF');
  await shoot(page, 'customer-language-arabic');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Two more, through the API: Japanese and Hindi names, the Japanese one with its language.
  await apiCall(page, 'POST', '/customers', { body: { name: '株式会社テスト商事', language: 'ja' } });
  await apiCall(page, 'POST', '/customers', { body: { name: 'परीक्षण कंपनी' } });
  await page.reload();
  const arabicName = page.getByRole('link', { name: 'شركة الاختبار', exact: true });
  await arabicName.waitFor();
  assert.equal(await arabicName.evaluate((el) => getComputedStyle(el).direction), 'rtl', 'dir="auto" sets an Arabic name right to left');
  await page.getByRole('link', { name: '株式会社テスト商事', exact: true }).waitFor();
  await page.getByRole('link', { name: 'परीक्षण कंपनी', exact: true }).waitFor();
  await shoot(page, 'customers-any-script');

  // The stored language comes back in the form.
  await page.getByRole('link', { name: 'Edit شركة الاختبار' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit شركة الاختبار' });
  assert.equal(await edit.getByLabel('Invoice language').inputValue(), 'ar');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await edit.waitFor({ state: 'hidden' });
});

step("a second user sees none of the first user's data", async () => {
  const second = await newUserPage(browser, pageErrors);
  await signUpAndSignIn(second, uniqueEmail('second'));
  await second.getByRole('heading', { name: 'Welcome to SmallPay' }).waitFor();
  await second.goto(`${BASE_URL}/invoices`);
  await second.getByRole('heading', { name: 'No invoices yet' }).waitFor();
  await second.goto(`${BASE_URL}/customers`);
  await second.getByRole('heading', { name: 'No customers yet' }).waitFor();
  await second.goto(`${BASE_URL}/invoices/${invoice.id}`);
  await second.getByText('Not found').waitFor();
  assert.equal((await apiCall(second, 'GET', `/invoices/${invoice.id}`)).status, 404);
  assert.equal((await apiCall(second, 'GET', '/invoices')).body.items.length, 0);
  await second.context().close();
});

step('sign out, reset a forgotten password, and sign in with the new one', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto(`${BASE_URL}/invoices`);
  await page.waitForURL(/\/signin/);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('E-mail address').fill(owner.email);
  await page.getByRole('button', { name: 'Send the code' }).click();
  await page.getByLabel('Code').fill('123456');
  await page.getByLabel('New password').fill('Another-password-2026');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.getByText('Your password is changed. Sign in with the new one.').waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The e-mail address or password is wrong.').waitFor();
  await page.getByLabel('Password').fill('Another-password-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByTestId('kpi-received').waitFor();
});

step('the demo account (screenshots with sample data)', async (t) => {
  const demo = await newUserPage(browser, pageErrors);
  await demo.goto(`${BASE_URL}/signin`);
  await demo.getByLabel('E-mail address').fill('demo@smallpay.local');
  await demo.getByLabel('Password').fill('SmallPay-demo-2026');
  await demo.getByRole('button', { name: 'Sign in' }).click();
  const outcome = await Promise.race([
    demo.getByRole('heading', { name: 'Dashboard' }).waitFor().then(() => 'in'),
    demo.getByText('The e-mail address or password is wrong.').waitFor().then(() => 'no demo'),
  ]);
  if (outcome !== 'in') {
    t.skip('the stack runs without its demo account');
    await demo.context().close();
    return;
  }
  const pageShot = page;
  page = demo;
  try {
    await demo.getByTestId('kpi-received').waitFor();
    await shoot(demo, 'demo-dashboard');
    await nav(demo, 'Invoices').click();
    await demo.locator('tbody tr').first().waitFor();
    await shoot(demo, 'demo-invoices');
    // A partly paid invoice shows the most: lines, taxes, payments.
    const partlyPaid = demo.locator('tbody tr', { has: demo.locator('.chip--partiallypaid') });
    const row = (await partlyPaid.count()) ? partlyPaid.first() : demo.locator('tbody tr', { has: demo.locator('.chip--open') }).first();
    await row.locator('a').first().click();
    await demo.getByRole('heading', { name: /Invoice / }).waitFor();
    await shoot(demo, 'demo-invoice');
    await nav(demo, 'Invoices').click();
    await demo.locator('tbody tr', { has: demo.locator('.chip--open') }).first().locator('a').first().click();
    await demo.getByRole('button', { name: 'Void', exact: true }).click();
    await demo.getByRole('dialog', { name: /^Void / }).getByLabel('Reason (optional)').fill('Issued to the wrong customer.');
    await shoot(demo, 'invoice-void');
    await demo.getByRole('dialog', { name: /^Void / }).getByRole('button', { name: 'Keep it' }).click();
    await nav(demo, 'Customers').click();
    await demo.locator('tbody tr').first().waitFor();
    await shoot(demo, 'demo-customers');
  } finally {
    page = pageShot;
    await demo.context().close();
  }
});

// ---------------------------------------------------------------- teams

const business = 'Atelier Sommer'; // the first user's business name, from its settings
const invitee = { email: uniqueEmail('accountant'), link: '' };
let inviteePage;

/** Waits until the API's problem has put an error next to a field of this form. */
const waitForInvalidField = (formName) =>
  page.waitForFunction((name) => document.querySelector(`form[aria-label="${name}"] [aria-invalid="true"]`), formName);

step('the owner invites an accountant from Settings → Team, and copies the join link', async () => {
  await nav(page, 'Settings').click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Team' }).click();
  await page.waitForURL(/\/settings\/team$/);
  const members = page.getByRole('region', { name: /^Members/ });
  await members.getByText(owner.email, { exact: true }).waitFor();
  await page.getByText('No invitations yet.').waitFor();

  const form = page.getByRole('form', { name: 'Invite someone' });
  // A malformed address: the API's 422 lands next to the field.
  await form.getByLabel('E-mail address').fill('not-an-address');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await waitForInvalidField('Invite someone');
  assert.match(await fieldError(form, 'E-mail address'), /e-mail|address/i);

  await form.getByLabel('E-mail address').fill(invitee.email);
  await form.getByLabel('Role').selectOption('accountant');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  const sent = page.getByRole('status').filter({ hasText: `Invitation sent to ${invitee.email} as an accountant` });
  await sent.waitFor();
  invitee.link = await sent.getByLabel('Join link').inputValue();
  assert.ok(invitee.link.startsWith(`${BASE_URL}/join?token=`), `a join link of this app: ${invitee.link}`);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  await sent.getByRole('button', { name: 'Copy link' }).click();
  await sent.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), invitee.link);

  const invitations = page.getByRole('region', { name: 'Invitations' });
  const row = invitations.getByRole('listitem').filter({ hasText: invitee.email });
  await row.getByText('Pending').waitFor();
  assert.match(await row.textContent(), /Accountant/);
  assert.match(await row.textContent(), /expires/);
  await shoot(page, 'team-invited');

  // The same address again: 409, said next to the field.
  await form.getByLabel('E-mail address').fill(invitee.email);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await waitForInvalidField('Invite someone');
  assert.match(await fieldError(form, 'E-mail address'), /pending invitation already/);
  assert.equal(await invitations.getByRole('listitem').filter({ hasText: invitee.email }).count(), 1, 'invited once');

  if (MAILDEV_URL) {
    // The documents worker mails the invitation with the same link.
    const deadline = Date.now() + 20_000;
    let mail;
    while (!mail && Date.now() < deadline) {
      const list = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
      mail = list.find((m) => m.to?.some((t) => t.address === invitee.email));
      if (!mail) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(mail, `an invitation e-mail to ${invitee.email} arrived at maildev`);
    assert.ok(`${mail.text ?? ''}${mail.html ?? ''}`.includes(new URL(invitee.link).searchParams.get('token')), 'the e-mail carries the link');
  }
});

step('the invitee opens the link, signs in, joins, and sees the business read only', async () => {
  await createVerifiedUser(invitee.email);
  inviteePage = await newUserPage(browser, pageErrors);
  const p = inviteePage;
  // Signed out, the link leads to sign-in first and back to the join page afterwards.
  await p.goto(invitee.link);
  await p.waitForURL(/\/signin\?next=%2Fjoin/);
  await p.getByText('You are invited to a business').waitFor();
  await p.getByLabel('E-mail address').fill(invitee.email);
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: 'Join a business on SmallPay?' }).waitFor();
  assert.equal(new URL(p.url()).pathname, '/join');
  await p.getByText(`You are signed in as ${invitee.email}`).waitFor();
  await shoot(p, 'join');

  await p.getByRole('button', { name: 'Join the business' }).click();
  await p.getByText(`You joined ${business} as an accountant.`).waitFor();
  await p.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.equal(new URL(p.url()).pathname, '/');
  // The switcher shows the business and the role; the figures are the owner's.
  await switcher(p).filter({ hasText: business }).filter({ hasText: 'Accountant' }).waitFor();
  await p.getByTestId('kpi-received').filter({ hasText: expected.total }).waitFor();
  assert.equal(await p.getByRole('link', { name: 'New invoice' }).count(), 0, 'no New invoice on the dashboard');

  // Invoices: listed, nothing to create, edit, delete or pay.
  await nav(p, 'Invoices').click();
  await p.locator('tbody tr').nth(1).waitFor();
  assert.equal(await p.getByRole('link', { name: 'New invoice' }).count(), 0);
  assert.equal(await p.getByRole('link', { name: /^Edit / }).count(), 0);
  assert.equal(await p.getByRole('button', { name: /^Delete / }).count(), 0);
  assert.equal(await p.getByRole('link', { name: /^Record a payment/ }).count(), 0);
  // The paid invoice: its PDF, and no button that changes it.
  await p.getByRole('link', { name: 'INV-000001', exact: true }).click();
  await p.getByRole('heading', { name: 'Invoice INV-000001' }).waitFor();
  await p.getByTestId('invoice-total').filter({ hasText: expected.total }).waitFor();
  await p.getByRole('row', { name: /First instalment/ }).waitFor();
  const actions = p.locator('.page__actions');
  assert.deepEqual(await actions.getByRole('button').allTextContents(), ['Download PDF']);
  assert.equal(await actions.getByRole('link').count(), 0);
  await shoot(p, 'invoice-accountant');
  // The draft: no Delete, Edit, Send or Finalize; its editor is not for this role either.
  await nav(p, 'Invoices').click();
  await p.locator('tbody tr', { has: p.locator('.chip--draft') }).getByRole('link', { name: 'Draft', exact: true }).click();
  await p.getByRole('heading', { name: /Draft invoice/ }).waitFor();
  assert.equal(await p.locator('.page__actions').getByRole('button').count(), 0);
  assert.equal(await p.locator('.page__actions').getByRole('link').count(), 0);
  await p.goto(`${BASE_URL}/invoices/new`);
  await p.getByRole('heading', { name: 'Not available to your role' }).waitFor();

  // Customers: readable (details in a dialog), not changeable.
  await nav(p, 'Customers').click();
  await p.getByRole('row', { name: new RegExp(customer.name) }).waitFor();
  assert.equal(await p.getByRole('button', { name: 'Add customer' }).count(), 0);
  assert.equal(await p.getByRole('link', { name: `Edit ${customer.name}` }).count(), 0);
  assert.equal(await p.getByRole('button', { name: `Delete ${customer.name}` }).count(), 0);
  await p.getByRole('link', { name: `View ${customer.name}` }).click();
  const details = p.getByRole('dialog', { name: customer.name });
  await details.getByText('+49 30 1234567', { exact: true }).waitFor();
  await details.getByRole('button', { name: 'OK', exact: true }).click();
  await details.waitFor({ state: 'hidden' });

  // Settings: shown, not editable; the team: read only, with a way to leave.
  await nav(p, 'Settings').click();
  await p.getByText('you can read its settings; only an owner can change them').waitFor();
  assert.equal(await p.getByLabel('Business name').inputValue(), business);
  assert.equal(await p.getByLabel('Business name').isDisabled(), true);
  assert.equal(await p.getByRole('button', { name: 'Save settings' }).count(), 0);
  await p.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Team' }).click();
  const members = p.getByRole('region', { name: /^Members/ });
  await members.getByText(invitee.email, { exact: true }).waitFor();
  assert.equal(await p.getByRole('form', { name: 'Invite someone' }).count(), 0);
  assert.equal(await members.getByRole('combobox').count(), 0, 'no role to change');
  assert.equal(await members.getByRole('button', { name: /^Remove / }).count(), 0);
  await members.getByRole('button', { name: 'Leave this business' }).waitFor();
  assert.equal(await p.getByRole('button', { name: /^Withdraw / }).count(), 0);
});

step('the business switcher: the invitee moves between their own business and the one they joined', async () => {
  const p = inviteePage;
  await switcher(p).click();
  const menu = p.getByRole('menu', { name: 'Your businesses' });
  assert.deepEqual(
    (await menu.getByRole('menuitemradio').allTextContents()).map((t) => t.replace('✓', '').trim()),
    ['My businessOwner · yours', `${business}Accountant`],
  );
  assert.equal(await menu.getByRole('menuitemradio', { checked: true }).textContent().then((t) => t.includes(business)), true);
  await menu.getByRole('menuitemradio', { name: /My business/ }).click();
  await menu.waitFor({ state: 'hidden' });
  // Their own (empty) business, as its owner: the data of the other one is gone from the screens.
  await p.waitForURL(`${BASE_URL}/`);
  await p.getByRole('heading', { name: 'Welcome to SmallPay' }).waitFor();
  await switcher(p).filter({ hasText: 'My business' }).filter({ hasText: 'Owner' }).waitFor();
  await nav(p, 'Invoices').click();
  await p.getByRole('heading', { name: 'No invoices yet' }).waitFor();
  // The choice is remembered on this browser.
  await p.reload();
  await p.getByRole('heading', { name: 'No invoices yet' }).waitFor();
  await switcher(p).filter({ hasText: 'My business' }).waitFor();
  // And back, by keyboard.
  await switcher(p).focus();
  await p.keyboard.press('Enter');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Enter');
  await p.getByTestId('kpi-received').filter({ hasText: expected.total }).waitFor();
  await switcher(p).filter({ hasText: business }).waitFor();
});

step('the owner makes the accountant a member (a stale change gets a 412 and a reload); the member adds a customer', async () => {
  await page.goto(`${BASE_URL}/settings/team`);
  const members = page.getByRole('region', { name: /^Members/ });
  const role = members.getByLabel(`Role of ${invitee.email}`);
  await role.waitFor();
  assert.equal(await role.inputValue(), 'accountant');

  // Another owner (here: another tab) saves this member first: this page's change is refused (412), nothing overwritten.
  const team = await apiCall(page, 'GET', '/team');
  const member = team.body.members.find((m) => m.email === invitee.email);
  const first = await apiCall(page, 'PUT', `/team/members/${member.userId}`, { body: { role: 'accountant' }, headers: { 'If-Match': `"${member.version}"` } });
  assert.equal(first.status, 200);
  assert.notEqual(first.etag, `"${member.version}"`, 'a new version');
  await role.selectOption('member');
  await members.getByRole('button', { name: 'Save role' }).click();
  const stale = members.getByRole('alert').filter({ hasText: 'Someone changed this member first' });
  await stale.waitFor();
  await shoot(page, 'team-conflict');
  await stale.getByRole('button', { name: 'Reload' }).click();
  await stale.waitFor({ state: 'hidden' });
  assert.equal(await role.inputValue(), 'accountant', 'the role as the other tab saved it');

  await members.getByLabel(`Role of ${invitee.email}`).selectOption('member');
  await members.getByRole('button', { name: 'Save role' }).click();
  await page.getByText(`${invitee.email} is now a member.`).waitFor();
  assert.equal((await apiCall(page, 'GET', '/team')).body.members.find((m) => m.email === invitee.email).role, 'member');

  // The member's next visit shows what a member may do: add a customer.
  const p = inviteePage;
  await p.goto(`${BASE_URL}/customers`);
  await switcher(p).filter({ hasText: 'Member' }).waitFor();
  await p.getByRole('button', { name: 'Add customer' }).click();
  const dialog = p.getByRole('dialog', { name: 'Add a customer' });
  await dialog.getByLabel('Name').fill('Kanzlei Weber');
  await dialog.getByRole('button', { name: 'Add customer' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await p.getByRole('row', { name: /Kanzlei Weber/ }).waitFor();
  // In the owner's business, not the member's own.
  assert.equal((await apiCall(page, 'GET', '/customers?q=Kanzlei')).body.items.length, 1);
  // Settings stay the owners'.
  await nav(p, 'Settings').click();
  await p.getByText('only an owner can change them').waitFor();
  await nav(p, 'Customers').click();
  await p.getByRole('row', { name: /Kanzlei Weber/ }).waitFor();
});

step("the owner removes the member: the member's next step is refused with the API's reason, back in their own business", async () => {
  const members = page.getByRole('region', { name: /^Members/ });
  await members.getByRole('button', { name: `Remove ${invitee.email}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${invitee.email}?` });
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await page.getByText(`${invitee.email} is removed.`).waitFor();
  await members.getByText(invitee.email, { exact: true }).waitFor({ state: 'detached' });

  // The member's screen still shows the business; their next step is refused (403).
  const p = inviteePage;
  await p.getByRole('button', { name: 'Add customer' }).click();
  const add = p.getByRole('dialog', { name: 'Add a customer' });
  await add.getByLabel('Name').fill('Not Saved Ltd');
  await add.getByRole('button', { name: 'Add customer' }).click();
  const notice = p.getByTestId('business-notice');
  await notice.getByText(`You are no longer a member of ${business}`).waitFor();
  assert.match(await notice.textContent(), /You are not a member of this business \(any more\)/, 'the API’s own sentence');
  assert.match(await notice.textContent(), /You are back in your own business/);
  await p.waitForURL(`${BASE_URL}/`);
  await p.getByRole('heading', { name: 'Welcome to SmallPay' }).waitFor();
  assert.equal(await switcher(p).count(), 0, 'one business left: no switcher');
  await shoot(p, 'business-removed');
  assert.equal((await apiCall(page, 'GET', '/customers?q=Not%20Saved')).body.items.length, 0, 'nothing was created');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await notice.waitFor({ state: 'detached' });
  await p.context().close();
});

step('the join page explains a link for someone else (403), a withdrawn one (409) and a broken one (404)', async () => {
  const other = uniqueEmail('colleague');
  await page.goto(`${BASE_URL}/settings/team`);
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('E-mail address').fill(other);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  const link = await page.getByRole('status').filter({ hasText: `Invitation sent to ${other}` }).getByLabel('Join link').inputValue();

  // The owner opens it: signed in with another address.
  await page.goto(link);
  await page.getByRole('button', { name: 'Join the business' }).click();
  const wrong = page.getByRole('alert').filter({ hasText: 'This invitation is for another e-mail address' });
  await wrong.waitFor();
  assert.ok((await wrong.textContent()).includes(other), 'it says which address the invitation is for');
  await wrong.getByRole('button', { name: 'Sign out and sign in as the invited address' }).waitFor();
  await shoot(page, 'join-wrong-address');

  // Withdrawn by the owner: the link no longer works.
  await page.goto(`${BASE_URL}/settings/team`);
  await page.getByRole('button', { name: `Withdraw the invitation for ${other}` }).click();
  await page.getByText(`The invitation for ${other} is withdrawn.`).waitFor();
  await page.getByRole('region', { name: 'Invitations' }).getByRole('listitem').filter({ hasText: other }).getByText('Withdrawn').waitFor();
  await page.goto(link);
  await page.getByRole('button', { name: 'Join the business' }).click();
  const used = page.getByRole('alert').filter({ hasText: 'This invitation can no longer be used' });
  await used.waitFor();
  assert.match(await used.textContent(), /withdrawn/);

  // A token nobody issued.
  await page.goto(`${BASE_URL}/join?token=not-a-real-invitation-token`);
  await page.getByRole('button', { name: 'Join the business' }).click();
  await page.getByRole('alert').filter({ hasText: 'This invitation link does not work' }).waitFor();
});

step("the demo account's team and business switcher (screenshots with sample data)", async (t) => {
  const demo = await newUserPage(browser, pageErrors);
  try {
    await demo.goto(`${BASE_URL}/signin`);
    await demo.getByLabel('E-mail address').fill('demo@smallpay.local');
    await demo.getByLabel('Password').fill('SmallPay-demo-2026');
    await demo.getByRole('button', { name: 'Sign in' }).click();
    const outcome = await Promise.race([
      demo.getByRole('heading', { name: 'Dashboard' }).waitFor().then(() => 'in'),
      demo.getByText('The e-mail address or password is wrong.').waitFor().then(() => 'no demo'),
    ]);
    if (outcome !== 'in') return t.skip('the stack runs without its demo account');
    // The demo business opens (the API's default for the demo user), next to the demo user's own.
    await switcher(demo).filter({ hasText: 'Northwind Studio' }).waitFor();
    await demo.getByTestId('kpi-received').waitFor();
    await switcher(demo).click();
    await demo.getByRole('menu', { name: 'Your businesses' }).waitFor();
    await shoot(demo, 'business-switcher');
    await demo.keyboard.press('Escape');
    await demo.getByRole('menu', { name: 'Your businesses' }).waitFor({ state: 'hidden' });

    await demo.goto(`${BASE_URL}/settings/team`);
    const members = demo.getByRole('region', { name: /^Members/ });
    await members.getByText('sam@bookkeeping.example', { exact: true }).waitFor();
    assert.equal(await members.getByLabel('Role of sam@bookkeeping.example').inputValue(), 'accountant');
    await demo.getByRole('region', { name: 'Invitations' }).getByText('Pending').first().waitFor();
    await shoot(demo, 'team');
  } finally {
    await demo.context().close();
  }
});
