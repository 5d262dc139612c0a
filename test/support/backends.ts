// Which database backends the suites run on. PostgreSQL is used when reachable; under CI it must be.
import pg from 'pg';

export type Backend = 'sqlite' | 'postgres';

export const POSTGRES_URL = process.env.SWITCHYARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const reachable = await postgresReachable();
if (!reachable) {
  if (process.env.CI === 'true') {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL}, and CI requires the PostgreSQL suites to run`);
  }
  console.warn(`PostgreSQL is not reachable at ${POSTGRES_URL}: skipping the PostgreSQL half of the suites`);
}

export const BACKENDS: readonly Backend[] = reachable ? ['sqlite', 'postgres'] : ['sqlite'];

/** Drops a test schema and everything in it. */
export async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
