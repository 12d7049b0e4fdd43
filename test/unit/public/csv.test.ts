import { parse } from 'csv-parse/sync';
import { codebookCsv, CODEBOOK_COLUMNS, csvColumns, tableCsv } from '../../../src/public/csv';
import { createLabeler } from '../../../src/reference/labeler';
import { TABLES } from '../../../src/releases/tables';
import { buildReleaseCells } from '../../support/public-release';
import { loadTestReference } from '../../support/reference-csv';

const reference = loadTestReference();
const labeler = createLabeler(reference);
const cells = buildReleaseCells(reference, '2026-09-30');

function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true, skip_empty_lines: true });
}

describe('tableCsv', () => {
  it.each(TABLES.map((t) => t.name))('writes %s with a BOM, CRLF and the stable header', (name) => {
    const table = cells.filter((c) => c.table === name);
    const text = tableCsv(name, table, labeler);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${csvColumns(name).join(',')}`);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(table.length);
    const dims = TABLES.find((t) => t.name === name)!.dimensions;
    const byId = new Map(rows.map((r) => [dims.map((d) => r[d]).join('|'), r]));
    for (const cell of table) {
      const row = byId.get(dims.map((d) => cell.keys[d]).join('|'))!;
      // One word for every withheld cell, never a claim about its size.
      expect(row.status).toBe(cell.status === 'published' ? 'published' : 'withheld');
      expect(row.count).toBe(cell.value === null ? '' : String(cell.value));
    }
  });

  it('labels states and codes in English and Spanish', () => {
    const rows = parseCsv(
      tableCsv(
        'by_state',
        cells.filter((c) => c.table === 'by_state'),
        labeler,
      ),
    );
    const nc = rows.find((r) => r.state === 'NC')!;
    expect(nc.state_label_en).toBe('North Carolina');
    expect(nc.state_label_es).toBe('Carolina del Norte');
    const actions = parseCsv(
      tableCsv(
        'by_action_type',
        cells.filter((c) => c.table === 'by_action_type'),
        labeler,
      ),
    );
    expect(actions[0]!.action_type).toBe('surveillance');
    expect(actions[0]!.action_type_label_es).toBe('Vigilancia o monitoreo');
  });

  it('neutralizes a hostile label that a future code list might hold', () => {
    const hostile = {
      ...reference,
      codes: [
        ...reference.codes,
        {
          kind: 'action_type' as const,
          code: 'zz',
          position: 99,
          labelEn: '=HYPERLINK("http://evil.example","x")',
          definitionEn: '-2',
        },
      ],
    };
    const text = tableCsv(
      'by_action_type',
      [{ table: 'by_action_type', keys: { action_type: 'zz' }, status: 'published', value: 12 }],
      createLabeler(hostile),
    );
    const [row] = parseCsv(text);
    expect(row!.action_type_label_en).toBe(`'=HYPERLINK("http://evil.example","x")`);
    // No catalog knows the code yet, so every language shows the English label, neutralized too.
    expect(row!.action_type_label_es).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const codebook = parseCsv(codebookCsv(createLabeler(hostile))).find((r) => r.code === 'zz')!;
    expect(codebook.definition_en).toBe(`'-2`);
    expect(codebook.definition_es).toBe(`'-2`);
  });

  it('sorts periods by time with the earlier bucket first', () => {
    const rows = parseCsv(
      tableCsv(
        'by_quarter',
        cells.filter((c) => c.table === 'by_quarter'),
        labeler,
      ),
    );
    expect(rows[0]!.quarter).toBe('before-2017');
    expect(rows[1]!.quarter).toBe('2017-Q1');
    expect(rows.at(-1)!.quarter).toBe('2026-Q3');
    expect(rows[1]!.quarter_label_es).toBe('2017 T1');
  });
});

describe('codebookCsv', () => {
  it('lists every code with both languages', () => {
    const rows = parseCsv(codebookCsv(labeler));
    expect(Object.keys(rows[0]!)).toEqual([...CODEBOOK_COLUMNS]);
    expect(rows).toHaveLength(reference.codes.length);
    expect(rows.every((r) => r.label_en && r.label_es && r.definition_en && r.definition_es)).toBe(true);
  });
});
