// The SPA's one list of interaction fields against the running API's own description of them: the two sides
// are each written once, and this is where a field added on one side but not the other is caught.
import { FIELD_NAMES, FINDER_FIELDS, FINDER_FILTERS, SORTABLE_FIELDS, fieldSpec, isRequired } from '../src/api/interactionFields';
import { apiToken, bearer, expect, test } from './helpers';

interface SchemaProperty {
  type?: string;
  maxLength?: number;
  enum?: string[];
  default?: unknown;
  items?: SchemaProperty;
}
interface Parameter {
  name: string;
  in: string;
  schema: SchemaProperty;
}
interface ObjectSchema {
  properties: Record<string, SchemaProperty>;
  required?: string[];
}

test('the field list is the API input, with its required fields, defaults, lengths and choices', async ({ request }) => {
  const spec = await (await request.get('/api/openapi.json')).json();
  const input: ObjectSchema = spec.components.schemas.InteractionIn;
  expect(Object.keys(input.properties)).toEqual(FIELD_NAMES);
  // The API requires what has no default; the form refuses such a field empty.
  const withoutDefault = FIELD_NAMES.filter((name) => fieldSpec(name).default === undefined);
  expect([...(input.required ?? [])].sort()).toEqual([...withoutDefault].sort());
  for (const name of withoutDefault) expect(isRequired(name), `${name} required on the form`).toBe(true);
  for (const name of FIELD_NAMES) {
    const field = fieldSpec(name);
    expect(input.properties[name].maxLength, `${name} length`).toBe(field.max);
    expect(input.properties[name].enum, `${name} choices, in order`).toEqual(field.options ? [...field.options] : undefined);
    expect(input.properties[name].default, `${name} default`).toEqual(field.default);
  }
  const record: ObjectSchema = spec.components.schemas.Interaction;
  expect(Object.keys(record.properties)).toEqual(expect.arrayContaining(FINDER_FIELDS));
});

test('every column the Finder offers to sort by is one the API sorts by', async ({ request }) => {
  const headers = bearer(await apiToken(request, 'viewer'));
  for (const name of SORTABLE_FIELDS) {
    for (const sort of [name, `-${name}`]) {
      const answer = await request.get(`/api/interactions?sort=${sort}&page_size=1`, { headers });
      expect(answer.status(), `sort=${sort}`).toBe(200);
    }
  }
});

test('every Finder filter is a parameter the API filters by, an any-of one with the same options in order', async ({ request }) => {
  const spec = await (await request.get('/api/openapi.json')).json();
  const parameters: Parameter[] = spec.paths['/api/interactions'].get.parameters;
  const byName = new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
  expect(FINDER_FILTERS.length).toBeGreaterThan(0);
  for (const filter of FINDER_FILTERS) {
    for (const param of filter.params) {
      const schema = byName.get(param);
      expect(schema, `${param} is a Finder query parameter`).toBeDefined();
      if (filter.by === 'anyOf') {
        expect(schema?.type, `${param} repeats`).toBe('array');
        expect(schema?.items?.enum, `${param} options, in order`).toEqual([...filter.options]);
      }
      if (filter.by === 'substring' || filter.by === 'exact') expect(schema?.type, `${param} is text`).toBe('string');
    }
  }
});
