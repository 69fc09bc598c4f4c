// What `authenticate` needs from a connector's manifest.json: the login flow (`auth`, `auth_variant`) and its
// settings. Only the manifest object itself is required, so logging in works before any datatype is added.
import { isJsonObject, type JsonObject } from '../../format/json.js';
import { readManifestObject } from '../manifest.js';

export type AuthFlow = 'tripletex' | 'oauth2' | 'superoffice-ticket' | 'api_key' | 'none';

export interface ManifestAuth {
  flow: AuthFlow;
  /** `auth_variant: jwt` with `auth: api_key`: the api key is exchanged for JWTs at `jwt.login_url`. */
  jwtVariant: boolean;
  oauth2: { loginUrl?: string; tokenUrl?: string; scopes: string[]; optionalScopes: string[] };
  /** `oauth2.tenant_id_expression`: a token-response key, or a list whose second item is an id_token claim. */
  tenantIdExpression?: string | string[];
  identityUrl?: string;
  jwksUri?: string;
  jwt: { headerKey?: string; loginUrl?: string };
  requiresServiceApiAccess: boolean;
  useWebhookSecret: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** sesam-py's precedence: `auth_variant: tripletex` first, then `auth` (oauth2, with the superoffice variant; api_key). */
export function authFlowOf(manifest: JsonObject): AuthFlow {
  const variant = str(manifest.auth_variant)?.toLowerCase();
  const auth = str(manifest.auth)?.toLowerCase();
  if (variant === 'tripletex') return 'tripletex';
  if (auth === 'oauth2') return variant === 'superoffice-ticket' ? 'superoffice-ticket' : 'oauth2';
  if (auth === 'api_key') return 'api_key';
  return 'none';
}

export function readManifestAuth(connectorDir: string): ManifestAuth {
  const manifest = readManifestObject(connectorDir);
  const oauth2 = isJsonObject(manifest.oauth2) ? manifest.oauth2 : {};
  const jwt = isJsonObject(manifest.jwt) ? manifest.jwt : {};
  const tenant = oauth2.tenant_id_expression;
  return {
    flow: authFlowOf(manifest),
    jwtVariant: str(manifest.auth_variant)?.toLowerCase() === 'jwt',
    oauth2: {
      loginUrl: str(oauth2.login_url),
      tokenUrl: str(oauth2.token_url),
      scopes: strings(oauth2.scopes),
      optionalScopes: strings(oauth2.optional_scopes),
    },
    tenantIdExpression: Array.isArray(tenant) ? strings(tenant) : str(tenant),
    identityUrl: str(oauth2.identity_url),
    jwksUri: str(oauth2.jwks_uri),
    jwt: { headerKey: str(jwt.jwt_header_key), loginUrl: str(jwt.login_url) },
    requiresServiceApiAccess: Boolean(manifest.requires_service_api_access),
    useWebhookSecret: Boolean(manifest.use_webhook_secret),
  };
}
