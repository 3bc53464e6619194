// What the SPA needs to reach the API and sign in. Served as /config.json next to index.html: by the local host
// (with `cognitoEndpoint`, its moto Cognito) and, in AWS, written from the stack outputs at deploy time.

export interface AppConfig {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Only locally: the Cognito endpoint to use instead of https://cognito-idp.{region}.amazonaws.com/. */
  cognitoEndpoint?: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as Partial<AppConfig>;
  for (const key of ['apiUrl', 'region', 'userPoolId', 'userPoolClientId'] as const) {
    if (!config[key]) throw new Error(`/config.json has no ${key}`);
  }
  return config as AppConfig;
}

/** The local stack's Cognito (moto) sends no e-mails and accepts any confirmation code. */
export function isLocalCognito(config: AppConfig): boolean {
  return Boolean(config.cognitoEndpoint);
}
