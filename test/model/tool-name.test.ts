import { describe, expect, it } from 'vitest';
import { nameTools, TOOL_NAME_PATTERN, type NameCandidate, type NamedTool } from '../../src/model/tool-name.js';
import { model, modelOfFixture, operation, shuffle } from './literal-document.js';

const LONG_ID = 'generateTheQuarterlyRevenueReportForEveryRegionIncludingForecastsAndTotals'; // 74 characters

describe('nameTools', () => {
  const rows: [string, { given: NameCandidate[]; want: NamedTool[] }][] = [
    [
      'a valid operationId is kept',
      { given: [{ key: 'GET /pets', operationId: 'listPets' }], want: [{ key: 'GET /pets', name: 'listPets' }] },
    ],
    [
      'dots and dashes are valid',
      {
        given: [{ key: 'GET /pets', operationId: 'pets.list-all_v2' }],
        want: [{ key: 'GET /pets', name: 'pets.list-all_v2' }],
      },
    ],
    [
      'invalid characters become _, runs collapsed, ends trimmed',
      {
        given: [{ key: 'GET /pets', operationId: ' pets/list  all!' }],
        want: [
          { key: 'GET /pets', name: 'pets_list_all', adjusted: '" pets/list  all!" is not a valid MCP tool name' },
        ],
      },
    ],
    [
      'accents are folded, not replaced',
      {
        given: [{ key: 'GET /x', operationId: 'créerCafé' }],
        want: [{ key: 'GET /x', name: 'creerCafe', adjusted: '"créerCafé" is not a valid MCP tool name' }],
      },
    ],
    [
      'no operationId: method + path, braces dropped',
      { given: [{ key: 'GET /pets/{id}/toys' }], want: [{ key: 'GET /pets/{id}/toys', name: 'get_pets_id_toys' }] },
    ],
    [
      'an empty operationId counts as none',
      {
        given: [{ key: 'GET /x', operationId: '' }],
        want: [{ key: 'GET /x', name: 'get_x', adjusted: '"" is not a valid MCP tool name' }],
      },
    ],
    ['the root path', { given: [{ key: 'GET /' }], want: [{ key: 'GET /', name: 'get' }] }],
    [
      'over 64 characters: cut to 57 + _ + 6 hex of sha256(METHOD /path)',
      {
        given: [{ key: 'GET /long', operationId: LONG_ID }],
        want: [
          {
            key: 'GET /long',
            name: `${LONG_ID.slice(0, 57)}_ae9676`,
            adjusted: `"${LONG_ID}" is longer than 64 characters`,
          },
        ],
      },
    ],
    [
      'duplicate operationIds: neither owns the name, both get their own hash',
      {
        given: [
          { key: 'GET /a', operationId: 'dup' },
          { key: 'POST /a', operationId: 'dup' },
        ],
        want: [
          { key: 'GET /a', name: 'dup_f302df', adjusted: '"dup" is used by another operation' },
          { key: 'POST /a', name: 'dup_2b9647', adjusted: '"dup" is used by another operation' },
        ],
      },
    ],
    [
      'a valid unique operationId owns its name against a derived name',
      {
        given: [{ key: 'POST /pets', operationId: 'get_pets' }, { key: 'GET /pets/' }],
        want: [
          { key: 'POST /pets', name: 'get_pets' },
          { key: 'GET /pets/', name: 'get_pets_25c9ec', adjusted: '"get_pets" is used by another operation' },
        ],
      },
    ],
    [
      'a valid operationId owns its name against a sanitized one',
      {
        given: [
          { key: 'GET /items', operationId: 'list items' },
          { key: 'POST /items', operationId: 'list_items' },
        ],
        want: [
          { key: 'GET /items', name: 'list_items_e3d0ef', adjusted: '"list items" is used by another operation' },
          { key: 'POST /items', name: 'list_items' },
        ],
      },
    ],
    [
      'a preferred name wins over the operationId',
      {
        given: [{ key: 'GET /x', operationId: 'getX', preferred: 'fetch_x' }],
        want: [{ key: 'GET /x', name: 'fetch_x' }],
      },
    ],
    [
      "an explicit name outranks another operation's identical operationId",
      {
        given: [
          { key: 'GET /a', operationId: 'getA' },
          { key: 'GET /b', operationId: 'getB', preferred: 'getA' },
        ],
        want: [
          {
            key: 'GET /a',
            name: expect.stringMatching(/^getA_[0-9a-f]{6}$/),
            adjusted: '"getA" is used by another operation',
          },
          { key: 'GET /b', name: 'getA' },
        ],
      },
    ],
    [
      'two identical explicit names: neither owns it',
      {
        given: [
          { key: 'GET /a', preferred: 'same' },
          { key: 'GET /b', preferred: 'same' },
        ],
        want: [
          {
            key: 'GET /a',
            name: expect.stringMatching(/^same_[0-9a-f]{6}$/),
            adjusted: '"same" is used by another operation',
          },
          {
            key: 'GET /b',
            name: expect.stringMatching(/^same_[0-9a-f]{6}$/),
            adjusted: '"same" is used by another operation',
          },
        ],
      },
    ],
  ];
  it.each(rows)('%s', (_name, { given, want }) => {
    expect(nameTools(given)).toEqual(want);
  });

  it('an owned name survives adding a colliding operation', () => {
    const before = nameTools([{ key: 'GET /pets', operationId: 'listPets' }]);
    const after = nameTools([
      { key: 'GET /pets', operationId: 'listPets' },
      { key: 'GET /pets2', operationId: 'list pets' },
      { key: 'POST /x', operationId: 'listPets!' },
    ]);
    expect(before[0]?.name).toBe('listPets');
    expect(after[0]?.name).toBe('listPets');
  });

  it('order independence: every permutation gives each key the same name', () => {
    const candidates: NameCandidate[] = [
      { key: 'GET /a', operationId: 'dup' },
      { key: 'POST /a', operationId: 'dup' },
      { key: 'POST /pets', operationId: 'get_pets' },
      { key: 'GET /pets/' },
      { key: 'GET /long', operationId: LONG_ID },
      { key: 'GET /pets/{id}/toys' },
    ];
    const byKey = (named: NamedTool[]) => Object.fromEntries(named.map((t) => [t.key, t.name]));
    const want = byKey(nameTools(candidates));
    for (let seed = 1; seed <= 25; seed++) expect(byKey(nameTools(shuffle(candidates, seed)))).toEqual(want);
    for (const name of Object.values(want)) expect(name).toMatch(TOOL_NAME_PATTERN);
    expect(new Set(Object.values(want)).size).toBe(candidates.length);
  });
});

