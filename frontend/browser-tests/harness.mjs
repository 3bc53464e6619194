// Shared by the browser tests: Debian's Chromium driven by playwright-core (no downloaded browsers), the
// local stack's URL, screenshots at desktop and phone widths, and small helpers for the app's pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_URL = (process.env.SMALLPAY_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
export const SCREENSHOT_DIR = process.env.SMALLPAY_SCREENSHOTS ?? '';
export const MAILDEV_URL = (process.env.SMALLPAY_MAILDEV_URL ?? '').replace(/\/+$/, '');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const PASSWORD = 'Browser-test-2026';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // playwright-core gives every launch a fresh, temporary user-data-dir of its own.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile (no cookies, no storage): one user. Fails the test on any uncaught page error. */
export async function newUserPage(browser, errors) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return page;
}

// Toasts fade after a few seconds; in a still picture they would only hide what is under them.
const HIDE_TOASTS = '.toasts { display: none; }';

/** Saves the page at desktop and phone widths (full length) as docs/screenshots/{name}-desktop.png / -phone.png. */
export async function shoot(page, name) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  await settle(page);
  await page.setViewportSize(DESKTOP);
  await settle(page);
  // With a dialog open, the screen as the user sees it (the backdrop covers the viewport, not the whole page).
  const fullPage = (await page.locator('dialog[open]').count()) === 0;
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage, animations: 'disabled', style: HIDE_TOASTS });
  await page.setViewportSize(PHONE);
  await settle(page);
  // A full-length capture keeps fixed elements where the first screen has them; put the phone's tab bar at the
  // bottom of the page instead, where it sits for a user scrolled to the end.
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}-phone.png`),
    fullPage,
    animations: 'disabled',
    style: `${HIDE_TOASTS} .shell { position: relative; } .shell > .topbar { position: static; } .shell > .topbar > .nav { position: absolute; }`,
  });
  await page.setViewportSize(original);
  await settle(page);
}

async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await finishedDrawing(page);
  // Full-page shots from the top, so the sticky header and the phone's tab bar sit where a user sees them, and
  // no button under a resting mouse pointer looks hovered.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  // A field the test typed into last would show its focus ring (and a date field its selected segment) in the picture.
  // (Form fields only: a menu or dialog keeps its focus, which its keyboard handling needs.)
  await page.evaluate(() => document.activeElement?.matches('input, textarea, select') && !document.activeElement.closest('dialog') && document.activeElement.blur());
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Waits until the page has finished drawing: no loading skeleton, placeholder or busy region left, and every chart
 * drawn at its box's current width (ReceivedChart marks the width it drew at; a resize redraws it). Fails after 15 s,
 * so a screenshot never shows a half-drawn page.
 */
export async function finishedDrawing(page) {
  await page.waitForFunction(
    () =>
      !document.querySelector('.loading, .skeleton, .chart--placeholder, .kpi--placeholder, [aria-busy="true"]') &&
      [...document.querySelectorAll('.chart > [role="img"]')].every((box) => box.dataset.drawnWidth === String(Math.max(box.clientWidth, 200))),
    null,
    { timeout: 15_000, polling: 50 },
  );
}

export function uniqueEmail(who) {
  return `${who}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.test`;
}

/** Sign up through the app's pages; the local Cognito takes any confirmation code. Ends signed in, on the dashboard. */
export async function signUpAndSignIn(page, email, { screenshots = false } = {}) {
  await page.goto(`${BASE_URL}/signup`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  if (screenshots) await shoot(page, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Confirm your e-mail address' }).waitFor();
  await page.getByLabel('Confirmation code').fill('123456');
  if (screenshots) await shoot(page, 'confirm');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.getByText('Your e-mail address is confirmed. Sign in.').waitFor();
  await signIn(page, email, PASSWORD, { screenshot: screenshots ? 'sign-in' : null });
}

export async function signIn(page, email, password, { screenshot = null } = {}) {
  if (!page.url().includes('/signin')) await page.goto(`${BASE_URL}/signin`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  if (screenshot) await shoot(page, screenshot);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** The signed-in user's ID token, as the app stores it (to change data behind the app's back). */
export async function idToken(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('CognitoIdentityServiceProvider.') && k.endsWith('.idToken'));
    return key ? localStorage.getItem(key) : null;
  });
}

/** Calls the API from the page with the user's token, as another tab would. */
export async function apiCall(page, method, path, { body, headers = {} } = {}) {
  const token = await idToken(page);
  return page.evaluate(
    async ({ method, url, body, headers, token }) => {
      const response = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : null };
    },
    { method, url: `${BASE_URL}${path}`, body, headers, token },
  );
}

/** The error text shown next to the field with this label. */
export async function fieldError(page, label) {
  const input = page.getByLabel(label, { exact: true });
  const describedBy = await input.getAttribute('aria-describedby');
  const errorId = describedBy?.split(' ').find((id) => id.endsWith('-error'));
  return errorId ? (await page.locator(`[id="${errorId}"]`).textContent())?.trim() : null;
}

/** A link of the main navigation. */
export function nav(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** The app's /config.json: the API, and locally the Cognito endpoint of moto. */
export async function appConfig() {
  return (await fetch(`${BASE_URL}/config.json`)).json();
}

/** One call of the local Cognito's (moto's) JSON API, as the AWS CLI would make it (moto checks no signature). */
async function localCognito(config, operation, body) {
  if (!config.cognitoEndpoint) throw new Error('not a local stack: /config.json has no cognitoEndpoint');
  const response = await fetch(config.cognitoEndpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      Authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${config.region}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${operation}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/**
 * A confirmed user with a verified e-mail address, made through the local Cognito's admin API as the stack's own
 * helper makes the demo user (an invitation can only be accepted by the verified invited address; a sign-up through
 * the app gets no email_verified from moto).
 */
export async function createVerifiedUser(email, password = PASSWORD) {
  const config = await appConfig();
  // Real Cognito puts every readable attribute, email_verified included, into the ID token; moto only those the app
  // client lists as ReadAttributes, and the template lists none (all readable). Say so for this test stack's client.
  await localCognito(config, 'UpdateUserPoolClient', {
    UserPoolId: config.userPoolId,
    ClientId: config.userPoolClientId,
    ReadAttributes: ['email', 'email_verified'],
  });
  await localCognito(config, 'SignUp', {
    ClientId: config.userPoolClientId,
    Username: email,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  await localCognito(config, 'AdminConfirmSignUp', { UserPoolId: config.userPoolId, Username: email });
  await localCognito(config, 'AdminUpdateUserAttributes', {
    UserPoolId: config.userPoolId,
    Username: email,
    UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
  });
}

/** The business switcher's button in the header (only there when the user works in more than one business). */
export function switcher(page) {
  return page.getByRole('button', { name: /^Business:/ });
}

/**
 * `step(name, [options], fn)`: a test of a file whose steps build on each other (one user's data). After a failure the
 * later steps are skipped, naming the failed one, instead of each timing out. `onFailure` runs before the error is
 * rethrown (e.g. to print the page).
 */
export function dependentSteps({ onFailure } = {}) {
  let failedStep = null;
  return function step(name, ...rest) {
    const fn = rest.pop();
    const options = rest[0] ?? {};
    test(name, options, async (t) => {
      if (failedStep) return t.skip(`skipped: "${failedStep}" failed`);
      try {
        await fn(t);
      } catch (error) {
        failedStep = name;
        await onFailure?.(error);
        throw error;
      }
    });
  };
}

/** The local host's clock (the time every local function sees): read it, or move it (`{advance, step}`, `{reset: true}`). */
export async function localClock(body) {
  const response = await fetch(`${BASE_URL}/_local/clock`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  assert.equal(response.status, 200, `/_local/clock answered ${response.status}`);
  return response.json();
}
