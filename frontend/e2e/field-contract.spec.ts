// The SPA's one list of interaction fields against the running API's own description of them: the two sides
// are each written once, and this is where a field added on one side but not the other is caught.
import { FIELD_NAMES, FINDER_FIELDS, SORTABLE_FIELDS, fieldSpec, isRequired } from '../src/api/interactionFields';
import { apiToken, bearer, expect, test } from './helpers';

interface SchemaProperty {
  maxLength?: number;
  enum?: string[];
}
interface ObjectSchema {
  properties: Record<string, SchemaProperty>;
  required?: string[];
}

test('the field list is the API input, with its required fields, lengths and choices', async ({ request }) => {
  const spec = await (await request.get('/api/openapi.json')).json();
  const input: ObjectSchema = spec.components.schemas.InteractionIn;
  expect(Object.keys(input.properties)).toEqual(FIELD_NAMES);
  expect([...(input.required ?? [])].sort()).toEqual(FIELD_NAMES.filter(isRequired).sort());
  for (const name of FIELD_NAMES) {
    const field = fieldSpec(name);
    expect(input.properties[name].maxLength, `${name} length`).toBe(field.max);
    expect(input.properties[name].enum, `${name} choices`).toEqual(field.options ? [...field.options] : undefined);
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
