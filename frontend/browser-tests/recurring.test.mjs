// Recurring invoices in a real browser against the local stack: a monthly profile set up in the editor, whose live
// preview must show the dates the server then stores; editing it (and a 412 from a change made meanwhile); pause and
// resume; the invoices it made after the local clock moved two months (POST /_local/clock runs the schedule); the
// dashboard's "recurring, next 30 days". The clock goes back to the machine's time at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, apiCall, dependentSteps, launch, localClock, nav, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
const pageErrors = [];
const customer = { name: 'Lindqvist & Söner AB' };
const profile = { id: '', name: 'Monthly retainer', previewDates: [] };

const clock = localClock;

const isoDay = (date) => date.toISOString().slice(0, 10);
const addDays = (day, days) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
/** The same day of the next month, clamped to its last day (as the schedule does). */
function nextMonth(day) {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return isoDay(new Date(Date.UTC(y, m, Math.min(d, last))));
}

let today; // the server's, from the local clock
const tomorrow = () => addDays(today, 1);
const dates = (locator) => locator.locator('li[data-date]').evaluateAll((items) => items.map((li) => li.dataset.date));

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
  today = (await clock()).now.slice(0, 10);
});

after(async () => {
  await clock({ reset: true }).catch(() => undefined);
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

const step = dependentSteps();

step('the recurring page is in the main navigation, empty at first', async () => {
  await signUpAndSignIn(page, uniqueEmail('recurring'));
  const created = await apiCall(page, 'POST', '/customers', { body: { name: customer.name } });
  assert.equal(created.status, 201);
  customer.id = created.body.id;
  await nav(page, 'Recurring').click();
  await page.getByRole('heading', { name: 'Recurring invoices', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'No recurring invoices yet' }).waitFor();
  await shoot(page, 'recurring-empty');
});

step('the editor previews the next dates live as the schedule changes', async () => {
  await page.getByRole('link', { name: 'New recurring invoice' }).first().click();
  await page.getByRole('heading', { name: 'New recurring invoice' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(profile.name);
  await page.getByLabel('Customer', { exact: true }).selectOption({ label: customer.name });
  await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
  const line = page.getByRole('listitem', { name: 'Line 1' });
  await line.getByLabel('Description, line 1', { exact: true }).fill('Bookkeeping retainer');
  await line.getByLabel('Unit price', { exact: true }).fill('500');
  await line.getByLabel('Tax %', { exact: true }).fill('19');
  assert.equal(await page.getByTestId('totals-total').textContent(), '€595.00');

  // Month ends from 31 January 2030: clamped to each month's last day, never drifting.
  const preview = page.getByTestId('run-preview');
  await page.getByLabel('Start date', { exact: true }).fill('2030-01-31');
  await page.getByLabel('The last day of the month', { exact: true }).check();
  assert.deepEqual(await dates(preview), ['2030-01-31', '2030-02-28', '2030-03-31', '2030-04-30', '2030-05-31', '2030-06-30']);
  assert.equal(await page.getByTestId('schedule-words').textContent(), 'Every month on the last day');

  // Every two months, ending after three invoices: three dates.
  await page.getByLabel('Every', { exact: true }).fill('2');
  await page.getByLabel('After a number of invoices', { exact: true }).check();
  await page.getByLabel('Number of invoices', { exact: true }).fill('3');
  assert.deepEqual(await dates(preview), ['2030-01-31', '2030-03-31', '2030-05-31']);
  assert.equal(await page.getByTestId('schedule-words').textContent(), 'Every 2 months on the last day, 3 times');

  // A schedule that is not complete shows no dates, and says so.
  await page.getByLabel('Every', { exact: true }).fill('0');
  await preview.getByText('The dates appear once the schedule is complete.').waitFor();

  // What is saved: monthly from tomorrow, on its day, never ending.
  await page.getByLabel('Every', { exact: true }).fill('1');
  await page.getByLabel('A day of the month', { exact: true }).check();
  await page.getByLabel('Never', { exact: true }).check();
  await page.getByLabel('Start date', { exact: true }).fill(tomorrow());
  profile.previewDates = await dates(preview);
  assert.equal(profile.previewDates.length, 6);
  assert.equal(profile.previewDates[0], tomorrow());
  assert.equal(profile.previewDates[1], nextMonth(tomorrow()));
  await shoot(page, 'recurring-editor');
});

step('a bad day of the month is caught next to its field, nothing is saved', async () => {
  await page.getByLabel('Day of the month', { exact: true }).fill('32');
  await page.getByRole('button', { name: 'Start recurring invoice' }).click();
  await page.getByText('Enter a day from 1 to 31, or leave it empty for the start date’s day.').waitFor();
  assert.equal((await apiCall(page, 'GET', '/recurring')).body.items.length, 0);
  await page.getByLabel('Day of the month', { exact: true }).fill('');
});

step('saving it shows the profile with the dates the preview promised', async () => {
  await page.getByRole('button', { name: 'Start recurring invoice' }).click();
  await page.waitForURL(/\/recurring\/prf_/);
  profile.id = page.url().split('/').pop();
  await page.getByRole('heading', { name: profile.name }).waitFor();
  assert.deepEqual(await dates(page.getByTestId('next-runs')), profile.previewDates, 'the server’s next runs are the preview’s');
  assert.equal(await page.getByTestId('profile-total').textContent(), '€595.00');
  assert.equal(await page.getByTestId('invoices-made').textContent(), '0');
  await page.getByText('None yet').waitFor();
});

step('the list shows its name, customer, amount, schedule, next run, status and invoices made', async () => {
  await nav(page, 'Recurring').click();
  const row = page.getByTestId(`recurring-${profile.id}`);
  await row.waitFor();
  await row.getByText(customer.name).waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[0], profile.name);
  assert.equal(cells[2], '€595.00');
  assert.match(cells[3], /^Every month on the \d+(st|nd|rd|th)$/);
  assert.equal(cells[5], 'Active');
  assert.equal(cells[6], '0');
  await shoot(page, 'recurring-list');
});

step('a change made meanwhile is a 412: nothing is saved, and reloading shows theirs', async () => {
  await page.getByRole('link', { name: profile.name }).click();
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: `Edit ${profile.name}` }).waitFor();
  // Another tab renames it.
  const current = await apiCall(page, 'GET', `/recurring/${profile.id}`);
  const body = { name: 'Renamed elsewhere', invoice: { customerId: customer.id, currency: 'EUR', paymentTermsDays: 14, lines: current.body.invoice.lines.map(({ amount, ...line }) => line) }, schedule: current.body.schedule, action: 'Draft' };
  assert.equal((await apiCall(page, 'PUT', `/recurring/${profile.id}`, { body, headers: { 'If-Match': current.etag } })).status, 200);

  await page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Unit price', { exact: true }).fill('650');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Someone changed this recurring invoice since you opened it').waitFor();
  await shoot(page, 'recurring-conflict');
  await page.getByRole('button', { name: 'Reload their version' }).click();
  await page.getByRole('heading', { name: 'Edit Renamed elsewhere' }).waitFor();
  assert.equal(await page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Unit price', { exact: true }).inputValue(), '500');
});

step('editing it: a new name, price and action apply from the next invoice', async () => {
  await page.getByLabel('Name', { exact: true }).fill(profile.name);
  await page.getByRole('listitem', { name: 'Line 1' }).getByLabel('Unit price', { exact: true }).fill('600');
  await page.getByRole('radio', { name: /^Finalize and send it/ }).check();
  assert.equal(await page.getByTestId('totals-total').textContent(), '€714.00');
  // The schedule is unchanged: the preview shows the stored next runs.
  assert.deepEqual(await dates(page.getByTestId('run-preview')), profile.previewDates);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: profile.name }).waitFor();
  await page.getByText('Finalizes and sends the invoice').waitFor();
  assert.equal(await page.getByTestId('profile-total').textContent(), '€714.00');
});

