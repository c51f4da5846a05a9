/**
 * What a repository does with every column of a table it reads. `Row` is the row interface its mapping
 * reads; the compiler holds the declared columns to exactly that interface's keys, and
 * test/e2e/repository-columns.e2e-spec.ts holds them, with `unread`, to the table's columns in
 * PostgreSQL: a migration that adds a column fails that test until the repository says what it does
 * with it (reads it, or names it in `unread` with the reason).
 */
export class TableColumns<Row> {
  /** The columns of the row interface, in declaration order. */
  readonly names: readonly (keyof Row & string)[];
  /** The select list (or RETURNING list) of the row interface: `"id", "slug", …`. */
  readonly list: string;

  constructor(
    readonly table: string,
    columns: { readonly [K in keyof Row]-?: true },
    /** Columns the row mapping leaves out on purpose, each with why. */
    readonly unread: Readonly<Record<string, string>> = {},
  ) {
    this.names = Object.keys(columns) as (keyof Row & string)[];
    this.list = this.names.map((name) => `"${name}"`).join(', ');
  }

  /** The select list with a table alias: `a."id", a."slug", …`. */
  of(alias: string): string {
    return this.names.map((name) => `${alias}."${name}"`).join(', ');
  }
}
