import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_REMEMBERED_TAILS, createAuditLog, recordDecision } from '../../../templates/runtime/rbac/audit.js';
import type { AuditRecord } from '../../../templates/runtime/rbac/audit.js';

const at = () => new Date('2026-11-29T12:00:00.000Z');

function lines() {
  const written: string[] = [];
  return { written, audit: createAuditLog((line) => written.push(line), at) };
}

describe('audit lines (DESIGN.md §5 "Audit")', () => {
  it('a decision about a tool, with every field, in a fixed order', () => {
    const { written, audit } = lines();
    recordDecision(
      audit,
      {
        principal: { subject: 'user-1', clientId: 'client-9' },
        transport: 'http',
        remoteAddress: '127.0.0.1',
      },
      { tool: 'createPet', outcome: 'deny', reason: 'missing scope pets:write' },
    );
    expect(written).toEqual([
      '{"time":"2026-11-29T12:00:00.000Z","level":"info","msg":"authorization","subject":"user-1","client":"client-9","tool":"createPet","outcome":"deny","reason":"missing scope pets:write","transport":"http","remote":"127.0.0.1"}',
    ]);
  });

  it('an anonymous request refused as a whole: no client, tool or address fields', () => {
    const { written, audit } = lines();
    recordDecision(audit, { transport: 'stdio' }, { outcome: 'deny', reason: 'no credential' });
    expect(written).toEqual([
      '{"time":"2026-11-29T12:00:00.000Z","level":"info","msg":"authorization","subject":"anonymous","outcome":"deny","reason":"no credential","transport":"stdio"}',
    ]);
  });

  it('empty optional values are left out, and values are JSON-escaped (no line injection)', () => {
    const { written, audit } = lines();
    recordDecision(
      audit,
      { principal: { subject: 'evil"\n{"outcome":"allow"}', clientId: '' }, transport: 'http', remoteAddress: '' },
      { tool: '', outcome: 'allow', reason: 'scopes granted' },
    );
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain('\n');
    expect(JSON.parse(written[0]!)).toEqual({
      time: '2026-11-29T12:00:00.000Z',
      level: 'info',
      msg: 'authorization',
      subject: 'evil"\n{"outcome":"allow"}',
      outcome: 'allow',
      reason: 'scopes granted',
      transport: 'http',
    });
  });
});

describe('audit lines are the JSON of the record', () => {
  it('for any values, byte for byte what JSON.stringify writes for the fields in their order', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\n', '\u2028', '\ud800'));
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        text,
        fc.constantFrom('allow', 'deny'),
        (subject, client, tool, reason, remote, outcome) => {
          const { written, audit } = lines();
          const record = {
            subject,
            ...(client ? { client } : {}),
            ...(tool ? { tool } : {}),
            outcome,
            reason,
            transport: 'http' as const,
            ...(remote ? { remoteAddress: remote } : {}),
          };
          audit(record);
          const expected: Record<string, string> = {
            time: '2026-11-29T12:00:00.000Z',
            level: 'info',
            msg: 'authorization',
            subject,
          };
          if (client) expected['client'] = client;
          if (tool) expected['tool'] = tool;
          Object.assign(expected, { outcome, reason, transport: 'http' });
          if (remote) expected['remote'] = remote;
          expect(written).toEqual([JSON.stringify(expected)]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('audit timestamps', () => {
  it('are each line’s own time, also when several lines share or leave a millisecond', () => {
    const written: string[] = [];
    const times = [
      '2026-11-29T12:00:00.000Z',
      '2026-11-29T12:00:00.000Z',
      '2026-11-29T12:00:00.001Z',
      '2026-11-29T13:00:00.000Z',
    ];
    let i = 0;
    const audit = createAuditLog(
      (line) => written.push(line),
      () => new Date(times[i++]!),
    );
    for (let n = 0; n < times.length; n++)
      recordDecision(audit, { transport: 'http' }, { outcome: 'allow', reason: 'r' });
    expect(written.map((line) => (JSON.parse(line) as { time: string }).time)).toEqual(times);
  });
});

describe('audit lines written by one log over many decisions (the tail of a line is reused)', () => {
  const expectedLine = (r: AuditRecord) => {
    const expected: Record<string, string> = {
      time: '2026-11-29T12:00:00.000Z',
      level: 'info',
      msg: 'authorization',
      subject: r.subject,
    };
    if (r.client) expected['client'] = r.client;
    if (r.tool) expected['tool'] = r.tool;
    Object.assign(expected, { outcome: r.outcome, reason: r.reason, transport: r.transport });
    if (r.remoteAddress) expected['remote'] = r.remoteAddress;
    return JSON.stringify(expected);
  };

  it('each line is the JSON of its own record, whichever fields changed since the last line of its tool', () => {
    const record = fc.record(
      {
        subject: fc.constantFrom('alice', 'bob', 'x"y'),
        client: fc.constantFrom('c1', 'c2', ''),
        tool: fc.constantFrom('getPet', 'deletePet', ''),
        outcome: fc.constantFrom('allow' as const, 'deny' as const),
        reason: fc.constantFrom('scopes granted', 'missing scope a'),
        transport: fc.constantFrom('http' as const, 'stdio' as const),
        remoteAddress: fc.constantFrom('127.0.0.1', '::1', ''),
      },
      { requiredKeys: ['subject', 'outcome', 'reason', 'transport'] },
    );
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), (records) => {
        const { written, audit } = lines();
        for (const r of records) audit(r);
        expect(written).toEqual(records.map(expectedLine));
      }),
      { numRuns: 200 },
    );
  });

  it('a record changed after it was logged does not change the next line', () => {
    const { written, audit } = lines();
    const record: { -readonly [K in keyof AuditRecord]: AuditRecord[K] } = {
      subject: 'alice',
      tool: 'getPet',
      outcome: 'allow',
      reason: 'scopes granted',
      transport: 'http',
    };
    audit(record);
    record.subject = 'mallory';
    audit(record);
    expect(written.map((line) => (JSON.parse(line) as { subject: string }).subject)).toEqual(['alice', 'mallory']);
  });

  it(`stays exact past ${MAX_REMEMBERED_TAILS} tools (the memo is bounded and starts over)`, () => {
    const { written, audit } = lines();
    const records: AuditRecord[] = [];
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < MAX_REMEMBERED_TAILS + 10; i++)
        records.push({
          subject: `s${round}`,
          tool: `tool-${i}`,
          outcome: 'allow',
          reason: 'scopes granted',
          transport: 'http',
        });
    for (const r of records) audit(r);
    expect(written).toEqual(records.map(expectedLine));
  });
});

describe('audit timestamps without an injected clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are the system time of each line, formatted anew when the millisecond changes', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const audit = createAuditLog((line) => written.push(line));
    const times = [
      '2026-11-29T12:00:00.000Z',
      '2026-11-29T12:00:00.000Z',
      '2026-11-29T12:00:00.007Z',
      '2027-01-01T00:00:00.000Z',
    ];
    for (const time of times) {
      vi.setSystemTime(new Date(time));
      recordDecision(audit, { transport: 'http' }, { outcome: 'allow', reason: 'r' });
    }
    expect(written.map((line) => (JSON.parse(line) as { time: string }).time)).toEqual(times);
  });
});