step('pause and resume', async () => {
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  assert.equal(await page.locator('h1 .chip').textContent(), 'Paused');
  assert.equal(await page.getByTestId('next-run').textContent(), 'Paused');
  await page.getByText('None while paused.').waitFor();
  assert.equal((await apiCall(page, 'GET', `/recurring/${profile.id}`)).body.status, 'Paused');
  await shoot(page, 'recurring-paused');

  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  assert.equal(await page.locator('h1 .chip').textContent(), 'Active');
  assert.deepEqual(await dates(page.getByTestId('next-runs')), profile.previewDates, 'resumed before its first date: the same next runs');
});

step('the dashboard shows what it bills in the next 30 days', async () => {
  const runsInWindow = [tomorrow(), nextMonth(tomorrow())].filter((day) => day <= addDays(today, 29)).length;
  await nav(page, 'Dashboard').click();
  const figure = page.getByTestId('recurring-forecast-EUR');
  await figure.waitFor();
  assert.equal(await figure.textContent(), runsInWindow === 1 ? '€714.00' : '€1,428.00');
  await page.getByTestId('recurring-forecast').getByText(`${runsInWindow === 1 ? '1 invoice' : '2 invoices'} from 1 recurring invoice`).waitFor();
});

step('two months later it has made its invoices, each linked with its number and status', async () => {
  const moved = await clock({ advance: 'P2M' });
  assert.ok(moved.now.slice(0, 10) > addDays(today, 58), `the clock moved: ${moved.now}`);
  // Made on tomorrow's date and a month later; the third date is after the moved clock.
  const made = [tomorrow(), nextMonth(tomorrow())];
  await page.goto(`${BASE_URL}/recurring/${profile.id}`);
  await page.getByRole('heading', { name: profile.name }).waitFor();
  assert.equal(await page.getByTestId('invoices-made').textContent(), String(made.length));
  const rows = page.getByTestId('runs').locator('tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.period)), [...made].reverse(), 'newest first');
  const numbers = await rows.getByRole('link').allTextContents();
  assert.equal(numbers.length, 2);
  numbers.forEach((number) => assert.match(number, /^INV-\d+$/));
  assert.deepEqual(await rows.locator('.chip').allTextContents(), ['Open', 'Open']);
  await shoot(page, 'recurring-detail');

  await rows.getByRole('link').last().click();
  await page.getByRole('heading', { name: `Invoice ${numbers[1]}` }).waitFor();
  await page.getByText('Bookkeeping retainer').first().waitFor();

  await nav(page, 'Recurring').click();
  const row = page.getByTestId(`recurring-${profile.id}`);
  await row.waitFor();
  assert.equal((await row.locator('td').allTextContents())[6], '2');
  await nav(page, 'Dashboard').click();
  await page.getByTestId('recurring-forecast-EUR').waitFor();
  await shoot(page, 'dashboard-recurring');
});
