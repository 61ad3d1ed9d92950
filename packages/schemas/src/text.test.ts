import { describe, expect, it } from 'vitest';
import {
  createKeyBodySchema,
  createRegionBodySchema,
  eventSchema,
  regionSearchQuerySchema,
  storableText,
  unstorableReason,
} from './index.ts';

const base = { id: '0190d8a0-0000-7000-8000-000000000001', occurredAt: '2020-02-13T08:00:00+08:00', region: '410184' };

/** One valid event per type that has free text, and the paths of its free-text fields. */
const freeTextCases: { event: Record<string, unknown>; fields: string[]; multiline: string[] }[] = [
  {
    event: { ...base, type: 'site.registered', site: 'cp-1', source: 'app', data: { name: '岗李村卡点', kind: 'road_checkpoint' } },
    fields: ['site', 'source', 'data.name'],
    multiline: [],
  },
  {
    event: { ...base, type: 'site.closed', site: 'cp-1', data: { reason: '疫情解除' } },
    fields: ['site', 'data.reason'],
    multiline: ['data.reason'],
  },
  {
    event: { ...base, type: 'turnback', site: 'cp-1', data: { vehicles: 1, people: 2, reason: '非必要出行' } },
    fields: ['site', 'data.reason'],
    multiline: [],
  },
  {
    event: { ...base, type: 'quarantine.started', data: { subject: 'p-1', reason: 'returnee_hubei' } },
    fields: ['data.subject'],
    multiline: [],
  },
  { event: { ...base, type: 'quarantine.ended', data: { subject: 'p-1', outcome: 'released' } }, fields: ['data.subject'], multiline: [] },
  {
    event: {
      ...base,
      type: 'donation',
      data: { donorType: 'resident', donor: '冉小伟', item: 'masks', quantity: 10, unit: 'piece', label: '口罩 😷' },
    },
    fields: ['data.donor', 'data.label'],
    multiline: [],
  },
  {
    event: { ...base, type: 'void', data: { target: '0190d8a0-0000-7000-8000-000000000002', reason: '重复上报' } },
    fields: ['data.reason'],
    multiline: ['data.reason'],
  },
  {
    event: { ...base, type: 'screening', site: 'cp-1', source: 'app', data: { vehicles: 1, people: 2 } },
    fields: ['site', 'source'],
    multiline: [],
  },
];

function withValue(event: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const copy = structuredClone(event);
  const keys = path.split('.');
  let target = copy;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

function errorsAt(event: Record<string, unknown>): { path: string; message: string }[] {
  const r = eventSchema.safeParse(event);
  if (r.success) return [];
  // A field may break two rules (a subject is also not a pseudonymous id): one entry per field, the first message.
  const byPath = new Map<string, string>();
  for (const i of r.error.issues) if (!byPath.has(i.path.join('.'))) byPath.set(i.path.join('.'), i.message);
  return [...byPath].map(([path, message]) => ({ path, message }));
}

describe('storable text (issue 7: a lone surrogate in source stalled the consumer)', () => {
  it('accepts every valid case as is, emoji (surrogate pairs) included', () => {
    for (const c of freeTextCases) expect(errorsAt(c.event)).toEqual([]);
  });

  it('rejects a lone surrogate in every free-text field of every type, naming the field', () => {
    for (const c of freeTextCases) {
      for (const field of c.fields) {
        for (const bad of ['x\ud800', '\udc00x', 'a\ud83d']) {
          const errors = errorsAt(withValue(c.event, field, bad));
          expect(
            errors.map((e) => e.path),
            `${String(c.event['type'])} ${field}`,
          ).toEqual([field]);
          expect(errors[0]?.message).toMatch(
            field === 'data.subject'
              ? /^must be a pseudonymous id/
              : /^holds a lone surrogate U\+D[89A-F][0-9A-F]{2} at character \d: not Unicode text, it cannot be stored$/,
          );
        }
      }
    }
  });

  it('rejects NUL, C0 and C1 controls and DEL everywhere; tab and line breaks only outside prose', () => {
    for (const c of freeTextCases) {
      for (const field of c.fields) {
        for (const bad of ['a\u0000b', 'a\u0007', '\u001b[31m', 'a\u007f', 'a\u0085', 'a\u009f']) {
          expect(
            errorsAt(withValue(c.event, field, bad)).map((e) => e.path),
            `${field} ${JSON.stringify(bad)}`,
          ).toEqual([field]);
        }
        for (const layout of ['a\tb', 'a\nb', 'a\r\nb']) {
          const paths = errorsAt(withValue(c.event, field, layout)).map((e) => e.path);
          expect(paths, `${field} ${JSON.stringify(layout)}`).toEqual(c.multiline.includes(field) ? [] : [field]);
        }
      }
    }
  });

  it('gives a message that says what and where', () => {
    expect(unstorableReason('ab\u0000')).toBe(
      'holds NUL (U+0000) at character 2: control characters, tabs and line breaks are not allowed here',
    );
    expect(unstorableReason('a\nb')).toBe(
      'holds a line break (U+000A) at character 1: control characters, tabs and line breaks are not allowed here',
    );
    expect(unstorableReason('a\nb', true)).toBeUndefined();
    expect(unstorableReason('a\u0001', true)).toBe(
      'holds a control character (U+0001) at character 1: control characters are not allowed here',
    );
    expect(unstorableReason('新郑\ud800')).toBe('holds a lone surrogate U+D800 at character 2: not Unicode text, it cannot be stored');
    expect(unstorableReason('😀新郑')).toBeUndefined();
    expect(storableText({ max: 3 }).safeParse('abcd').success).toBe(false);
  });

  it('applies to the admin bodies and the region search', () => {
    const key = createKeyBodySchema.safeParse({ name: 'x\ud800', role: 'read' });
    expect(key.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'holds a lone surrogate U+D800 at character 1: not Unicode text, it cannot be stored'],
    ]);
    const region = createRegionBodySchema.safeParse({ code: '410184999', name: '开发区\u0000', parent: '410184' });
    expect(region.error?.issues.map((i) => i.path.join('.'))).toEqual(['name']);
    const search = regionSearchQuerySchema.safeParse({ search: ' 新郑\ud800 ' });
    expect(search.error?.issues.map((i) => i.path.join('.'))).toEqual(['search']);
    expect(regionSearchQuerySchema.safeParse({ search: '  新郑 ' }).data?.search).toBe('新郑');
  });
});
