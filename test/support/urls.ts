/** The template database of this test run (unique per run, so two runs on one server do not collide). */
export function templateDatabaseName(): string {
  return `represalia_template_${process.pid}`;
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
