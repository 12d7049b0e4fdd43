import { parse } from 'csv-parse/sync';

// A reader of CSV files against a Frictionless Table Schema (v1), as the standard's validators read them:
// the header must name the schema's fields exactly and in order, every value must cast to its field's
// type after missing values are taken out, and every constraint and the primary key must hold. Written
// for the tests, from the specification, so that a data package that drifts from its CSVs fails here.

export interface SchemaField {
  name: string;
  type: string;
  constraints?: { required?: boolean; enum?: string[]; pattern?: string; minimum?: number };
}

export interface TableSchema {
  fields: SchemaField[];
  missingValues?: string[];
  primaryKey?: string[];
}

export interface Dialect {
  delimiter?: string;
  lineTerminator?: string;
  header?: boolean;
}

/** Casts one value, or says why it cannot be; null stands for a missing value. */
function cast(field: SchemaField, value: string): { ok: true; value: unknown } | { ok: false } {
  switch (field.type) {
    case 'string':
      return { ok: true, value };
    case 'integer':
      return /^[+-]?\d+$/.test(value) ? { ok: true, value: Number(value) } : { ok: false };
    default:
      return { ok: false };
  }
}

/** Every way the CSV text breaks the schema; an empty list means it validates. */
export function validateCsv(text: string, schema: TableSchema, dialect: Dialect = {}): string[] {
  const errors: string[] = [];
  // A UTF-8 byte-order mark is an encoding signature, not content (readers strip it).
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (dialect.lineTerminator && !body.endsWith(dialect.lineTerminator)) errors.push('line terminator');
  const rows: string[][] = parse(body, { delimiter: dialect.delimiter ?? ',', relax_column_count: true });
  const [header, ...data] = rows;
  const names = schema.fields.map((f) => f.name);
  if (JSON.stringify(header) !== JSON.stringify(names))
    return [`header ${JSON.stringify(header)} is not ${JSON.stringify(names)}`];
  const missing = new Set(schema.missingValues ?? ['']);
  const keys = new Set<string>();
  data.forEach((row, index) => {
    const where = `row ${index + 2}`;
    if (row.length !== names.length) {
      errors.push(`${where}: ${row.length} values for ${names.length} fields`);
      return;
    }
    const values: unknown[] = [];
    schema.fields.forEach((field, i) => {
      const raw = row[i]!;
      const c = field.constraints ?? {};
      if (missing.has(raw)) {
        values.push(null);
        if (c.required || schema.primaryKey?.includes(field.name))
          errors.push(`${where}: ${field.name} is required`);
        return;
      }
      const result = cast(field, raw);
      if (!result.ok) {
        errors.push(`${where}: ${field.name}=${JSON.stringify(raw)} is not ${field.type}`);
        return;
      }
      values.push(result.value);
      if (c.enum && !c.enum.includes(raw)) errors.push(`${where}: ${field.name}=${raw} not in enum`);
      if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(raw))
        errors.push(`${where}: ${field.name}=${raw} does not match ${c.pattern}`);
      if (c.minimum !== undefined && typeof result.value === 'number' && result.value < c.minimum)
        errors.push(`${where}: ${field.name}=${raw} below ${c.minimum}`);
    });
    if (schema.primaryKey?.length) {
      const key = JSON.stringify(schema.primaryKey.map((name) => values[names.indexOf(name)]));
      if (keys.has(key)) errors.push(`${where}: primary key ${key} repeated`);
      keys.add(key);
    }
  });
  return errors;
}
