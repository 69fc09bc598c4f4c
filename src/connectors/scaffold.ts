// The files `connector-init` and `add-datatype` write, as sesam-py writes them (Python json.dump with indent 2 and
// sorted keys, ASCII escapes, no trailing newline): a manifest, a REST system template with the auth scheme's
// secrets, and per datatype a list pipe, a collect pipe and optionally a share pipe with their operations.
import type { JsonObject } from '../format/json.js';

export const AUTH_SCHEMES = ['oauth2', 'api_key', 'jwt'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export function initialManifest(auth: AuthScheme): JsonObject {
  const manifest: JsonObject = {
    auth,
    datatypes: {},
    additional_parameters: {},
    'system-template': 'templates/system.json',
  };
  if (auth === 'oauth2') manifest.oauth2 = { login_url: '', token_url: '', scopes: [] };
  if (auth === 'jwt') {
    manifest.auth = 'api_key';
    manifest.auth_variant = 'jwt';
    manifest.jwt = { jwt_header_key: '', login_url: '', refresh_url: '' };
  }
  return manifest;
}

export function initialSystemTemplate(auth: AuthScheme): JsonObject {
  const system: JsonObject = {
    _id: '{{@ system @}}',
    operations: {},
    type: 'system:rest',
    url_pattern: '',
    verify_ssl: true,
  };
  if (auth === 'oauth2') {
    system.oauth2 = {
      access_token: '$SECRET(oauth_access_token)',
      client_id: '$SECRET(oauth_client_id)',
      client_secret: '$SECRET(oauth_client_secret)',
      refresh_token: '$SECRET(oauth_refresh_token)',
      token_url: '{{@ token_url @}}',
    };
  }
  if (auth === 'api_key') system.password = '$SECRET(api_key)';
  if (auth === 'jwt') system.jwt_access_token = '$SECRET(jwt_access_token)';
  return system;
}

export function connectorReadme(name: string): string {
  return (
    `# A sesam connector for ${name}\n\n## Description\n\n` +
    '## Configuration\n\n## Datatypes\n\n## Notes\n\n## Environment variables\n\n## Authentication'
  );
}

/** The template of a new datatype (its pipes) and the operations it needs on the system. */
export function datatypeTemplate(datatype: string, share: boolean): { template: JsonObject[]; operations: JsonObject } {
  const all: JsonObject = {
    _id: '{{@ system @}}-{{@ datatype @}}-all',
    add_namespaces: false,
    source: { operation: '{{@ datatype @}}-list', system: '{{@ system @}}', type: 'rest' },
    type: 'pipe',
  };
  const collectRest: JsonObject = {
    properties: { primary_key: 'id', operation_lookup_delete: '{{@ datatype @}}-lookup' },
    template: 'transform-collect-rest',
    type: 'template',
  };
  const collect: JsonObject = {
    _id: '{{@ system @}}-{{@ datatype @}}-collect',
    namespaced_identifiers: false,
    source: { dataset: '{{@ system @}}-{{@ datatype @}}-all', type: 'dataset' },
    transform: [
      {
        rules: {
          default: [
            ['copy', '*'],
            ['add', '$last-modified', ['datetime-parse', '<FORMATSTRING>', '<VALUES>']],
          ],
        },
        type: 'dtl',
      },
      collectRest,
    ],
    type: 'pipe',
  };
  const operations: JsonObject = {
    [`${datatype}-list`]: {
      id_expression: '{{ <primary-key> }}',
      method: 'GET',
      next_page_link: '{%if (headers.<link-location> is defined)%}{{headers.<link-location>}}{%endif%}',
      next_page_termination_strategy: ['<strategy>'],
      page_size: '<INT>',
      payload_property: '',
      since_property_name: '',
      since_property_location: '',
      updated_expression: '',
      url: '',
    },
  };
  const template = [all, collect];
  if (share) {
    collect.exclude_completeness = '{{@ system @}}-{{@ datatype @}}-share';
    (collectRest.properties as JsonObject).share_dataset = '{{@ system @}}-{{@ datatype @}}-share';
    template.push({
      _id: '{{@ system @}}-{{@ datatype @}}-share',
      batch_size: 1,
      namespaced_identifiers: false,
      sink: { set_initial_offset: 'onload' },
      source: { dataset: '{{@ system @}}-{{@ datatype @}}-transform', type: 'dataset' },
      transform: {
        properties: {
          operation_delete: '{{@ datatype @}}-delete',
          operation_insert: '{{@ datatype @}}-insert',
          operation_lookup: '{{@ datatype @}}-lookup',
          operation_update: '{{@ datatype @}}-update',
          primary_key: 'id',
          rest_system: '{{@ system @}}',
          share_dataset: '{{@ system @}}-{{@ datatype @}}-share',
        },
        template: 'transform-share-rest',
        type: 'template',
      },
      type: 'pipe',
    });
    for (const [op, method] of [
      ['delete', 'DELETE'],
      ['insert', 'POST'],
      ['lookup', 'GET'],
      ['update', 'PUT'],
    ] as const) {
      operations[`${datatype}-${op}`] = { method, url: '' };
    }
  }
  return { template, operations };
}
