// Turns a PageQuery into SQL over a (sort column, id column) keyset, in either page direction.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { PageQuery, SortKey } from '../control/paging.js';

/**
 * @param ascending page order of the collection (false for newest-first lists).
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  /** `id` breaks ties; omit it when the sort column is unique on its own. */
  columns: { sort: string; id?: string },
  page: PageQuery,
  ascending = true,
): SelectQueryBuilder<DB, TB, O> {
  const sort = sql.ref(columns.sort);
  const id = columns.id ? sql.ref(columns.id) : undefined;
  const beyond = (key: SortKey, greater: boolean) => {
    const op = sql.raw(greater ? '>' : '<');
    return id
      ? sql<boolean>`(${sort} ${op} ${key[0]} or (${sort} = ${key[0]} and ${id} ${op} ${key[1]}))`
      : sql<boolean>`${sort} ${op} ${key[0]}`;
  };
  let q = query;
  if (page.after) q = q.where(beyond(page.after, ascending));
  if (page.before) q = q.where(beyond(page.before, !ascending));
  const direction = ascending !== page.reverse ? sql`asc` : sql`desc`;
  q = q.orderBy(sql`${sort} ${direction}`);
  if (id) q = q.orderBy(sql`${id} ${direction}`);
  q = q.limit(page.limit);
  return page.offset > 0 ? q.offset(page.offset) : q;
}
