// Payment reminders in a real browser against the local stack: the plan in Settings → Reminders (the preview fills the
// placeholders; a typo is refused next to its field), an invoice's history as a timeline with the reminders the plan
// sent after the local clock moved (POST /_local/clock runs the hourly schedule after each day), turning them off for
// the invoice, and a reminder sent by hand. The clock goes back to the machine's time at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, MAILDEV_URL, apiCall, dependentSteps, launch, localClock, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
const pageErrors = [];
const customer = { name: 'Okafor Trading Ltd', email: uniqueEmail('okafor') };
const invoice = { id: '', number: '' };

const clock = localClock;

const addDays = (day, days) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
  await clock({ reset: true });
});

after(async () => {
  await clock({ reset: true }).catch(() => undefined);
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

const step = dependentSteps();

/** The invoice page, reloaded until the history shows at least `count` of these (the worker mails in the background). */
async function openInvoiceUntil(selector, count = 1, timeout = 45_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.goto(`${BASE_URL}/invoices/${invoice.id}`);
    await page.getByRole('list', { name: 'History' }).waitFor();
    if ((await page.locator(selector).count()) >= count) return;
    if (Date.now() > deadline) throw new Error(`the history never showed ${count} of ${selector}`);
    await page.waitForTimeout(1000);
  }
}

step('the reminder plan starts off with three ready steps, and its preview fills the placeholders', async () => {
  await signUpAndSignIn(page, uniqueEmail('reminders'));
  // The business's name, set behind the app's back before any settings page is open (a page open before would hold the
  // old version: its save would rightly be a 412).
  const settings = await apiCall(page, 'GET', '/settings');
  assert.equal((await apiCall(page, 'PUT', '/settings', { body: { businessName: 'Sommer Design' }, headers: { 'If-Match': settings.etag } })).status, 200);
  await page.goto(`${BASE_URL}/settings`);
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Reminders' }).click();
  await page.getByRole('heading', { name: 'Payment reminders' }).waitFor();
  const enabled = page.getByLabel('Send payment reminders automatically');
  assert.equal(await enabled.isChecked(), false, 'reminders are off until the owner turns them on');
  const steps = page.getByRole('list', { name: 'Reminder steps' }).getByRole('listitem');
  assert.equal(await steps.count(), 3);
  await page.getByRole('heading', { name: '7 days after the due date, then every 14 days, 2 more times' }).waitFor();
  const preview = page.getByRole('figure', { name: 'Preview of step 1' });
  assert.equal(await preview.locator('strong').textContent(), 'Invoice INV-000042 is due on 15 March 2027');
});

step('a typo in a placeholder is refused next to its field; the saved plan is on', async () => {
  await page.getByLabel('Send payment reminders automatically').check();
  const first = page.getByRole('listitem', { name: /^Step 1:/ });
  await first.getByLabel('Message', { exact: true }).fill('Hello {customerName}, {amountdue} is due on {dueDate}.');
  await first.getByText('Not a placeholder: {amountdue}').waitFor();
  await page.getByRole('button', { name: 'Save reminder plan' }).click();
  await first.locator('[data-field-error]').filter({ hasText: '{amountdue} is not a placeholder' }).waitFor();

  await first.getByLabel('Message', { exact: true }).fill('Hello {customerName}, {amountDue} is due on {dueDate}.');
  assert.match(await page.getByRole('figure', { name: 'Preview of step 1' }).textContent(), /Hello Müller GmbH, €1,201\.61 is due on 15 March 2027\./);
  await page.getByRole('button', { name: 'Save reminder plan' }).click();
  await page.getByText('The reminder plan is saved: reminders go out by themselves.').waitFor();
  const saved = await apiCall(page, 'GET', '/settings');
  assert.equal(saved.body.reminders.enabled, true);
  assert.equal(saved.body.reminders.steps[0].message, 'Hello {customerName}, {amountDue} is due on {dueDate}.');
  assert.equal(saved.body.businessName, 'Sommer Design', 'the rest of the settings stayed as they were');
  await shoot(page, 'reminders-plan');
});

step('a sent invoice shows its history and the next reminder the plan will send', async () => {
  const today = (await clock()).now.slice(0, 10);
  const created = await apiCall(page, 'POST', '/customers', { body: { name: customer.name, email: customer.email } });
  assert.equal(created.status, 201);
  const draft = await apiCall(page, 'POST', '/invoices', {
    body: {
      customerId: created.body.id,
      currency: 'EUR',
      issueDate: today,
      dueDate: addDays(today, 10),
      lines: [{ description: 'Shop fitting design', quantity: 12, unitPrice: 85, discountPercent: 0, taxRatePercent: 19 }],
    },
  });
  assert.equal(draft.status, 201);
  invoice.id = draft.body.id;
  const sent = await apiCall(page, 'POST', `/invoices/${invoice.id}/send`, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sent.status, 202);
  invoice.number = sent.body.number;

  await openInvoiceUntil('.timeline__event.delivery--sent');
  const history = page.getByRole('list', { name: 'History' });
  await history.getByText('Created as a draft').waitFor();
  await history.getByText(`Finalized as ${invoice.number}`).waitFor();
  await history.getByText('Invoice e-mailed').waitFor();
  await history.getByText('Next reminder: 3 days before the due date').waitFor();
  assert.equal(await page.getByLabel('Automatic payment reminders for this invoice').isChecked(), true);
});

step('twelve days later the plan has sent the reminders before and on the due date, once each', async () => {
  const moved = await clock({ advance: 'P12D', step: 'PT6H' }); // (6 hours a step: each reminder goes on its day, whatever the time of day the test runs)
  assert.ok(moved.steps >= 48, `the clock moved in ${moved.steps} steps`);
  await openInvoiceUntil('.timeline__event.delivery--reminder.delivery--sent', 2);
  const history = page.getByRole('list', { name: 'History' });
  await history.getByText('Reminder: 3 days before the due date').waitFor();
  await history.getByText('Reminder: on the due date').waitFor();
  assert.equal(await page.locator('.timeline__event.delivery--reminder').count(), 2, 'one reminder per step, however often the schedule ran');
  await history.getByText('Next reminder: 7 days after the due date').waitFor();
  await history.getByText(`“Invoice ${invoice.number} is due today”`).waitFor();
  if (MAILDEV_URL) {
    const list = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
    const mails = list.filter((m) => m.to?.some((t) => t.address === customer.email));
    assert.equal(mails.length, 3, 'the invoice and two reminders reached the customer');
    assert.ok(mails.every((m) => m.attachments?.some((a) => /pdf/i.test(a.contentType))), 'each with the PDF');
  }
  await shoot(page, 'invoice-history-reminders');
});

step('turning reminders off for the invoice removes the next one; a reminder can still be sent by hand', async () => {
  await page.getByLabel('Automatic payment reminders for this invoice').uncheck();
  await page.getByText('No automatic reminders for this invoice.').waitFor();
  const history = page.getByRole('list', { name: 'History' });
  await page.reload();
  await history.waitFor();
  assert.equal(await history.getByText(/^Next reminder/).count(), 0);

  await page.getByRole('button', { name: 'Send a reminder now' }).click();
  const dialog = page.getByRole('dialog', { name: `Send a reminder of ${invoice.number}` });
  assert.equal(await dialog.getByLabel('To').inputValue(), customer.email);
  await dialog.getByLabel('Message (optional)').fill('Could you let me know when to expect the payment? Thank you.');
  await shoot(page, 'invoice-reminder-dialog');
  await dialog.getByRole('button', { name: 'Send reminder' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await openInvoiceUntil('.timeline__event.delivery--reminder.delivery--sent', 3);
  await page.getByRole('list', { name: 'History' }).getByText('Reminder sent by hand').waitFor();
  await shoot(page, 'invoice-history-reminder-by-hand');
});