describe('tool names in the model', () => {
  it('fixtures/tool-names.yaml: names, order by name, TOOL_NAME_ADJUSTED for each change', async () => {
    const built = await modelOfFixture('tool-names.yaml');
    expect(built.tools.map((t) => [t.name, `${t.http.method} ${t.http.path}`])).toEqual([
      ['create_pet', 'POST /pets'],
      [`${LONG_ID.slice(0, 57)}_f8abaf`, 'GET /reports'],
      ['get_pets_id', 'PUT /pets/{id}'],
      ['get_pets_id_895c8d', 'GET /pets/{id}'],
      [
        'get_reports_year_quarterly-summaries_by-region_region_inc_efbe8b',
        'GET /reports/{year}/quarterly-summaries/by-region/{region}/including-forecasts',
      ],
      ['listPets', 'GET /pets'],
      ['remove_6ac6ae', 'PATCH /pets/{id}'],
      ['remove_cb6f3f', 'DELETE /pets/{id}'],
    ]);
    for (const tool of built.tools) expect(tool.name).toMatch(/^[a-zA-Z0-9_.-]{1,64}$/);
    const adjusted = built.diagnostics
      .filter((d) => d.code === 'TOOL_NAME_ADJUSTED')
      .map((d) => [d.pointer, d.message]);
    expect(adjusted).toEqual([
      ['/paths/~1pets/post', 'POST /pets is the tool "create_pet": "create pet!" is not a valid MCP tool name.'],
      [
        '/paths/~1pets~1{id}/get',
        'GET /pets/{id} is the tool "get_pets_id_895c8d": "get_pets_id" is used by another operation.',
      ],
      [
        '/paths/~1pets~1{id}/delete',
        'DELETE /pets/{id} is the tool "remove_cb6f3f": "remove" is used by another operation.',
      ],
      [
        '/paths/~1pets~1{id}/patch',
        'PATCH /pets/{id} is the tool "remove_6ac6ae": "remove" is used by another operation.',
      ],
      [
        '/paths/~1reports/get',
        `GET /reports is the tool "${LONG_ID.slice(0, 57)}_f8abaf": "${LONG_ID}" is longer than 64 characters.`,
      ],
      [
        '/paths/~1reports~1{year}~1quarterly-summaries~1by-region~1{region}~1including-forecasts/get',
        'GET /reports/{year}/quarterly-summaries/by-region/{region}/including-forecasts is the tool ' +
          '"get_reports_year_quarterly-summaries_by-region_region_inc_efbe8b": ' +
          '"get_reports_year_quarterly-summaries_by-region_region_including-forecasts" is longer than 64 characters.',
      ],
    ]);
  });

  it('the operationId stays on the tool model even when the name differs', () => {
    const built = model({ paths: { '/x': { get: operation({ operationId: 'get x' }) } } });
    expect(built.tools.map((t) => [t.name, t.operationId])).toEqual([['get_x', 'get x']]);
  });
});
