// Runtime configuration: read from window.__APP_CONFIG__ (written by /config.js at container start), never baked in.

export interface AppConfig {
  apiUrl: string;
  auth0Domain: string;
  auth0ClientId: string;
  auth0Audience: string;
}

interface RawConfig {
  REACT_APP_API_URL?: string;
  REACT_APP_AUTH0_DOMAIN?: string;
  REACT_APP_AUTH0_CLIENT_ID?: string;
  REACT_APP_AUTH0_AUDIENCE?: string;
}

declare global {
  interface Window {
    __APP_CONFIG__?: RawConfig;
  }
}

export function readConfig(raw: RawConfig | undefined = window.__APP_CONFIG__): AppConfig {
  const value = (key: keyof RawConfig) => (raw?.[key] ?? '').trim();
  return {
    // Empty means "same origin"; a trailing slash would double up with the /api prefix.
    apiUrl: value('REACT_APP_API_URL').replace(/\/+$/, ''),
    auth0Domain: value('REACT_APP_AUTH0_DOMAIN'),
    auth0ClientId: value('REACT_APP_AUTH0_CLIENT_ID'),
    auth0Audience: value('REACT_APP_AUTH0_AUDIENCE'),
  };
}

export const config: AppConfig = readConfig();

export const usesAuth0 = (c: AppConfig = config) => c.auth0Domain !== '' && c.auth0ClientId !== '';
